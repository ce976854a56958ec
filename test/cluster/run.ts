/**
 * `npm run test:cluster`: several gateways over a 3-node MariaDB Galera cluster behave as one,
 * and survive losing a node. Per mode (`wsrep_retry_autocommit` at its default, then at 0) it
 * starts its own cluster on loopback, three gateways (one per node, started together) and a
 * fourth behind HAProxy in TCP mode, runs the checks of issue #16 across instances and prints a
 * table of invariants. Exits non-zero when any invariant fails. `--mode default|0` runs one mode.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { OUTBOX_VERIFIER_PURPOSE } from '../../src/db/secret-purposes.js';
import { freePort } from '../support/free-port.js';
import { GatewayProcess } from '../support/gateway-process.js';
import { runCli } from '../support/run-cli.js';
import {
  ACTIVATE,
  ADMIN_PASSWORD,
  type Answer,
  CREATE,
  type Credentials,
  codeOf,
  credentialsFrom,
  DELETE,
  LOGIN,
  PRODUCTS,
  PUBLIC_BASE_URL,
  REAUTHORIZE,
  Recorder,
  SETTINGS,
  signedInit,
  UPDATE,
  VIEWER,
} from './client.js';
import { GaleraCluster, type GaleraNode } from './galera.js';
import { HaproxyTcpFront } from './haproxy-tcp.js';

const DATABASE = 'ig_cluster';
const KEY = Buffer.alloc(32, 7).toString('base64');
/** The shared limit check 6 exercises (token endpoint requests per client address per minute). */
const OAUTH_LIMIT = 40;
/**
 * The gateways' guest cache TTL, and the bound for a guest-access switch on one instance to reach
 * the others' anonymous callers: an answer is served at most GUEST_CACHE_TTL_MS after the request
 * that computed it began (docs/cluster.md), plus this suite's polling rounds (500 ms).
 */
const GUEST_TTL_MS = 2_000;
const GUEST_SWITCH_BOUND_MS = GUEST_TTL_MS + 500;
const DECLARED = ['Declared ERP', 'Declared PIM', 'Declared WMS'];
const STALE_CALLBACKS = 8;

/** The whole suite's bound; past it (or on SIGINT/SIGTERM) everything started is stopped. */
const SUITE_TIMEOUT_MS = 10 * 60_000;
const cleanups = new Set<() => Promise<void>>();
async function abort(reason: string): Promise<never> {
  process.stderr.write(`cluster suite: ${reason}; cleaning up\n`);
  await Promise.allSettled([...cleanups].map((c) => c()));
  process.exit(1);
}
process.on('SIGINT', () => void abort('interrupted'));
process.on('SIGTERM', () => void abort('terminated'));
setTimeout(() => void abort(`over ${SUITE_TIMEOUT_MS / 60_000} minutes`), SUITE_TIMEOUT_MS).unref();

type Row = [check: string, name: string, value: string | number, ok: boolean];

interface Instance {
  name: string;
  gateway: GatewayProcess;
  log: string;
  node: GaleraNode | null;
}

const log = (message: string) =>
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** A callback URL stand-in: counts POSTs per path and answers slowly, so sweeps overlap. */
async function startCallbackCounter() {
  const counts = new Map<string, number>();
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      counts.set(request.url ?? '', (counts.get(request.url ?? '') ?? 0) + 1);
      setTimeout(() => response.end('ok'), 150);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function gatewayEnv(databaseUrl: string, configFile: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    GRAPHIQL: 'false',
    DATABASE_URL: databaseUrl,
    PUBLIC_BASE_URL,
    CREDENTIALS_ENCRYPTION_KEY: KEY,
    ADMIN_USERNAME: 'admin',
    ADMIN_EMAIL: 'admin@example.com',
    ADMIN_PASSWORD,
    RATE_LIMIT_STORE: 'mysql',
    RATE_LIMIT_SIGNIN_PER_MINUTE: '100000',
    RATE_LIMIT_INTEGRATION_PER_MINUTE: '1000000',
    RATE_LIMIT_OAUTH_PER_MINUTE: String(OAUTH_LIMIT),
    REQUEST_DEADLINE_MS: '10000',
    CALLBACK_ALLOWED_HOSTS: '127.0.0.1',
    INTEGRATIONS_CONFIG: configFile,
    GUEST_CACHE_TTL_MS: String(GUEST_TTL_MS),
  };
}

