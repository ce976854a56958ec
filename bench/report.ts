import type { InProcessResults } from './inprocess.js';
import type { Scenario } from './scenarios.js';

export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** Sums over the measured rounds. */
  ok: number;
  non2xx: number;
  errors: number;
  errorBodies: number;
  signedLive: number;
  statusCodes: Record<string, number>;
  /** Highest share of the machine's CPU used by other processes during a round (0..1). */
  otherCpu: number;
  /** CPU milliseconds per response of the server process, and of MariaDB (medians). */
  serverCpuMs: number;
  dbCpuMs: number;
}

export interface ScenarioResult {
  scenario: Scenario;
  gateway: Measured;
  baseline: Measured;
  check: string;
}

export interface ReportInput {
  date: string;
  command: string;
  machine: string;
  data: string;
  load: string;
  results: ScenarioResult[];
  statements: (InProcessResults['statements'][number] & { baseline: [number, number] })[];
  shield: InProcessResults['shield'];
  memory: { before: number; after: number; peak: number };
  gatewayLog: { message: string; count: number }[];
}

const n0 = (value: number) => Math.round(value).toLocaleString('en-US');
const n1 = (value: number) => value.toFixed(1);
const n2 = (value: number) => value.toFixed(2);
/** A Markdown table padded the way the repository's formatter (Biome) prints it. */
export function table(head: string[], rows: string[][]): string {
  const width = (text: string) => [...text].length;
  const widths = head.map((h, i) => Math.max(3, width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - width(c))).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const failures = (m: Measured) => m.non2xx + m.errors + m.errorBodies;

export function renderReport(input: ReportInput): string {
  const byId = new Map(input.results.map((r) => [r.scenario.id, r]));
  const throughput = table(
    [
      'scenario',
      'gateway req/s',
      'p50 ms',
      'p99 ms',
      'baseline req/s',
      'p50 ms',
      'p99 ms',
      'gateway / baseline',
      'failed gw / bl',
      'same data',
      'others CPU gw / bl',
    ],
    input.results.map(({ scenario, gateway: g, baseline: b, check }) => [
      scenario.title,
      n0(g.rps),
      n1(g.p50),
      n1(g.p99),
      n0(b.rps),
      n1(b.p50),
      n1(b.p99),
      n2(g.rps / b.rps),
      `${failures(g)} / ${failures(b)}`,
      check,
      `${n0(g.otherCpu * 100)} % / ${n0(b.otherCpu * 100)} %`,
    ]),
  );
  const cpu = table(
    [
      'scenario',
      'gateway process',
      'baseline process',
      'gateway / baseline',
      'MariaDB, gateway rounds',
      'MariaDB, baseline rounds',
    ],
    input.results.map(({ scenario, gateway: g, baseline: b }) => [
      scenario.title,
      n2(g.serverCpuMs),
      n2(b.serverCpuMs),
      n1(g.serverCpuMs / b.serverCpuMs),
      n2(g.dbCpuMs),
      n2(b.dbCpuMs),
    ]),
  );
  const first = byId.get('s6a');
  const deep = byId.get('s6b');
  const pagination =
    first && deep
      ? table(
          ['server', 'page 1 p50 ms', 'deep page p50 ms', 'deep / first'],
          (['gateway', 'baseline'] as const).map((side) => [
            side,
            n1(first[side].p50),
            n1(deep[side].p50),
            n2(deep[side].p50 / first[side].p50),
          ]),
        )
      : '(not run)';
  const statements = table(
    ['request', 'gateway first 10', 'gateway first 100', 'baseline first 10', 'baseline first 100'],
    input.statements.map((s) => [s.label, ...s.gateway.map(String), ...s.baseline.map(String)]),
  );
  const shield = table(
    ['document', 'executions', 'with shield ms (median)', 'without ms (median)', 'overhead'],
    input.shield.map((s) => [
      s.label,
      String(s.iterations),
      n2(s.withShield),
      n2(s.withoutShield),
      `${n1((s.withShield / s.withoutShield - 1) * 100)} %`,
    ]),
  );
  const failed = input.results
    .flatMap(({ scenario, gateway, baseline }) =>
      (['gateway', 'baseline'] as const).map((side) => {
        const m = side === 'gateway' ? gateway : baseline;
        return failures(m) > 0
          ? `- ${scenario.title}, ${side}: ${m.non2xx} non-2xx, ${m.errors} socket errors, ${m.errorBodies} 2xx with GraphQL errors; status codes ${JSON.stringify(m.statusCodes)}`
          : null;
      }),
    )
    .filter((line): line is string => line !== null);
  const live = input.results.reduce(
    (sum, r) => sum + r.gateway.signedLive + r.baseline.signedLive,
    0,
  );
  return [
    `# Benchmark ${input.date}`,
    '',
    `- command: \`${input.command}\``,
    `- machine: ${input.machine}`,
    `- data: ${input.data}`,
    `- load: ${input.load}`,
    `- signed requests: pre-signed with the \`oauth-1.0a\` client (unique nonces); ${live} had to be signed during the run`,
    '',
    '## Throughput and latency (medians of the rounds)',
    '',
    throughput,
    '',
    failed.length > 0
      ? `Failed responses:\n\n${failed.join('\n')}`
      : 'Every response was 2xx without GraphQL errors.',
    '',
    '"others CPU" is the largest share of the machine (both cores) that processes outside the benchmark (servers, load generator, MariaDB) used during a measured round; above a few percent another workload competed and that round is low and noisy.',
    '',
    input.gatewayLog.length > 0
      ? `Gateway log lines at warn or above:\n\n${input.gatewayLog.map((l) => `- ${l.count} × ${l.message}`).join('\n')}`
      : 'The gateway logged nothing at warn or above.',
    '',
    '## CPU milliseconds per response (from /proc, medians of the rounds)',
    '',
    'Less sensitive to other workloads than req/s: the CPU each process spent per answered request.',
    '',
    cpu,
    '',
    '## Scenario 6: deep pagination',
    '',
    pagination,
    '',
    '## SQL statements per request',
    '',
    statements,
    '',
    ...input.statements.map(
      (s) =>
        `Gateway statements for "${s.label}" (first 10), as Drizzle sent them (identifier quotes removed):\n\n${s.sql.map((q) => `- \`${q}\``).join('\n')}\n`,
    ),
    '## Permission layer overhead (in-process `execute`, same document, shield on and off)',
    '',
    shield,
    '',
    '## Gateway memory (VmRSS)',
    '',
    `before load ${n1(input.memory.before)} MiB, after load ${n1(input.memory.after)} MiB, peak ${n1(input.memory.peak)} MiB`,
    '',
    '## Targets',
    '',
    targets(input),
    '',
  ].join('\n');
}

function targets(input: ReportInput): string {
  const rows: string[][] = [];
  const mark = (met: boolean) => (met ? 'met' : '**missed**');
  for (const r of input.results.filter((x) => ['s1', 's2', 's3', 's4'].includes(x.scenario.id))) {
    const ratio = r.gateway.rps / r.baseline.rps;
    const wanted = r.scenario.id === 's3' ? 0.8 : 0.5;
    rows.push([
      `${r.scenario.title}: gateway ≥ ${wanted} × baseline req/s`,
      n2(ratio),
      mark(ratio >= wanted),
    ]);
    rows.push([
      `${r.scenario.title}: gateway p99 ≤ 25 ms`,
      `${n1(r.gateway.p99)} ms`,
      mark(r.gateway.p99 <= 25),
    ]);
  }
  for (const r of input.results) {
    const total = r.gateway.ok + r.gateway.non2xx + r.gateway.errors;
    const good = total === 0 ? 0 : (r.gateway.ok - r.gateway.errorBodies) / total;
    rows.push([
      `${r.scenario.title}: ≥ 99 % of gateway responses 2xx without errors`,
      `${n2(good * 100)} %`,
      mark(good >= 0.99),
    ]);
  }
  const first = input.results.find((r) => r.scenario.id === 's6a');
  const deep = input.results.find((r) => r.scenario.id === 's6b');
  if (first && deep) {
    const ratio = deep.gateway.p50 / first.gateway.p50;
    rows.push(['6 deep page p50 ≤ 1.5 × first page p50 (gateway)', n2(ratio), mark(ratio <= 1.5)]);
  }
  for (const s of input.statements) {
    const [small, large] = s.gateway;
    rows.push([
      `statements constant in page size: ${s.label}`,
      `${small} / ${large}`,
      mark(small === large),
    ]);
  }
  for (const s of input.shield) {
    const overhead = s.withShield / s.withoutShield - 1;
    rows.push([
      `permission overhead ≤ 15 %: ${s.label}`,
      `${n1(overhead * 100)} %`,
      mark(overhead <= 0.15),
    ]);
  }
  return table(['target', 'measured', 'result'], rows);
}
