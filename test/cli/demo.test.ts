import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resetDatabase, testDatabase } from '../support/database.js';
import { freePort } from '../support/free-port.js';
import { waitFor } from '../support/raw-http.js';
import { runCli } from '../support/run-cli.js';

const CLOSED_DATABASE = 'mysql://root@127.0.0.1:1/unreachable';

async function holdPort(): Promise<Server> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}
const portOf = (server: Server) => (server.address() as AddressInfo).port;

// The demo runs as `npm run demo` runs it: in development (no NODE_ENV), with its own .env and an
// http public origin, which production would refuse.
describe('npm run demo', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('on a busy port exits 1 with a message naming PORT, and prints no banner', async () => {
    // given another process listening on the port
    const held = await holdPort();
    cleanups.push(() => new Promise<void>((done) => held.close(() => done())));
    const port = portOf(held);

    // when
    const result = await runCli('demo.ts', [], {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: CLOSED_DATABASE,
    });

    // then
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Cannot listen on 127.0.0.1:${port}: another process already uses port ${port}. Stop it, or set PORT to a free port (e.g. PORT=${port + 1}).`,
    );
    expect(result.stdout).not.toContain('Integrations Gateway demo');
    expect(result.stdout).not.toContain('/graphql');
  });

  it('prints the banner only once the server answers and is ready', async () => {
    // given an empty database and a free port
    const { url, database } = await testDatabase();
    await resetDatabase(database);
    cleanups.push(() => resetDatabase(database));
    const port = await freePort();
    const cwd = mkdtempSync(join(tmpdir(), 'ig-demo-'));
    cleanups.push(() => rmSync(cwd, { recursive: true, force: true }));

    // when the demo starts
    const child: ChildProcess = spawn(
      resolve('node_modules/.bin/tsx'),
      [resolve('src/cli/demo.ts')],
      {
        cwd,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          LOG_LEVEL: 'warn',
          HOST: '127.0.0.1',
          PORT: String(port),
          DATABASE_URL: url,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: tsx runs the demo in a child node process, which cleanup must reach.
        detached: true,
      },
    );
    cleanups.push(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      process.kill(-(child.pid as number), 'SIGTERM');
      await exited;
    });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`demo exited early: ${stdout}`);
        return stdout.includes('Integrations Gateway demo');
      },
      60_000,
      'the demo banner',
    );

    // then the server it names is already up and ready
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    expect(ready.status).toBe(200);
    expect(stdout).toContain(`  GraphiQL:  http://127.0.0.1:${port}/graphql`);
    expect(stdout).toContain(`  Console:   http://127.0.0.1:${port}/admin`);
    const consolePage = await fetch(`http://127.0.0.1:${port}/admin`);
    expect(consolePage.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(stdout).toMatch(/ {2}Sign in: {3}username "admin", password "[^"]{12,}" \(from \.env\)/);
  }, 90_000);
});
