import { type App, createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config/config.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { resetDatabase, testDatabase } from './database.js';
import { capturingLogger } from './logs.js';

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7);
export const ADMIN_PASSWORD = 'correct horse battery staple';

/** What production requires: the mode, an https public origin and an encryption key. */
export const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  PUBLIC_BASE_URL: 'https://gateway.test',
  CREDENTIALS_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY.toString('base64'),
} as const;

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

export interface TestApp {
  app: App;
  config: Config;
  database: DatabaseHandle;
  logs: ReturnType<typeof capturingLogger>;
  clock: { now: Date; advance(ms: number): void };
  /** Runs a GraphQL document through yoga.fetch (no socket); never throws on GraphQL errors. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T>>;
  createAdmin(username?: string, password?: string): Promise<{ id: number; username: string }>;
  signIn(username?: string, password?: string): Promise<string>;
}

/** A fresh database state and an app over it, with a controllable clock and captured logs. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { url, database } = await testDatabase();
  await resetDatabase(database);
  const config = loadConfig({ ...PRODUCTION_ENV, DATABASE_URL: url, ...env });
  const clock = {
    now: new Date(),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const logs = capturingLogger();
  const app = createApp({
    config,
    database,
    logger: logs.logger,
    secretBox: new SecretBox(TEST_ENCRYPTION_KEY),
    now: () => clock.now,
  });

  const gql: TestApp['gql'] = async (query, variables, options = {}) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...options.headers,
    };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await app.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse, 'status' | 'headers'>;
    return { status: response.status, headers: response.headers, ...body } as GraphQLResponse<any>;
  };

  const createAdmin: TestApp['createAdmin'] = async (
    username = 'admin',
    password = ADMIN_PASSWORD,
  ) => {
    const { admin, errors } = await app.services.adminAuth.createAdmin({
      username,
      email: `${username}@example.com`,
      password,
    });
    if (!admin) throw new Error(`createAdmin failed: ${JSON.stringify(errors)}`);
    return admin;
  };

  const signIn: TestApp['signIn'] = async (username = 'admin', password = ADMIN_PASSWORD) => {
    const result = await app.services.adminAuth.login(username, password, {
      adminId: null,
      adminUsername: null,
      requestId: null,
      clientIp: null,
    });
    if (!result.ok) throw new Error(`signIn failed: ${result.reason}`);
    return result.token;
  };

  return { app, config, database, logs, clock, gql, createAdmin, signIn };
}
