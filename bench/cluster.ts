/**
 * `npm run bench -- --cluster [--quick] [--scale N] [--duration S] [--rounds R] [--connections C]`:
 * the signed product read (scenario 1) and the admin write (scenario 5, integrationReauthorize)
 * against one gateway on one node of a 3-node MariaDB Galera cluster, then against three
 * gateways, one per node, with the same total connections split between them. Prints both and
 * the ratio, and writes bench/results/<date>-cluster.md. On one machine the nodes, gateways and
 * load generator share the same cores, so this shows what the cluster costs, not a speed-up.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { GaleraCluster } from '../test/cluster/galera.js';
import type { LoadRequest, LoadResult } from './load-worker.js';
import type { BenchOptions } from './options.js';
import { table } from './report.js';
import { type Scenario, scenarios } from './scenarios.js';
import { type Child, freePort, startLoadWorker, startNode, stop, waitReady } from './servers.js';
import { benchEnv, type Fixture, PUBLIC_BASE_URL, prepareFixture } from './setup.js';

const DATABASE = 'ig_bench_cluster';

function request(
  s: Scenario,
  url: string,
  fixture: Fixture,
  duration: number,
  connections: number,
): LoadRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (s.caller === 'admin') headers.authorization = `Bearer ${fixture.adminToken}`;
  const signed = s.caller === 'signedCustom';
  return {
    url,
    path: '/graphql',
    duration,
    connections,
    headers,
    bodies: s.variables.map((variables) => JSON.stringify({ query: s.query, variables })),
    sign: signed
      ? {
          credentials: fixture.custom,
          signUrl: `${PUBLIC_BASE_URL}/graphql`,
          presign: 3000 * duration,
        }
      : null,
  };
}

interface Setup {
  rps: number;
  p99: number;
  failures: number;
  codes: Record<string, number>;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export async function runClusterBench(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<void> {
  const cluster = await GaleraCluster.create();
  const gateways: Child[] = [];
  const load = startLoadWorker();
  const cleanup = async () => {
    await Promise.all(gateways.map((g) => stop(g.process)));
    load.process.disconnect();
    await stop(load.process, 5_000);
    await cluster.destroy();
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    log('starting a 3-node Galera cluster');
    await cluster.start();
    const fixture = await prepareFixture(options.scale, log, cluster.nodes[0]?.url(DATABASE));
    const env = {
      ...benchEnv(fixture),
      RATE_LIMIT_INTEGRATION_PER_MINUTE: '10000000',
      RATE_LIMIT_OAUTH_PER_MINUTE: '1000000',
    };
    for (const node of cluster.nodes) {
      gateways.push(
        startNode(
          `gateway on ${node.name}`,
          'src/main.ts',
          { ...env, DATABASE_URL: node.url(DATABASE) },
          await freePort(),
        ),
      );
    }
    await Promise.all(gateways.map((g) => waitReady(g)));
    log(`gateways ready: ${gateways.map((g) => g.url).join(', ')}`);
    const list = scenarios({
      reauthorizeIds: fixture.reauthorizeIds,
      adminPassword: fixture.adminPassword,
      orderCount: fixture.orderCount,
      encryptionKey: fixture.encryptionKey,
    }).filter((s) => s.id === 's1' || s.id === 's5');

    /** One round: every target loaded at once, the connections split between them. */
    const round = async (s: Scenario, targets: Child[], seconds: number): Promise<LoadResult[]> => {
      const share = Math.max(1, Math.floor(options.connections / targets.length));
      return Promise.all(targets.map((g) => load.run(request(s, g.url, fixture, seconds, share))));
    };
    const measure = async (s: Scenario, targets: Child[]): Promise<Setup> => {
      await round(s, targets, options.warmup);
      const rounds: LoadResult[][] = [];
      for (let r = 0; r < options.rounds; r++)
        rounds.push(await round(s, targets, options.duration));
      const codes: Record<string, number> = {};
      for (const result of rounds.flat())
        for (const [code, count] of Object.entries(result.statusCodes))
          codes[code] = (codes[code] ?? 0) + count;
      const setup = {
        rps: median(rounds.map((results) => results.reduce((sum, x) => sum + x.rps, 0))),
        p99: median(rounds.map((results) => Math.max(...results.map((x) => x.p99)))),
        failures: rounds
          .flat()
          .reduce((sum, x) => sum + x.non2xx + x.errors + x.timeouts + x.errorBodies, 0),
        codes,
      };
      log(
        `  ${s.title}, ${targets.length} instance(s): ${setup.rps.toFixed(0)} req/s, p99 ${setup.p99.toFixed(1)} ms, failures ${setup.failures} (${JSON.stringify(codes)})`,
      );
      return setup;
    };
    const rows: string[][] = [];
    for (const s of list) {
      const one = await measure(s, gateways.slice(0, 1));
      const three = await measure(s, gateways);
      rows.push([
        s.title,
        Math.round(one.rps).toLocaleString('en-US'),
        one.p99.toFixed(1),
        String(one.failures),
        Math.round(three.rps).toLocaleString('en-US'),
        three.p99.toFixed(1),
        String(three.failures),
        one.rps > 0 ? (three.rps / one.rps).toFixed(2) : 'n/a',
      ]);
    }
    const date = new Date().toISOString().slice(0, 10);
    const report = [
      `# Cluster benchmark ${date}`,
      '',
      `Command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\``,
      '',
      `Machine: ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}; a 3-node MariaDB Galera cluster on loopback (same machine); seedDemoStore scale ${options.scale}; load average ${(loadavg()[0] ?? 0).toFixed(1)} at the end (the cluster, the gateways and the load generator included).`,
      '',
      `Load: autocannon, ${options.connections} connections in all (split evenly between the instances), ${options.warmup} s warm-up, median of ${options.rounds} rounds of ${options.duration} s; req/s are good answers (2xx without GraphQL errors), summed over the instances.`,
      '',
      table(
        [
          'scenario',
          '1 instance / 1 node req/s',
          'p99 ms',
          'failures',
          '3 instances / 3 nodes req/s',
          'p99 ms',
          'failures',
          '3 / 1',
        ],
        rows,
      ),
      '',
      'Every node, gateway and the load generator share the same cores: the ratio is what the cluster costs (certification, three servers applying every write) on one machine, not a speed-up.',
      '',
    ].join('\n');
    process.stdout.write(`\n${report}`);
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    const file = new URL(`./results/${date}-cluster.md`, import.meta.url);
    writeFileSync(file, report);
    log(`wrote ${file.pathname}`);
  } finally {
    await cleanup();
  }
}
