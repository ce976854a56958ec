/**
 * `npm run bench [-- --quick] [--scale N] [--duration S] [--warmup S] [--rounds R]
 * [--connections C] [--only s1,s6a,…] [--cpu-prof]`: seeds a dedicated database (ig_bench),
 * starts the gateway (production mode) and the baseline as separate processes, loads both from a
 * third process with autocannon in alternating rounds, measures statements per request and the
 * permission layer in-process, and writes the table to stdout and bench/results/<date>.md
 * (`-quick` and `-<only>` suffixes for partial runs). `--cpu-prof` writes gateway profiles to
 * bench/results/profiles/. `--cluster` runs the cluster scenario instead (bench/cluster.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import mysql from 'mysql2/promise';
import { runClusterBench } from './cluster.js';
import { measureInProcess } from './inprocess.js';
import type { LoadRequest, LoadResult } from './load-worker.js';
import { parseOptions } from './options.js';
import { type Measured, renderReport, type ScenarioResult } from './report.js';
import { type Scenario, scenarios } from './scenarios.js';
import {
  type Child,
  cpuDuring,
  databasePid,
  freePort,
  machineIdle,
  memoryOf,
  startLoadWorker,
  startNode,
  stop,
  waitReady,
} from './servers.js';
import { benchEnv, type Fixture, PUBLIC_BASE_URL, prepareFixture } from './setup.js';
import { signer } from './signing.js';

const options = parseOptions(process.argv.slice(2));
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const children: { process: Child['process'] }[] = [];

// Hard bound on the whole run: seeding grows with the scale, everything else is fixed.
const watchdog = setTimeout(
  () => {
    log('time limit reached: stopping');
    for (const child of children) child.process.kill('SIGKILL');
    process.exit(2);
  },
  (20 * 60 + options.scale) * 1000,
);
watchdog.unref();
process.on('SIGINT', () => {
  for (const child of children) child.process.kill('SIGTERM');
  process.exit(130);
});

type Target = 'gateway' | 'baseline';

function loadRequest(
  s: Scenario,
  target: Target,
  url: string,
  fixture: Fixture,
  duration: number,
  presign: number,
): LoadRequest {
  const path = target === 'gateway' ? '/graphql' : `/${s.id}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (s.caller === 'admin') headers.authorization = `Bearer ${fixture.adminToken}`;
  const credentials =
    s.caller === 'signedCustom' ? fixture.custom : s.caller === 'signedAll' ? fixture.all : null;
  return {
    url,
    path,
    duration,
    connections: options.connections,
    headers,
    bodies: s.variables.map((variables) => JSON.stringify({ query: s.query, variables })),
    sign: credentials ? { credentials, signUrl: `${PUBLIC_BASE_URL}${path}`, presign } : null,
  };
}

/** One request to each server: both must succeed and, for reads, answer the same data. */
async function check(s: Scenario, urls: Record<Target, string>, fixture: Fixture) {
  const answers: Record<string, unknown> = {};
  for (const target of ['gateway', 'baseline'] as const) {
    const request = loadRequest(s, target, urls[target], fixture, 0, 0);
    const headers = { ...request.headers };
    if (request.sign)
      headers.authorization = signer(request.sign.credentials, request.sign.signUrl)();
    const response = await fetch(`${request.url}${request.path}`, {
      method: 'POST',
      headers,
      body: request.bodies[0] ?? '',
    });
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    if (response.status !== 200 || body.errors) {
      return `no: ${target} answered ${response.status} ${JSON.stringify(body).slice(0, 300)}`;
    }
    answers[target] = body.data;
  }
  if (!s.comparable) return 'n/a (write)';
  return isDeepStrictEqual(answers.gateway, answers.baseline) ? 'yes' : 'NO';
}

/** A measured run: the load result, others' CPU share, and CPU milliseconds per response. */
type Round = LoadResult & { other: number; serverCpuMs: number; dbCpuMs: number };

/** Rounds that may still be measured again because another workload competed (> 10 % CPU). */
let retries = options.quick ? 3 : 8;

/** Seconds the whole run may still spend waiting for other workloads on the machine to pause. */
let quietBudget = options.quick ? 20 : 120;

/** Before a round: waits (from a bounded budget) until the machine is ≥ 90 % idle. */
async function waitForQuiet(): Promise<void> {
  let waited = 0;
  while (quietBudget > 0 && (await machineIdle(500)) < 0.9) {
    quietBudget -= 0.5;
    waited += 0.5;
  }
  if (waited > 0) log(`  waited ${waited} s for other work on the machine to pause`);
}

