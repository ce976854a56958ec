/**
 * `npm run test:faults`: the gateway under mixed load while the database is killed and restarted,
 * connections are killed mid-rotation and the gateway itself is stopped with SIGTERM and started
 * again. Afterwards it checks that nothing acknowledged was lost and prints the invariants.
 * Loopback only, bounded in time (about a minute), its own MariaDB on a free port.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mysql from 'mysql2/promise';
import { freePort } from '../support/free-port.js';
import { GatewayProcess } from '../support/gateway-process.js';
import { oauthHeader } from '../support/oauth-client.js';
import { MariaDbInstance } from './mariadb-instance.js';

const ADMIN_PASSWORD = 'fault suite password 1';
const REQUEST_DEADLINE_MS = 15_000;
const PUBLIC_BASE_URL = 'https://faults.test';

type GqlJson = { data?: any; errors?: { message: string }[] };

interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

const stats = {
  requests: 0,
  ok: 0,
  failedFast: 0,
  hung: 0,
  leakedInternals: [] as string[],
  unavailable: 0,
  unavailableWithoutRetryAfter: 0,
  unauthorized: 0,
  masked: 0,
  failuresByStatus: new Map<string, number>(),
  noConnection: 0,
  truncated: 0,
};

/** Markers that must never reach a client: driver errors, SQL, stack frames, internal paths. */
const INTERNALS = /\bER_[A-Z]|ECONN|PROTOCOL_|Drizzle|SELECT |INSERT |mysql|\/src\/|at \w+ \(/;

async function post(gateway: GatewayProcess, body: unknown, headers: Record<string, string>) {
  stats.requests += 1;
  const started = Date.now();
  try {
    const response = await fetch(`${gateway.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_DEADLINE_MS),
    });
    const text = await response.text();
    if (INTERNALS.test(text)) stats.leakedInternals.push(text.slice(0, 200));
    if (response.status === 503) stats.unavailable += 1;
    if (response.status === 503 && !response.headers.get('retry-after')) {
      stats.unavailableWithoutRetryAfter += 1;
    }
    if (response.status === 401) stats.unauthorized += 1;
    if (text.includes('Unexpected error.')) stats.masked += 1;
    let json: GqlJson = {};
    try {
      json = JSON.parse(text);
    } catch {
      stats.truncated += 1;
    }
    if (response.ok && !json.errors) stats.ok += 1;
    else {
      stats.failedFast += 1;
      const key = `${response.status} ${json.errors?.[0]?.message ?? ''}`.slice(0, 90);
      stats.failuresByStatus.set(key, (stats.failuresByStatus.get(key) ?? 0) + 1);
    }
    return { status: response.status, json };
  } catch (error) {
    if (Date.now() - started >= REQUEST_DEADLINE_MS) stats.hung += 1;
    else {
      stats.failedFast += 1;
      stats.noConnection += 1;
    }
    return { status: 0, json: {} as GqlJson, error };
  }
}

async function main(): Promise<void> {
  const gatewayLog = join(await mkdtemp(join(tmpdir(), 'ig-faults-')), 'gateway.log');
  const db = await MariaDbInstance.create(await freePort());
  await db.start();
  const gateway = new GatewayProcess(
    await freePort(),
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      GRAPHIQL: 'false',
      DATABASE_URL: db.url,
      PUBLIC_BASE_URL,
      CREDENTIALS_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
      ADMIN_USERNAME: 'admin',
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD,
      RATE_LIMIT_SIGNIN_PER_MINUTE: '1000',
      RATE_LIMIT_INTEGRATION_PER_MINUTE: '1000000',
      REQUEST_DEADLINE_MS: '10000',
    },
    { logFile: gatewayLog },
  );
  const log = (message: string) =>
    process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
  let exitCode = 0;
  try {
    await gateway.start();
    log(`gateway ${gateway.origin} over MariaDB on port ${db.port}`);
    const login = await post(
      gateway,
      {
        query: `mutation { adminLogin(input: { username: "admin", password: "${ADMIN_PASSWORD}" }) { token } }`,
      },
      {},
    );
    const admin = { authorization: `Bearer ${login.json.data.adminLogin.token}` };

    // Five active integrations to sign with and rotate.
    const credentials = new Map<string, Credentials>();
    const acknowledgedTokens = new Map<string, Set<string>>();
    for (let i = 0; i < 5; i++) {
      const created = await post(
        gateway,
        {
          query: `mutation($i: IntegrationCreateInput!) { integrationCreate(input: $i) { integration { id } } }`,
          variables: {
            i: { name: `Load ${i}`, resourceAccess: 'ALL', currentPassword: ADMIN_PASSWORD },
          },
        },
        admin,
      );
      const id = created.json.data.integrationCreate.integration.id as string;
      const activated = await post(
        gateway,
        {
          query: `mutation($id: ID!, $p: String!) { integrationActivate(id: $id, currentPassword: $p) { credentials { consumerKey consumerSecret accessToken accessTokenSecret } } }`,
          variables: { id, p: ADMIN_PASSWORD },
        },
        admin,
      );
      const c = activated.json.data.integrationActivate.credentials;
      credentials.set(id, {
        consumerKey: c.consumerKey,
        consumerSecret: c.consumerSecret,
        token: c.accessToken,
        tokenSecret: c.accessTokenSecret,
      });
      acknowledgedTokens.set(id, new Set([c.accessToken]));
    }
    const ids = [...credentials.keys()];
    const acknowledgedCreates: string[] = [];
    let stop = false;
    let sequence = 0;

    const signedRead = async () => {
      const id = ids[Math.floor(Math.random() * ids.length)] as string;
      const c = credentials.get(id) as Credentials;
      const url = `${PUBLIC_BASE_URL}/graphql`;
      await post(
        gateway,
        { query: '{ viewerIntegration { id } }' },
        { authorization: oauthHeader(c, { url, method: 'POST' }) },
      );
    };
    const adminWrite = async () => {
      const name = `Created ${++sequence}`;
      const response = await post(
        gateway,
        {
          query: `mutation($i: IntegrationCreateInput!) { integrationCreate(input: $i) { integration { id } errors { code } } }`,
          variables: { i: { name, resourceAccess: 'ALL', currentPassword: ADMIN_PASSWORD } },
        },
        admin,
      );
      if (response.json.data?.integrationCreate?.integration) acknowledgedCreates.push(name);
    };
    const rotation = async () => {
      const id = ids[Math.floor(Math.random() * ids.length)] as string;
      const response = await post(
        gateway,
        {
          query: `mutation($id: ID!, $p: String!) { integrationReauthorize(id: $id, currentPassword: $p) { credentials { consumerKey consumerSecret accessToken accessTokenSecret } } }`,
          variables: { id, p: ADMIN_PASSWORD },
        },
        admin,
      );
      const c = response.json.data?.integrationReauthorize?.credentials;
      if (c) {
        acknowledgedTokens.get(id)?.add(c.accessToken);
        credentials.set(id, {
          consumerKey: c.consumerKey,
          consumerSecret: c.consumerSecret,
          token: c.accessToken,
          tokenSecret: c.accessTokenSecret,
        });
      }
    };
    const worker = async (step: () => Promise<void>) => {
      while (!stop) {
        await step();
        await sleep(5);
      }
    };
    const load = [signedRead, signedRead, signedRead, adminWrite, rotation, rotation].map(worker);

    // Fault 1: the database is killed under load and comes back 4 s later.
    await sleep(4_000);
    log('killing MariaDB');
    await db.kill();
    await sleep(4_000);
    await db.start();
    const back = Date.now();
    while (Date.now() - back < 30_000) {
      const probe = await fetch(`${gateway.origin}/ready`).catch(() => null);
      if (probe?.status === 200) break;
      await sleep(50);
    }
    const recoverySeconds = (Date.now() - back) / 1000;
    log(`MariaDB back; gateway ready again after ${recoverySeconds.toFixed(2)} s`);

    // Fault 2: connections running a token rotation are killed mid-transaction for 3 s.
    log('killing connections mid-rotation');
    let killed = 0;
    const killer = mysql.createConnection({ uri: db.url.replace('/ig_faults', '/') });
    const until = Date.now() + 3_000;
    const connection = await killer;
    while (Date.now() < until) {
      const [rows] = await connection.query(
        "SELECT id FROM information_schema.processlist WHERE info LIKE '%oauth_token%' AND id <> CONNECTION_ID()",
      );
      for (const { id } of rows as { id: number }[]) {
        await connection.query(`KILL ${id}`).then(
          () => (killed += 1),
          () => undefined,
        );
      }
      await sleep(2);
    }
    await connection.end();
    log(`killed ${killed} connections`);

    // Fault 3: SIGTERM under load; the gateway drains and exits 0, then starts again.
    await sleep(2_000);
    log('SIGTERM to the gateway');
    const exit = await gateway.terminate();
    log(`gateway exited with code ${exit}`);
    if (exit !== 0) exitCode = 1;
    await gateway.start();
    await sleep(4_000);
    stop = true;
    await Promise.all(load);

    // Invariants.
    const check = await mysql.createConnection({ uri: db.url });
    const scalar = async (sql: string, params: unknown[] = []) =>
      Number(((await check.query(sql, params))[0] as Record<string, unknown>[])[0]?.n ?? 0);
    let missingCreates = 0;
    for (const name of acknowledgedCreates) {
      if ((await scalar('SELECT COUNT(*) AS n FROM integration WHERE name = ?', [name])) !== 1)
        missingCreates += 1;
    }
    let wrongTokenCounts = 0;
    let unacknowledgedLiveTokens = 0;
    for (const id of ids) {
      const [rows] = await check.query(
        "SELECT t.token FROM oauth_token t JOIN oauth_consumer c ON c.id = t.consumer_id WHERE c.integration_id = ? AND t.type = 'access' AND t.revoked = 0",
        [id],
      );
      const live = rows as { token: string }[];
      if (live.length !== 1) wrongTokenCounts += 1;
      else if (!acknowledgedTokens.get(id)?.has(live[0]?.token ?? ''))
        unacknowledgedLiveTokens += 1;
    }
    const orphans =
      (await scalar(
        'SELECT COUNT(*) AS n FROM oauth_consumer c LEFT JOIN integration i ON i.id = c.integration_id WHERE i.id IS NULL',
      )) +
      (await scalar(
        'SELECT COUNT(*) AS n FROM oauth_token t LEFT JOIN oauth_consumer c ON c.id = t.consumer_id WHERE c.id IS NULL',
      )) +
      (await scalar(
        'SELECT COUNT(*) AS n FROM integration_acl_grant g LEFT JOIN integration i ON i.id = g.integration_id WHERE i.id IS NULL',
      )) +
      (await scalar(
        'SELECT COUNT(*) AS n FROM integration i LEFT JOIN oauth_consumer c ON c.integration_id = i.id WHERE c.id IS NULL',
      ));
    await check.end();

    const invariants: [string, string | number, boolean][] = [
      ['requests sent', stats.requests, true],
      ['answered without error', stats.ok, stats.ok > 0],
      [
        'failed fast (refused, 503, 401 during rotation, connection refused)',
        stats.failedFast,
        true,
      ],
      ['of which 503 Service Unavailable (database down, or busy)', stats.unavailable, true],
      [
        'of which 503 without Retry-After',
        stats.unavailableWithoutRetryAfter,
        stats.unavailableWithoutRetryAfter === 0,
      ],
      ['of which 401 (signed with a token rotated meanwhile)', stats.unauthorized, true],
      [
        'of which masked "Unexpected error." (an outage must be a 503)',
        stats.masked,
        stats.masked === 0,
      ],
      ['of which no connection (gateway restarting)', stats.noConnection, true],
      ['requests hung past 15 s', stats.hung, stats.hung === 0],
      [
        'responses leaking internals',
        stats.leakedInternals.length,
        stats.leakedInternals.length === 0,
      ],
      ['truncated or non-JSON bodies', stats.truncated, stats.truncated === 0],
      [
        'recovery after the database returned (s)',
        recoverySeconds.toFixed(2),
        recoverySeconds <= 5,
      ],
      ['connections killed mid-rotation', killed, true],
      ['gateway exit code after SIGTERM', String(exit), exit === 0],
      ['acknowledged creates', acknowledgedCreates.length, acknowledgedCreates.length > 0],
      ['acknowledged creates missing from the database', missingCreates, missingCreates === 0],
      ['integrations without exactly one live token', wrongTokenCounts, wrongTokenCounts === 0],
      ['live tokens never acknowledged to a client', unacknowledgedLiveTokens, true],
      ['orphan rows', orphans, orphans === 0],
    ];
    process.stdout.write('\nFault suite invariants\n');
    for (const [name, value, ok] of invariants) {
      process.stdout.write(`  ${ok ? 'ok  ' : 'FAIL'}  ${name}: ${value}\n`);
      if (!ok) exitCode = 1;
    }
    process.stdout.write('\nAnswered failures by status and message\n');
    for (const [key, count] of [...stats.failuresByStatus]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)) {
      process.stdout.write(`  ${String(count).padStart(6)}  ${key}\n`);
    }
    for (const leak of stats.leakedInternals.slice(0, 3))
      process.stdout.write(`  leaked: ${leak}\n`);
    const logged = (await readFile(gatewayLog, 'utf8')).split('\n');
    const unexpected = logged.filter((line) => line.includes('"msg":"unexpected error"'));
    process.stdout.write(`\nGateway log: ${gatewayLog} (${unexpected.length} unexpected errors)\n`);
    for (const line of unexpected.slice(0, 3)) process.stdout.write(`  ${line.slice(0, 400)}\n`);
    const passed = invariants.filter(([, , ok]) => ok).length;
    process.stdout.write(`\nfaults: ${passed} passed, ${invariants.length - passed} failed\n`);
  } finally {
    await gateway.terminate();
    await db.destroy();
  }
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fault suite failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
