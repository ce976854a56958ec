import { type ChildProcess, execFile } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Sends `signal` to a running child and waits for it to exit (nothing when it already has). */
export async function stopChild(
  child: ChildProcess | undefined,
  signal: NodeJS.Signals,
): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** Waits until 127.0.0.1:`port` accepts connections; fails early when `child` exits. */
export async function waitListening(
  child: ChildProcess,
  port: number,
  name: string,
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`${name} did not start listening`);
}

/** The uid and gid of the `mysql` account, which owns MariaDB data directories. */
export async function mysqlUser(): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run('id', ['-u', 'mysql']),
    run('id', ['-g', 'mysql']),
  ]);
  return { uid: Number(uid), gid: Number(gid) };
}