function summarize(rounds: Round[]): Measured {
  const median = (pick: (r: Round) => number) => {
    const sorted = rounds.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  };
  const sum = (pick: (r: Round) => number) => rounds.reduce((acc, r) => acc + pick(r), 0);
  const statusCodes: Record<string, number> = {};
  for (const r of rounds) {
    for (const [code, count] of Object.entries(r.statusCodes)) {
      statusCodes[code] = (statusCodes[code] ?? 0) + count;
    }
  }
  return {
    rps: median((r) => r.rps),
    p50: median((r) => r.p50),
    p99: median((r) => r.p99),
    ok: sum((r) => r.ok),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors + r.timeouts),
    errorBodies: sum((r) => r.errorBodies),
    signedLive: sum((r) => r.signedLive),
    statusCodes,
    otherCpu: Math.max(...rounds.map((r) => r.other)),
    serverCpuMs: median((r) => r.serverCpuMs),
    dbCpuMs: median((r) => r.dbCpuMs),
  };
}

/** Statements the baseline sends for one request, from its /stats counter. */
async function baselineStatements(url: string, fixture: Fixture, s: Scenario, first: number) {
  const stats = async () =>
    ((await (await fetch(`${url}/stats`)).json()) as { statements: number }).statements;
  const before = await stats();
  const request = loadRequest({ ...s, variables: [{ first }] }, 'baseline', url, fixture, 0, 0);
  const headers = { ...request.headers };
  if (request.sign)
    headers.authorization = signer(request.sign.credentials, request.sign.signUrl)();
  const response = await fetch(`${url}${request.path}`, {
    method: 'POST',
    headers,
    body: request.bodies[0] ?? '',
  });
  if (response.status !== 200) throw new Error(`baseline ${s.id} answered ${response.status}`);
  await response.arrayBuffer();
  return (await stats()) - before;
}

async function serverVersion(url: string): Promise<string> {
  const connection = await mysql.createConnection({ uri: url });
  try {
    const [rows] = await connection.query('SELECT VERSION() AS v');
    return String((rows as { v: string }[])[0]?.v);
  } finally {
    await connection.end();
  }
}

