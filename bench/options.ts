import { parseArgs } from 'node:util';

export interface BenchOptions {
  quick: boolean;
  /** seedDemoStore scale: 200 products, 100 customers and 500 orders per unit. */
  scale: number;
  /** Seconds of load per measured round. */
  duration: number;
  /** Seconds of the warm-up run of each server before a scenario's rounds. */
  warmup: number;
  /** Measured rounds per server and scenario (they alternate gateway, baseline, …). */
  rounds: number;
  connections: number;
  /** In-process executions per mode for the shield overhead. */
  shieldIterations: number;
  /** Scenario ids to run (all when empty). */
  only: string[];
  /** Start the gateway with `node --cpu-prof` (profiles in bench/results/profiles/). */
  cpuProf: boolean;
  /** The cluster scenario instead (bench/cluster.ts): one instance on one Galera node vs three. */
  cluster: boolean;
}

function wholeNumber(text: string | undefined, fallback: number, name: string, max: number) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`--${name} must be a whole number from 1 to ${max}`);
  }
  return value;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      scale: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      cluster: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const quick = values.quick ?? false;
  const cluster = values.cluster ?? false;
  return {
    quick,
    scale: wholeNumber(values.scale, quick || cluster ? 20 : 200, 'scale', 2000),
    duration: wholeNumber(values.duration, quick ? 2 : 6, 'duration', 60),
    warmup: wholeNumber(values.warmup, quick ? 1 : 2, 'warmup', 30),
    rounds: wholeNumber(values.rounds, 3, 'rounds', 10),
    connections: wholeNumber(values.connections, 50, 'connections', 500),
    shieldIterations: quick ? 200 : 1000,
    only: values.only ? values.only.split(',').map((id) => id.trim()) : [],
    cpuProf: values['cpu-prof'] ?? false,
    cluster,
  };
}
