import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { LoadRequest, LoadResult } from './load-worker.js';

/** A port free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Child {
  name: string;
  process: ChildProcess;
  url: string;
  /** The last lines it printed, for error reports. */
  output: string[];
  /** JSON log lines at warn level or above, counted by message. */
  problems: Map<string, number>;
}

/** Starts `node --import tsx <file>` with exactly `env` (plus PATH and HOME). */
export function startNode(
  name: string,
  file: string,
  env: Record<string, string>,
  port: number,
  nodeFlags: string[] = [],
) {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', file], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const problems = new Map<string, number>();
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 50) output.shift();
      type Described = { type?: string; code?: string; message?: string; cause?: Described };
      let entry: { level?: number; msg?: string; err?: Described };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        entry = { level: 50, msg: line.slice(0, 200) };
      }
      if ((entry.level ?? 0) >= 40) {
        const { err } = entry;
        const key = [entry.msg, err?.type, err?.message, err?.cause?.type, err?.cause?.code]
          .concat(err?.cause?.message, err?.cause?.cause?.message)
          .filter(Boolean)
          .join(': ');
        problems.set(key, (problems.get(key) ?? 0) + 1);
      }
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    name,
    process: child,
    url: `http://127.0.0.1:${port}`,
    output,
    problems,
  } satisfies Child;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls GET <url>/ready until 200, for at most `timeoutMs`. */
export async function waitReady(child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) break;
    try {
      if ((await fetch(`${child.url}/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${child.name} did not become ready:\n${child.output.join('\n')}`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export async function stop(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Share of CPU time idle on the whole machine over `ms` (from /proc/stat), 0..1. */
export async function machineIdle(ms: number): Promise<number> {
  const sample = () => {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return { idle: (fields[3] ?? 0) + (fields[4] ?? 0), total: fields.reduce((a, b) => a + b, 0) };
  };
  const before = sample();
  await sleep(ms);
  const after = sample();
  return (after.idle - before.idle) / Math.max(1, after.total - before.total);
}

/** CPU ticks (user + system) a process has used, from /proc/<pid>/stat; 0 once it is gone. */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** The MariaDB/MySQL server process, whose work during a round is the benchmark's own. */
export function databasePid(): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (name === 'mariadbd' || name === 'mysqld') return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ). */
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/**
 * Runs `work` and measures CPU while it runs: the milliseconds each of `pids` used, and the share
 * of the whole machine (1 = every core busy) used by other processes, whose work skews a round.
 */
export async function cpuDuring<T>(
  pids: number[],
  work: () => Promise<T>,
): Promise<{ result: T; other: number; cpuMs: Map<number, number> }> {
  const machine = () => {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    return { total, busy: total - (fields[3] ?? 0) - (fields[4] ?? 0) };
  };
  const ticks = () => pids.map(processTicks);
  const before = { ...machine(), ours: ticks() };
  const result = await work();
  const after = { ...machine(), ours: ticks() };
  const used = after.ours.map((t, i) => t - (before.ours[i] ?? 0));
  const other = after.busy - before.busy - used.reduce((a, b) => a + b, 0);
  return {
    result,
    other: Math.max(0, other) / Math.max(1, after.total - before.total),
    cpuMs: new Map(pids.map((pid, i) => [pid, ((used[i] ?? 0) * 1000) / TICKS_PER_SECOND])),
  };
}

/** Resident and peak memory of a process, in MiB, from /proc/<pid>/status. */
export function memoryOf(pid: number | undefined): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** The load generator process and a call that runs one load and waits (bounded) for its result. */
export function startLoadWorker() {
  const child = fork(new URL('./load-worker.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const pending = new Map<number, (reply: { result?: LoadResult; error?: string }) => void>();
  child.on('message', (reply: { id: number; result?: LoadResult; error?: string }) => {
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  const run = (request: LoadRequest): Promise<LoadResult> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the load worker did not answer in time')),
        (request.duration + 120) * 1000,
      );
      pending.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.result) resolve(reply.result);
        else reject(new Error(reply.error ?? 'load failed'));
      });
      child.send({ id, request });
    });
  };
  return { process: child, run };
}