async function scalarOn(node: GaleraNode, sql: string): Promise<number> {
  return Number((await node.sql(`USE ${DATABASE}; ${sql}`)).trim().split('\n')[0] ?? 0);
}

async function runMode(retryAutocommit: number | undefined): Promise<Row[]> {
  const rows: Row[] = [];
  const add = (check: string, name: string, value: string | number, ok: boolean) =>
    rows.push([check, name, value, ok]);
  const modeName = retryAutocommit === undefined ? 'default' : String(retryAutocommit);
  log(`mode wsrep_retry_autocommit=${modeName}: starting a 3-node Galera cluster`);
  const cluster = await GaleraCluster.create(
    retryAutocommit === undefined ? {} : { retryAutocommit },
  );
  const dir = await mkdtemp(join(tmpdir(), 'ig-cluster-'));
  const callbacks = await startCallbackCounter();
  const instances: Instance[] = [];
  let front: HaproxyTcpFront | undefined;
  const rec = new Recorder();
  const cleanup = async () => {
    await Promise.all(instances.map((i) => i.gateway.terminate()));
    await front?.stop();
    await callbacks.close();
    await cluster.destroy();
    // The gateways' logs stay when an invariant failed, for reading.
    if (rows.every(([, , , ok]) => ok)) await rm(dir, { recursive: true, force: true });
    else process.stdout.write(`gateway logs kept in ${dir}\n`);
  };
  cleanups.add(cleanup);
  try {
    await cluster.start();
    const nodes = cluster.nodes;
    log(`cluster up: ${nodes.map((n) => n.port).join(', ')}; size ${await cluster.sizes()}`);
    const configFile = join(dir, 'integrations.json');
    await writeFile(
      configFile,
      JSON.stringify({
        integrations: DECLARED.map((name) => ({ name, resourceAccess: 'ALL' })),
      }),
    );
    for (const [i, node] of nodes.entries()) {
      const file = join(dir, `gateway${i + 1}.log`);
      const env = gatewayEnv(node.url(DATABASE), configFile);
      instances.push({
        name: `gw${i + 1}@${node.name}`,
        gateway: new GatewayProcess(await freePort(), env, { logFile: file }),
        log: file,
        node,
      });
    }

    // Check 5: three instances start together on a new database.
    const started = await Promise.allSettled(instances.map((i) => i.gateway.start()));
    const exits = started.filter((s) => s.status === 'rejected').length;
    for (const [i, outcome] of started.entries()) {
      if (outcome.status === 'rejected') await (instances[i] as Instance).gateway.start();
    }
    add('5', 'instances started together that exited', exits, exits === 0);
    const declaredCounts: number[] = [];
    for (const node of nodes) {
      for (const name of DECLARED)
        declaredCounts.push(
          await scalarOn(node, `SELECT COUNT(*) FROM integration WHERE name = '${name}'`),
        );
    }
    add(
      '5',
      'rows per declared integration, on every node (want 1)',
      [...new Set(declaredCounts)].join('/'),
      declaredCounts.every((n) => n === 1),
    );
    const admins = await scalarOn(nodes[0] as GaleraNode, 'SELECT COUNT(*) FROM admin_user');
    add('5', 'bootstrap admins created (want 1)', admins, admins === 1);

    front = await HaproxyTcpFront.start(
      await freePort(),
      nodes.map((n) => n.port),
    );
    const frontLog = join(dir, 'gateway4.log');
    instances.push({
      name: 'gw4@haproxy',
      gateway: new GatewayProcess(await freePort(), gatewayEnv(front.url(DATABASE), configFile), {
        logFile: frontLog,
      }),
      log: frontLog,
      node: null,
    });
    await (instances[3] as Instance).gateway.start();
    const [g1, g2, g3, g4] = instances.map((i) => i.gateway.origin) as [
      string,
      string,
      string,
      string,
    ];
    const perNode = [g1, g2, g3];
    log(`gateways ready: ${instances.map((i) => `${i.name} ${i.gateway.origin}`).join(', ')}`);

    const login = await rec.gql(g1, LOGIN, { u: 'admin', p: ADMIN_PASSWORD });
    const admin = { authorization: `Bearer ${login.json.data?.adminLogin?.token}` };
    const create = async (origin: string, name: string, extra: Record<string, unknown> = {}) => {
      const answer = await rec.gql(
        origin,
        CREATE,
        { i: { name, resourceAccess: 'ALL', currentPassword: ADMIN_PASSWORD, ...extra } },
        admin,
      );
      return answer.json.data?.integrationCreate?.integration?.id as string | undefined;
    };
    const activate = async (origin: string, id: string) =>
      credentialsFrom(
        (await rec.gql(origin, ACTIVATE, { id, p: ADMIN_PASSWORD }, admin)).json.data
          ?.integrationActivate,
      );

    // Check 7 set-up: deliveries left pending by a "crashed" instance, for every instance to
    // sweep (each sweeps every 30 s); verified after checks 1-6.
    const box = new SecretBox(Buffer.from(KEY, 'base64'));
    const staleIds: string[] = [];
    for (let i = 0; i < STALE_CALLBACKS; i++) {
      const id = await create(perNode[i % 3] as string, `Callback ${i}`, {
        callbackUrl: callbacks.url(`/cb/${i}`),
        identityLinkUrl: callbacks.url('/link'),
      });
      if (!id) continue;
      await rec.gql(perNode[i % 3] as string, ACTIVATE, { id, p: ADMIN_PASSWORD }, admin);
      staleIds.push(id);
    }
    const firstDeliveries = [...callbacks.counts.values()].reduce((a, b) => a + b, 0);
    for (const id of staleIds) {
      const verifier = box.encrypt(`verifier-${id}`, OUTBOX_VERIFIER_PURPOSE);
      await (nodes[0] as GaleraNode).sql(
        `UPDATE ${DATABASE}.callback_outbox SET status = 'PENDING', attempts = 1, verifier_encrypted = '${verifier}', updated_at = NOW() - INTERVAL 2 MINUTE WHERE integration_id = ${Number(id)}`,
      );
    }
    const staleSince = Date.now();

    // Check 1: one signed request sent to two instances at the same moment.
    const replayId = (await create(g1, 'Replay')) as string;
    const replay = (await activate(g1, replayId)) as Credentials;
    let exactlyOne = 0;
    let pairErrors = 0;
    const PAIRS = 20;
    for (let i = 0; i < PAIRS; i++) {
      const init = signedInit(VIEWER, replay);
      const a = perNode[i % 3] as string;
      const b = perNode[(i + 1) % 3] as string;
      const answers = await Promise.all([
        rec.send(a, '/graphql', init),
        rec.send(b, '/graphql', init),
      ]);
      const statuses = answers.map((x) => x.status).sort();
      const served = answers.filter((x) => x.status === 200 && !x.json.errors).length;
      if (statuses.join() === '200,401' && served === 1) exactlyOne += 1;
      if (answers.some((x) => x.status >= 500)) pairErrors += 1;
    }
    add(
      '1',
      `replayed pairs answered one 200 and one 401 (of ${PAIRS})`,
      exactlyOne,
      exactlyOne === PAIRS,
    );
    add('1', 'replayed pairs with a 5xx answer', pairErrors, pairErrors === 0);

    // Check 2: lockout across instances, and the failure count under concurrency.
    const cliEnv = gatewayEnv(nodes[0]?.url(DATABASE) as string, configFile);
    for (const username of ['lockme', 'countme', 'countfive']) {
      const made = await runCli(
        'admin-create.ts',
        [
          '--username',
          username,
          '--email',
          `${username}@example.com`,
          '--password',
          ADMIN_PASSWORD,
        ],
        cliEnv,
      );
      if (made.code !== 0) throw new Error(`admin:create ${username}: ${made.stderr}`);
    }
    for (let i = 0; i < 6; i++)
      await rec.gql(perNode[i % 3] as string, LOGIN, { u: 'lockme', p: 'wrong password 123' });
    const lockedAnswers = await Promise.all(
      [g1, g2, g3, g4].map((g) => rec.gql(g, LOGIN, { u: 'lockme', p: ADMIN_PASSWORD })),
    );
    const lockedEverywhere = lockedAnswers.filter((a) => codeOf(a) === 'ACCOUNT_LOCKED').length;
    add(
      '2',
      'instances refusing the right password after 6 failures spread over 3 (of 4)',
      `${lockedEverywhere} (${tally(lockedAnswers)})`,
      lockedEverywhere === 4,
    );
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        rec.gql(perNode[i % 3] as string, LOGIN, { u: 'countme', p: 'wrong password 123' }),
      ),
    );
    const refusedCleanly = concurrent.filter((a) =>
      ['UNAUTHENTICATED', 'ACCOUNT_LOCKED'].includes(codeOf(a)),
    ).length;
    const counted = await scalarOn(
      nodes[1] as GaleraNode,
      "SELECT failure_count FROM admin_user WHERE username = 'countme'",
    );
    add(
      '2',
      '20 concurrent wrong passwords over 3: refused as such',
      `${refusedCleanly} (${tally(concurrent)})`,
      refusedCleanly === 20,
    );
    // Every wrong password is counted, also one that reads the account after the sixth failure
    // locked it, and the failures are numbered 1, 2, … in commit order: exactly five answer
    // below the lockout threshold (6) and the count is 20, unless one was lost or counted twice.
    const belowThreshold = concurrent.filter((a) => codeOf(a) === 'UNAUTHENTICATED').length;
    add(
      '2',
      '20 concurrent wrong passwords over 3: answered below the lockout threshold (want 5)',
      belowThreshold,
      belowThreshold === 5,
    );
    add(
      '2',
      '20 concurrent wrong passwords over 3: failure count (want 20)',
      counted,
      counted === 20,
    );
    const five = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        rec.gql(perNode[i % 3] as string, LOGIN, { u: 'countfive', p: 'wrong password 123' }),
      ),
    );
    const fiveCounted = await scalarOn(
      nodes[2] as GaleraNode,
      "SELECT failure_count FROM admin_user WHERE username = 'countfive'",
    );
    add(
      '2',
      '5 concurrent wrong passwords over 3 (below the threshold): failure count / answers',
      `${fiveCounted} (${tally(five)})`,
      fiveCounted === 5 && five.every((a) => codeOf(a) === 'UNAUTHENTICATED'),
    );

    // Check 3: rotation, grant change and delete on one instance, seen by the others.
    const rotId = (await create(g1, 'Rotated', {
      resourceAccess: 'CUSTOM',
      resources: ['Magento_Catalog::products'],
    })) as string;
    const before = (await activate(g1, rotId)) as Credentials;
    const rotated = credentialsFrom(
      (await rec.gql(g1, REAUTHORIZE, { id: rotId, p: ADMIN_PASSWORD }, admin)).json.data
        ?.integrationReauthorize,
    ) as Credentials;
    const others = [g2, g3, g4];
    const oldRefused = (await Promise.all(others.map((g) => rec.signed(g, VIEWER, before)))).filter(
      (a) => a.status === 401,
    ).length;
    const newAccepted = (
      await Promise.all(others.map((g) => rec.signed(g, VIEWER, rotated)))
    ).filter((a) => a.status === 200 && !a.json.errors).length;
    add(
      '3',
      'old token refused on the other instances after a rotation (of 3)',
      oldRefused,
      oldRefused === 3,
    );
    add('3', 'new token accepted on the other instances (of 3)', newAccepted, newAccepted === 3);
    const productsBefore = (
      await Promise.all([g1, g3, g4].map((g) => rec.signed(g, PRODUCTS, rotated)))
    ).filter((a) => a.status === 200 && !a.json.errors).length;
    await rec.gql(
      g2,
      UPDATE,
      {
        id: rotId,
        i: {
          resourceAccess: 'CUSTOM',
          resources: ['Magento_Sales::sales'],
          currentPassword: ADMIN_PASSWORD,
        },
      },
      admin,
    );
    const productsAfter = (
      await Promise.all([g1, g3, g4].map((g) => rec.signed(g, PRODUCTS, rotated)))
    ).filter((a) => a.json.errors?.length).length;
    add(
      '3',
      'products read before the grant change / refused after it (of 3 each)',
      `${productsBefore}/${productsAfter}`,
      productsBefore === 3 && productsAfter === 3,
    );
    await rec.gql(g3, DELETE, { id: rotId, p: ADMIN_PASSWORD }, admin);
    const goneEverywhere = (
      await Promise.all([g1, g2, g4].map((g) => rec.signed(g, VIEWER, rotated)))
    ).filter((a) => a.status === 401).length;
    add(
      '3',
      'deleted integration refused on the other instances (of 3)',
      goneEverywhere,
      goneEverywhere === 3,
    );

    // Check 4: guest access switched on one instance, seen by the others' anonymous callers.
    const anonymous = (g: string) => rec.gql(g, PRODUCTS);
    await rec.gql(g1, SETTINGS, { on: true, p: ADMIN_PASSWORD }, admin);
    const onDelay = await delayUntil(others, async (g) => !(await anonymous(g)).json.errors);
    for (const g of others) await anonymous(g); // each instance now holds a cached answer
    await rec.gql(g1, SETTINGS, { on: false, p: ADMIN_PASSWORD }, admin);
    const offDelay = await delayUntil(
      others,
      async (g) => codeOf(await anonymous(g)) === 'UNAUTHENTICATED',
    );
    add(
      '4',
      `guest access on: seen by the others after (ms, bound ${GUEST_SWITCH_BOUND_MS})`,
      onDelay,
      onDelay <= GUEST_SWITCH_BOUND_MS,
    );
    add(
      '4',
      `guest access off: seen by the others after (ms, bound ${GUEST_SWITCH_BOUND_MS})`,
      offDelay,
      offDelay <= GUEST_SWITCH_BOUND_MS,
    );

    // Check 6: the shared rate limit counts exactly across instances.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await sleep(60_000 - intoMinute + 200);
    const limited = await Promise.all(
      Array.from({ length: 2 * OAUTH_LIMIT }, (_, i) =>
        rec.send(perNode[i % 3] as string, '/oauth/token/request', {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'oauth_consumer_key=nobody',
        }),
      ),
    );
    const passed = limited.filter((a) => a.status !== 429 && a.status > 0 && a.status < 500).length;
    const throttled = limited.filter((a) => a.status === 429).length;
    const hits = await scalarOn(
      nodes[2] as GaleraNode,
      "SELECT COALESCE(SUM(hits), 0) FROM rate_limit_counter WHERE bucket LIKE 'oauth:%'",
    );
    add(
      '6',
      `token requests let through / throttled, of ${2 * OAUTH_LIMIT} (limit ${OAUTH_LIMIT})`,
      `${passed}/${throttled} (${tally(limited)})`,
      passed === OAUTH_LIMIT && throttled === OAUTH_LIMIT,
    );
    add('6', 'hits counted in the shared store', hits, hits === 2 * OAUTH_LIMIT);

    // Check 7: the pending deliveries, swept by every instance, each delivered once.
    const sweepUntil = staleSince + 70_000;
    let pending = STALE_CALLBACKS;
    while (Date.now() < sweepUntil) {
      pending = await scalarOn(
        nodes[0] as GaleraNode,
        `SELECT COUNT(*) FROM callback_outbox WHERE status = 'PENDING' AND integration_id IN (${staleIds.join(',')})`,
      );
      if (pending === 0) break;
      await sleep(500);
    }
    await sleep(500);
    const deliveries = [...callbacks.counts.values()].reduce((a, b) => a + b, 0) - firstDeliveries;
    const twice = [...callbacks.counts.values()].filter((n) => n > 2).length;
    if (pending > 0 || deliveries !== staleIds.length)
      process.stdout.write(
        `callback outbox (first deliveries ${firstDeliveries}):\n${await (nodes[0] as GaleraNode).sql(`SELECT integration_id, status, attempts, last_error, updated_at, NOW() FROM ${DATABASE}.callback_outbox`)}`,
      );
    add(
      '7',
      `stale deliveries still pending after the sweeps (of ${staleIds.length})`,
      pending,
      pending === 0 && staleIds.length === STALE_CALLBACKS,
    );
    add(
      '7',
      'stale deliveries posted / posted more than once',
      `${deliveries}/${twice}`,
      deliveries === staleIds.length && twice === 0,
    );

    // Check 9: faults under mixed load.
    const faults = await faultsUnderLoad(rec, instances, cluster, front, admin, create, activate);
    for (const [name, value, ok] of faults) add('9', name, value, ok);

    const running = instances.filter((i) => i.gateway.exitCode === null).length;
    add('-', 'gateways still running at the end (of 4)', running, running === 4);

    // Check 8: no commit-time conflict reaches a client, in any check above.
    const logged = await Promise.all(instances.map((i) => readFile(i.log, 'utf8')));
    const unexpected = logged.flatMap((text) =>
      text.split('\n').filter((line) => line.includes('"msg":"unexpected error"')),
    );
    // An error-level line with a 1213 is a conflict that failed a request (an unexpected error,
    // or a request failed before GraphQL handling); a conflict retried or refused is not one.
    const deadlocksLogged = logged
      .flatMap((text) => text.split('\n'))
      .filter((line) => line.startsWith('{"level":50') && line.includes('"errno":1213')).length;
    // Every logged 1213, whatever its level, by the statement it hit: where conflicts arise.
    const conflicts = new Map<string, number>();
    for (const line of logged.flatMap((text) => text.split('\n'))) {
      if (!line.includes('"errno":1213')) continue;
      const statement = /"query":"([^"]{0,60})/.exec(line)?.[1] ?? '?';
      const key = `${/"msg":"([^"]*)"/.exec(line)?.[1] ?? ''}: ${statement}`;
      conflicts.set(key, (conflicts.get(key) ?? 0) + 1);
    }
    add('8', 'answers with a 5xx other than 503', rec.serverErrors, rec.serverErrors === 0);
    add('8', 'answers "Unexpected error."', rec.masked, rec.masked === 0);
    add('8', 'answers mentioning a deadlock', rec.deadlocks, rec.deadlocks === 0);
    add(
      '8',
      'error lines logged with a deadlock (1213) / unexpected errors logged',
      `${deadlocksLogged}/${unexpected.length}`,
      deadlocksLogged === 0,
    );
    add('-', 'requests sent / answered without error', `${rec.requests}/${rec.ok}`, rec.ok > 0);
    add('-', 'requests hung past 15 s', rec.hung, rec.hung === 0);
    add('-', 'responses leaking internals', rec.leaked.length, rec.leaked.length === 0);
    add('-', 'truncated or non-JSON GraphQL bodies', rec.truncated, rec.truncated === 0);

    process.stdout.write(`\nAnswered failures by status and message (mode ${modeName})\n`);
    for (const [key, count] of [...rec.failures].sort((a, b) => b[1] - a[1]).slice(0, 10))
      process.stdout.write(`  ${String(count).padStart(6)}  ${key}\n`);
    for (const leak of rec.leaked.slice(0, 3)) process.stdout.write(`  leaked: ${leak}\n`);
    process.stdout.write('Logged 1213 conflicts by log message and statement\n');
    for (const [key, count] of [...conflicts].sort((a, b) => b[1] - a[1]).slice(0, 12))
      process.stdout.write(`  ${String(count).padStart(6)}  ${key}\n`);
  } finally {
    cleanups.delete(cleanup);
    await cleanup();
  }
  return rows;
}

