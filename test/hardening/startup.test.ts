import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { testDatabase } from '../support/database.js';
import { freePort } from '../support/free-port.js';
import { rawRequest, waitFor } from '../support/raw-http.js';
import { PRODUCTION_ENV } from '../support/test-app.js';

const CLOSED_DATABASE = 'mysql://root@127.0.0.1:1/unreachable';

interface Gateway {
  child: ChildProcess;
  url: string;
  lines: () => { msg?: string; level?: number; [key: string]: unknown }[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `tsx src/main.ts` on 127.0.0.1:0 and waits (at most 20 s) for its "listening" line. */
async function startGateway(databaseUrl: string, children: ChildProcess[]): Promise<Gateway> {
  const child = spawn('node_modules/.bin/tsx', ['src/main.ts'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...PRODUCTION_ENV,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: databaseUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: tsx runs the gateway in a child node process, and cleanup must reach it.
    detached: true,
  });
  children.push(child);
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const lines = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
  let url = '';
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`gateway exited early: ${stderr}`);
      url = (lines().find((line) => line.msg === 'listening')?.url as string | undefined) ?? '';
      return url !== '';
    },
    20_000,
    'the gateway listening',
  );
  return { child, url, lines, exited };
}

/** A TCP forwarder to the test MariaDB that can be switched on later (the database "appears"). */
async function databaseProxy(target: URL) {
  const sockets = new Set<Socket>();
  const port = await freePort();
  let server: Server | undefined;
  return {
    port,
    async start() {
      server = createServer((client) => {
        const upstream = createConnection(Number(target.port || 3306), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      if (server?.listening) await new Promise<void>((resolve) => server?.close(() => resolve()));
    },
  };
}

describe('startup while the database is down', () => {
  const children: ChildProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) {
      const running = child.exitCode === null && child.signalCode === null;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
      if (running) await once(child, 'exit');
    }
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('is live, not ready, and answers 503 with Retry-After to everything else', async () => {
    // given
    const gateway = await startGateway(CLOSED_DATABASE, children);

    // when
    const health = await rawRequest(`${gateway.url}/health`, { method: 'GET' });
    const ready = await rawRequest(`${gateway.url}/ready`, { method: 'GET' });
    const metrics = await rawRequest(`${gateway.url}/metrics`, { method: 'GET' });
    const graphql = await rawRequest(`${gateway.url}/graphql`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    const token = await rawRequest(`${gateway.url}/oauth/token/request`, { body: '' });

    // then
    expect(health.status).toBe(200);
    expect(ready.status).toBe(503);
    expect(metrics.status).toBe(200);
    for (const response of [graphql, token]) {
      expect(response.status).toBe(503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(response.body).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    }
    await waitFor(
      () => gateway.lines().some((line) => line.msg === 'database unreachable; retrying'),
      5_000,
      'a retry log line',
    );
    expect(gateway.lines().some((line) => line.msg === 'ready')).toBe(false);
  });

  it('exits 0 within a few seconds of SIGTERM', async () => {
    // given
    const gateway = await startGateway(CLOSED_DATABASE, children);
    expect((await rawRequest(`${gateway.url}/health`, { method: 'GET' })).status).toBe(200);

    // when
    const started = performance.now();
    gateway.child.kill('SIGTERM');
    const exit = await Promise.race([
      gateway.exited,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 8_000)),
    ]);

    // then
    expect(exit).toEqual({ code: 0, signal: null });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(gateway.lines().map((line) => line.msg)).toContain('stopped');
  });

  it('becomes ready without a restart once the database appears', async () => {
    // given a gateway whose database port refuses connections
    const { url: testUrl } = await testDatabase();
    const target = new URL(testUrl);
    const proxy = await databaseProxy(target);
    cleanups.push(() => proxy.stop());
    const proxied = new URL(testUrl);
    proxied.port = String(proxy.port);
    const gateway = await startGateway(proxied.toString(), children);
    expect((await rawRequest(`${gateway.url}/ready`, { method: 'GET' })).status).toBe(503);

    // when the database appears
    await proxy.start();

    // then it turns ready within a few seconds and serves GraphQL
    await waitFor(
      async () => (await rawRequest(`${gateway.url}/ready`, { method: 'GET' })).status === 200,
      10_000,
      'readiness',
    );
    const graphql = await rawRequest(`${gateway.url}/graphql`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(graphql.status).toBe(200);
    expect(JSON.parse(graphql.body)).toEqual({ data: { viewer: null } });
    expect(gateway.lines().map((line) => line.msg)).toContain('ready');

    // and it still shuts down cleanly
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
  }, 40_000);
});
