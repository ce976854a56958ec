import { type IncomingHttpHeaders, request } from 'node:http';
import mysql from 'mysql2/promise';
import { type App, createApp } from '../../src/app.js';
import type { Config } from '../../src/config/config.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { type RunningServer, startHttpServer } from '../../src/http/server.js';
import { capturingLogger } from './logs.js';
import { createTestApp, TEST_ENCRYPTION_KEY, type TestApp } from './test-app.js';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body as received, before any decoding (a gzipped one stays gzipped). */
  bytes: Buffer;
}

/**
 * One request with node:http (no fetch normalisation): `chunks` are written one by one without a
 * Content-Length (chunked transfer encoding), `body` is sent in one piece with its Content-Length. Rejects on socket errors
 * and after `timeoutMs`, so a test never waits forever.
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    chunks?: (string | Buffer)[];
    timeoutMs?: number;
    /** Source address, e.g. 127.0.0.2 to look like another client (Linux routes all of 127/8). */
    localAddress?: string;
    /** Request target sent exactly as written (`url`'s own path is normalised: `..`, `%2e`). */
    path?: string;
  } = {},
): Promise<RawResponse> {
  const headers = { ...options.headers };
  const hasLength = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
  if (options.body !== undefined && !hasLength)
    headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'POST',
        headers,
        agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        ...(options.path ? { path: options.path } : {}),
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString('utf8'),
            bytes: Buffer.concat(parts),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 10_000, () =>
      req.destroy(new Error(`no answer within ${options.timeoutMs ?? 10_000} ms`)),
    );
    req.on('error', reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

export interface ServedApp {
  t: TestApp;
  running: RunningServer;
  url: string;
}

/** A fresh test app (see createTestApp) behind the real HTTP front on 127.0.0.1:0. */
export async function serveTestApp(env: Record<string, string> = {}): Promise<ServedApp> {
  const t = await createTestApp(env);
  const running = await serve(t, t.app);
  return { t, running, url: running.url };
}

/** `app` (t's own, or another instance over its database) behind the real HTTP front. */
export function serve(t: TestApp, app: App, port = 0): Promise<RunningServer> {
  return startHttpServer(app, {
    host: '127.0.0.1',
    port,
    limits: t.config.limits,
    trustedProxies: t.config.trustedProxies,
    logger: t.logs.logger,
  });
}

/**
 * A second app instance over the same database and clock as `t` (what a second gateway process
 * would be), without resetting the database the way createTestApp does.
 */
export function secondApp(
  t: TestApp,
  config: Config = t.config,
  database: DatabaseHandle = t.database,
): App {
  return createApp({
    config,
    database,
    logger: capturingLogger().logger,
    secretBox: new SecretBox(TEST_ENCRYPTION_KEY),
    now: () => t.clock.now,
  });
}

export interface RowLock {
  release(): Promise<void>;
}

/**
 * Holds `SELECT … FOR UPDATE` on one row in an open transaction on a connection of its own, so
 * requests that lock the same row wait until `release()` (bounded by innodb_lock_wait_timeout).
 */
export async function lockRow(
  databaseUrl: string,
  sql: string,
  params: unknown[],
): Promise<RowLock> {
  const connection = await mysql.createConnection({ uri: databaseUrl });
  await connection.beginTransaction();
  await connection.query(sql, params);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await connection.rollback();
      } finally {
        await connection.end();
      }
    },
  };
}

/**
 * Statements of this database still running whose text matches `pattern` (SHOW FULL PROCESSLIST;
 * the connection asking is not counted). Used to see requests waiting on a row lock.
 */
export async function runningStatements(databaseUrl: string, pattern: RegExp): Promise<number> {
  const connection = await mysql.createConnection({ uri: databaseUrl });
  try {
    const [rows] = await connection.query('SHOW FULL PROCESSLIST');
    const database = new URL(databaseUrl).pathname.slice(1);
    return (
      rows as { Id: number; db: string | null; Command: string; Info: string | null }[]
    ).filter(
      (row) =>
        row.Id !== connection.threadId &&
        row.db === database &&
        row.Command === 'Query' &&
        pattern.test(row.Info ?? ''),
    ).length;
  } finally {
    await connection.end();
  }
}

/** Polls `condition` every 20 ms for at most `timeoutMs`; throws if it never holds. */
export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what} did not hold within ${timeoutMs} ms`);
}
