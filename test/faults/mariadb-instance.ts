import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { mysqlUser, stopChild } from '../support/child-process.js';

const run = promisify(execFile);

/** A throwaway MariaDB server on its own data directory and port, which the suite can stop and start. */
export class MariaDbInstance {
  private process: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(port: number): Promise<MariaDbInstance> {
    const dir = await mkdtemp(join(tmpdir(), 'ig-faults-db-'));
    await chmod(dir, 0o755);
    const { uid, gid } = await mysqlUser();
    await chown(dir, uid, gid);
    await run('mariadb-install-db', [
      `--datadir=${join(dir, 'data')}`,
      '--user=mysql',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
    return new MariaDbInstance(dir, port);
  }

  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}/ig_faults`;
  }

  async start(): Promise<void> {
    this.process = spawn(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        `--datadir=${join(this.dir, 'data')}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(this.dir, 'mysqld.sock')}`,
        `--pid-file=${join(this.dir, 'mysqld.pid')}`,
        '--user=mysql',
        '--skip-log-error',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 150; i++) {
      try {
        await run('mariadb-admin', [`--socket=${join(this.dir, 'mysqld.sock')}`, '-uroot', 'ping']);
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error('the throwaway MariaDB did not start');
  }

  /** Stops the server abruptly (SIGKILL), as a crash or a restart under load would. */
  kill(): Promise<void> {
    return stopChild(this.process, 'SIGKILL');
  }

  async sql(statement: string): Promise<string> {
    const { stdout } = await run('mariadb', [
      `--socket=${join(this.dir, 'mysqld.sock')}`,
      '-uroot',
      '-N',
      '-e',
      statement,
    ]);
    return stdout;
  }

  async destroy(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}