async function main(): Promise<void> {
  log(`options ${JSON.stringify(options)}`);
  const fixture = await prepareFixture(options.scale, log);
  log(`fixture ready (${elapsed()}); measuring in-process`);
  await waitForQuiet();
  const inProcess = await measureInProcess(fixture, options.shieldIterations);

  const env = {
    ...benchEnv(fixture),
    // Rate limits, when configured, are raised out of the way: this measures throughput.
    RATE_LIMIT_INTEGRATION_PER_MINUTE: '10000000',
    RATE_LIMIT_OAUTH_PER_MINUTE: '1000000',
  };
  const profile = ['--cpu-prof', '--cpu-prof-dir', 'bench/results/profiles'];
  const gateway = startNode(
    'gateway',
    'src/main.ts',
    env,
    await freePort(),
    options.cpuProf ? profile : [],
  );
  children.push(gateway);
  const baseline = startNode('baseline', 'bench/baseline-server.ts', env, await freePort());
  children.push(baseline);
  const load = startLoadWorker();
  children.push(load);
  try {
    await Promise.all([waitReady(gateway), waitReady(baseline)]);
    const memoryBefore = memoryOf(gateway.process.pid).rss;
    log(`servers ready (${elapsed()}): gateway ${gateway.url}, baseline ${baseline.url}`);
    const idle = await machineIdle(2_000);
    const loadBefore = loadavg()[0] ?? 0;
    log(
      `machine idle before load: ${(idle * 100).toFixed(0)} %, load average ${loadBefore.toFixed(2)}`,
    );
    if (idle < 0.9)
      log('WARNING: other processes are using the CPU; figures will be low and noisy');
    const urls = { gateway: gateway.url, baseline: baseline.url };
    const dbPid = databasePid() ?? -1;
    const serverPid = { gateway: gateway.process.pid ?? -1, baseline: baseline.process.pid ?? -1 };
    const pids = [
      serverPid.gateway,
      serverPid.baseline,
      load.process.pid ?? -1,
      process.pid,
      dbPid,
    ];
    const list = scenarios({
      reauthorizeIds: fixture.reauthorizeIds,
      adminPassword: fixture.adminPassword,
      orderCount: fixture.orderCount,
      encryptionKey: fixture.encryptionKey,
    });

    const statements = [];
    for (const [label, id] of [
      ['1 signed products', 's1'],
      ['2 signed orders nested', 's2'],
      ['4 admin integrations', 's4'],
    ] as const) {
      const s = list.find((x) => x.id === id);
      const gatewayCounts = inProcess.statements.find((x) => x.label === label);
      if (!s || !gatewayCounts) continue;
      statements.push({
        ...gatewayCounts,
        baseline: [
          await baselineStatements(baseline.url, fixture, s, 10),
          await baselineStatements(baseline.url, fixture, s, 100),
        ] as [number, number],
      });
    }

    const results: ScenarioResult[] = [];
    let rerun = 0;
    for (const s of list.filter((x) => options.only.length === 0 || options.only.includes(x.id))) {
      const verdict = await check(s, urls, fixture);
      log(`${s.title}: same data ${verdict} (${elapsed()})`);
      // Pre-signed headers per run: twice the best rate seen so far (a guess before the first run).
      const best: Record<Target, number> = { gateway: 0, baseline: 0 };
      const presign = (target: Target, seconds: number) =>
        Math.min(
          250_000,
          Math.ceil((best[target] || 5000) * seconds * 2) + 2 * options.connections,
        );
      const run = async (target: Target, seconds: number): Promise<Round> => {
        const request = loadRequest(
          s,
          target,
          urls[target],
          fixture,
          seconds,
          presign(target, seconds),
        );
        const { result, other, cpuMs } = await cpuDuring(pids, () => load.run(request));
        best[target] = Math.max(best[target], result.rps);
        const responses = Math.max(1, result.ok + result.non2xx);
        return {
          ...result,
          other,
          serverCpuMs: (cpuMs.get(serverPid[target]) ?? 0) / responses,
          dbCpuMs: (cpuMs.get(dbPid) ?? 0) / responses,
        };
      };
      await run('gateway', options.warmup);
      await run('baseline', options.warmup);
      const rounds: Record<Target, Round[]> = { gateway: [], baseline: [] };
      for (let round = 0; round < options.rounds; round++) {
        const order: Target[] = round % 2 === 0 ? ['gateway', 'baseline'] : ['baseline', 'gateway'];
        for (const target of order) {
          await waitForQuiet();
          let result = await run(target, options.duration);
          if (result.other > 0.1 && retries > 0) {
            retries -= 1;
            log(
              `  round ${round + 1} ${target}: other processes used ${(result.other * 100).toFixed(0)} % of the CPU; measuring it again`,
            );
            rerun += 1;
            await waitForQuiet();
            result = await run(target, options.duration);
          }
          rounds[target].push(result);
          log(
            `  round ${round + 1} ${target}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, non-2xx ${result.non2xx}, errors in body ${result.errorBodies}, other CPU ${(result.other * 100).toFixed(0)} %`,
          );
        }
      }
      results.push({
        scenario: s,
        gateway: summarize(rounds.gateway),
        baseline: summarize(rounds.baseline),
        check: verdict,
      });
    }
    const after = memoryOf(gateway.process.pid);

    const date = new Date().toISOString().slice(0, 10);
    const report = renderReport({
      date,
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      machine: `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}, MariaDB ${await serverVersion(fixture.databaseUrl)}; CPU idle before load ${(idle * 100).toFixed(0)} %, load average ${loadBefore.toFixed(2)} before and ${(loadavg()[0] ?? 0).toFixed(2)} after`,
      data: `seedDemoStore scale ${options.scale}: ${fixture.productCount.toLocaleString('en-US')} products, ${fixture.orderCount.toLocaleString('en-US')} orders, seeded in ${fixture.seedSeconds.toFixed(1)} s; ${fixture.reauthorizeIds.length + 2} integrations`,
      load: `autocannon, ${options.connections} connections, pipelining 1, per scenario a ${options.warmup} s warm-up of each server then ${options.rounds} rounds of ${options.duration} s per server, alternating; ${rerun} ${rerun === 1 ? 'round' : 'rounds'} measured again because other processes used > 10 % of the CPU (the first measurement discarded)`,
      results,
      statements,
      shield: inProcess.shield,
      memory: { before: memoryBefore, after: after.rss, peak: after.peak },
      gatewayLog: [...gateway.problems].map(([message, count]) => ({ message, count })),
    });
    process.stdout.write(`\n${report}`);
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    const suffix = `${options.quick ? '-quick' : ''}${options.only.length > 0 ? `-${options.only.join('-')}` : ''}`;
    const file = new URL(`./results/${date}${suffix}.md`, import.meta.url);
    writeFileSync(file, report);
    log(`wrote ${file.pathname} (${elapsed()})`);
  } finally {
    await Promise.all([stop(gateway.process), stop(baseline.process)]);
    load.process.disconnect();
    await stop(load.process, 5_000);
  }
}

(options.cluster ? runClusterBench(options, log) : main()).then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    for (const child of children) child.process.kill('SIGKILL');
    process.exit(1);
  },
);
