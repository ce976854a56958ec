import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { TestProject } from 'vitest/node';
import { testServerUrl } from './server-url.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testRunId: string;
  }
}

/** Each run gets its own databases (one per worker), dropped when the run ends. */
export default function setup(project: TestProject) {
  const runId = randomBytes(4).toString('hex');
  project.provide('testRunId', runId);
  return async () => {
    const connection = await mysql.createConnection({ uri: testServerUrl() });
    try {
      const [rows] = await connection.query('SHOW DATABASES LIKE ?', [`ig_test_${runId}_%`]);
      for (const row of rows as Record<string, string>[]) {
        await connection.query(`DROP DATABASE \`${Object.values(row)[0]}\``);
      }
    } finally {
      await connection.end();
    }
  };
}
