import { describe, expect, it } from 'vitest';
import { createDatabase, isDatabaseReady } from '../../src/db/client.js';
import { freePort } from '../support/free-port.js';
import { createTestApp } from '../support/test-app.js';

describe('GET /ready', () => {
  it('is 200 over a server without wsrep (the dev MariaDB: wsrep_on OFF, wsrep_ready OFF)', async () => {
    // given
    const t = await createTestApp();
    const [rows] = await t.database.pool.query(
      "SELECT VARIABLE_VALUE AS value FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME = 'WSREP_ON'",
    );
    expect((rows as { value: string }[])[0]?.value ?? 'OFF').toBe('OFF');

    // when
    const response = await t.app.yoga.fetch('http://gateway.test/ready');

    // then
    expect(response.status).toBe(200);
  });

  it('is not ready when the database does not answer', async () => {
    // given a pool over a port nothing listens on
    const unreachable = createDatabase(`mysql://root@127.0.0.1:${await freePort()}/nothing`);
    try {
      // then
      expect(await isDatabaseReady(unreachable.pool)).toBe(false);
    } finally {
      await unreachable.close();
    }
  });
});