/** "3×200 1×401": the statuses of a batch of answers, for the table. */
function tally(answers: Answer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const key = `${a.status}${codeOf(a) ? ` ${codeOf(a)}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${n}×${key}`).join(', ');
}

/** Milliseconds until `seen(origin)` holds for every origin (polling; 10 s at most). */
async function delayUntil(
  origins: string[],
  seen: (origin: string) => Promise<boolean>,
): Promise<number> {
  const started = Date.now();
  const pending = new Set(origins);
  while (pending.size > 0 && Date.now() - started < 10_000) {
    for (const origin of [...pending]) if (await seen(origin)) pending.delete(origin);
    if (pending.size > 0) await sleep(50);
  }
  return pending.size === 0 ? Date.now() - started : Number.POSITIVE_INFINITY;
}

type FaultRow = [string, string | number, boolean];

/** Polls GET /ready until it answers `want`; the seconds it took, or "never (last …)". */
async function waitProbe(origin: string, want: number, timeoutMs: number) {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < timeoutMs) {
    const probe = await fetch(`${origin}/ready`, { signal: AbortSignal.timeout(3_000) }).then(
      (r) => String(r.status),
      (e: Error) => e.name,
    );
    last = probe;
    if (probe === String(want))
      return { ok: true, value: ((Date.now() - started) / 1000).toFixed(1) };
    await sleep(200);
  }
  return { ok: false, value: `never (last ${last})` };
}

/**
 * Signed reads, admin writes and rotations on all four instances while node 3 is killed and
 * restarted and node 2 is cut off from the others and rejoins. Then: every acknowledged write on
 * every node, one live token per active integration, the HAProxy gateway served throughout.
 */
async function faultsUnderLoad(
  rec: Recorder,
  instances: Instance[],
  cluster: GaleraCluster,
  _front: HaproxyTcpFront,
  admin: Record<string, string>,
  create: (origin: string, name: string) => Promise<string | undefined>,
  activate: (origin: string, id: string) => Promise<Credentials | null>,
): Promise<FaultRow[]> {
  const [n1, n2, n3] = cluster.nodes as [GaleraNode, GaleraNode, GaleraNode];
  const origins = instances.map((i) => i.gateway.origin);
  const g4 = origins[3] as string;
  const credentials = new Map<string, Credentials>();
  const acknowledgedTokens = new Map<string, Set<string>>();
  for (let i = 0; i < 4; i++) {
    const id = (await create(origins[i] as string, `Load ${i}`)) as string;
    const c = (await activate(origins[i] as string, id)) as Credentials;
    credentials.set(id, c);
    acknowledgedTokens.set(id, new Set([c.token]));
  }
  const ids = [...credentials.keys()];
  const acknowledgedCreates: string[] = [];
  let sequence = 0;
  let stop = false;
  const front = { ok: 0, failed: 0, inWindow: false, okInWindow: 0 };
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)] as T;

  const track = (origin: string, answer: Answer) => {
    if (origin !== g4) return;
    if (answer.status === 200 && !answer.json.errors) {
      front.ok += 1;
      if (front.inWindow) front.okInWindow += 1;
    } else if (answer.status !== 401) front.failed += 1;
  };
  const signedRead = async () => {
    const origin = pick(origins);
    track(origin, await rec.signed(origin, VIEWER, credentials.get(pick(ids)) as Credentials));
  };
  const adminWrite = async () => {
    const origin = pick(origins);
    const name = `Created ${++sequence}`;
    const answer = await rec.gql(
      origin,
      CREATE,
      { i: { name, resourceAccess: 'ALL', currentPassword: ADMIN_PASSWORD } },
      admin,
    );
    track(origin, answer);
    if (answer.json.data?.integrationCreate?.integration) acknowledgedCreates.push(name);
  };
  const rotation = async () => {
    const origin = pick(origins);
    const id = pick(ids);
    const answer = await rec.gql(origin, REAUTHORIZE, { id, p: ADMIN_PASSWORD }, admin);
    track(origin, answer);
    const c = credentialsFrom(answer.json.data?.integrationReauthorize);
    if (c) {
      acknowledgedTokens.get(id)?.add(c.token);
      credentials.set(id, c);
    }
  };
  const worker = async (step: () => Promise<void>) => {
    while (!stop) {
      await step();
      await sleep(5);
    }
  };
  const load = [signedRead, signedRead, signedRead, adminWrite, rotation].map(worker);
  const rows: FaultRow[] = [];
  try {
    await sleep(3_000);
    log('killing node3 under load');
    front.inWindow = true;
    await n3.kill();
    await sleep(12_000);
    front.inWindow = false;
    log('restarting node3 (it rejoins by state transfer)');
    const back = Date.now();
    await n3.start();
    await instances[2]?.gateway.waitReady(60_000).catch(() => undefined);
    const rejoinSeconds = (Date.now() - back) / 1000;
    log(`node3 Synced and its gateway ready after ${rejoinSeconds.toFixed(1)} s`);
    rows.push([
      'HAProxy gateway answers while node3 was down (ok / failed)',
      `${front.okInWindow}/${front.failed}`,
      front.okInWindow > 0,
    ]);
    rows.push([
      'node3 back: Synced and gw3 ready (s)',
      rejoinSeconds.toFixed(1),
      rejoinSeconds < 60,
    ]);

    await sleep(2_000);
    log('cutting node2 off from the cluster');
    await n2.isolate();
    const cut = Date.now();
    await n2.waitStatus('wsrep_ready', 'OFF', 20_000).catch(() => undefined);
    const wsrepOff = (await n2.status('wsrep_ready').catch(() => '')) === 'OFF';
    log(
      `node2 wsrep_ready ${wsrepOff ? 'OFF' : 'still ON'} after ${((Date.now() - cut) / 1000).toFixed(1)} s`,
    );
    rows.push(['node2 cut off: wsrep_ready OFF seen', String(wsrepOff), wsrepOff]);
    const notReady = await waitProbe(origins[1] as string, 503, 10_000);
    rows.push([
      'gw2 answers /ready 503 while its node is cut off (s after wsrep_ready OFF)',
      notReady.value,
      notReady.ok && wsrepOff,
    ]);
    await sleep(2_000);
    log('node2 rejoins');
    await n2.rejoin();
    await n2.waitStatus('wsrep_local_state_comment', 'Synced', 60_000).catch(() => undefined);
    const readyAgain = await waitProbe(origins[1] as string, 200, 30_000);
    rows.push([
      'gw2 ready again after node2 rejoined and Synced (s)',
      readyAgain.value,
      readyAgain.ok,
    ]);
    await sleep(3_000);
  } finally {
    stop = true;
    await Promise.all(load);
  }
  log(`load stopped; HAProxy gateway ${front.ok} ok, ${front.failed} failed`);

  // Invariants on every node.
  const sizes = await cluster.sizes();
  rows.push(['cluster size on each node afterwards', sizes.join('/'), sizes.every((s) => s === 3)]);
  let missing = 0;
  let wrongTokens = 0;
  for (const node of [n1, n2, n3]) {
    const connection = await mysql.createConnection({ uri: node.url(DATABASE) });
    try {
      const [names] = await connection.query('SELECT name FROM integration');
      const present = new Set((names as { name: string }[]).map((r) => r.name));
      missing += acknowledgedCreates.filter((name) => !present.has(name)).length;
      for (const id of ids) {
        const [live] = await connection.query(
          "SELECT t.token FROM oauth_token t JOIN oauth_consumer c ON c.id = t.consumer_id WHERE c.integration_id = ? AND t.type = 'access' AND t.revoked = 0",
          [id],
        );
        const tokens = live as { token: string }[];
        if (tokens.length !== 1 || !acknowledgedTokens.get(id)?.has(tokens[0]?.token ?? ''))
          wrongTokens += 1;
      }
    } finally {
      await connection.end();
    }
  }
  rows.push(['acknowledged creates', acknowledgedCreates.length, acknowledgedCreates.length > 0]);
  rows.push(['acknowledged creates missing, summed over the 3 nodes', missing, missing === 0]);
  rows.push([
    'integrations without exactly one acknowledged live token, over the 3 nodes',
    wrongTokens,
    wrongTokens === 0,
  ]);
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mode: { type: 'string' } } });
  const modes: (number | undefined)[] =
    values.mode === 'default' ? [undefined] : values.mode === '0' ? [0] : [undefined, 0];
  const started = Date.now();
  let failed = 0;
  const tables: string[] = [];
  for (const mode of modes) {
    const rows = await runMode(mode);
    const title = `Cluster suite invariants, wsrep_retry_autocommit=${mode ?? 'default (1)'}`;
    const lines = rows.map(
      ([check, name, value, ok]) => `  ${ok ? 'ok  ' : 'FAIL'}  [${check}] ${name}: ${value}`,
    );
    const bad = rows.filter(([, , , ok]) => !ok).length;
    failed += bad;
    tables.push(`${title}\n${lines.join('\n')}\n  ${rows.length - bad} passed, ${bad} failed`);
  }
  process.stdout.write(
    `\n${tables.join('\n\n')}\n\ncluster suite: ${failed === 0 ? 'passed' : `${failed} failed`} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `cluster suite failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
