import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild, waitListening } from '../support/child-process.js';

/**
 * The health check HAProxy runs against each node (`external-check`): a node is up only while
 * it is Synced (`wsrep_local_state` 4), so a node cut off from the primary component, a joiner
 * or a crashed node gets no new connections. What `clustercheck` does in production setups.
 */
const CHECK_SCRIPT = `#!/bin/sh
# HAProxy passes: <proxy address> <proxy port> <server address> <server port>
state=$(mariadb -h "$3" -P "$4" -uroot -N --connect-timeout=1 -e "SHOW GLOBAL STATUS LIKE 'wsrep_local_state'" 2>/dev/null | cut -f2)
[ "$state" = "4" ]
`;

/**
 * HAProxy in TCP mode on 127.0.0.1:`port` in front of the Galera nodes, with the health check
 * above every 500 ms; connections to a node marked down are shut, so clients reconnect to a
 * healthy one. A gateway whose DATABASE_URL points here reaches the cluster only through it.
 */
export class HaproxyTcpFront {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(port: number, nodePorts: number[]): Promise<HaproxyTcpFront> {
    const dir = await mkdtemp(join(tmpdir(), 'ig-haproxy-tcp-'));
    const check = join(dir, 'galera-check.sh');
    await writeFile(check, CHECK_SCRIPT);
    await chmod(check, 0o755);
    const config = join(dir, 'haproxy.cfg');
    await writeFile(
      config,
      [
        'global',
        '  maxconn 1024',
        '  insecure-fork-wanted',
        '  external-check',
        'defaults',
        '  mode tcp',
        '  timeout connect 2s',
        '  timeout client 1h',
        '  timeout server 1h',
        '  timeout check 2s',
        'frontend mysql',
        `  bind 127.0.0.1:${port}`,
        '  default_backend galera',
        'backend galera',
        '  balance leastconn',
        '  option external-check',
        `  external-check path "${process.env.PATH ?? '/usr/bin:/bin'}"`,
        `  external-check command ${check}`,
        '  default-server inter 500ms fall 2 rise 2 on-marked-down shutdown-sessions',
        ...nodePorts.map((p, i) => `  server node${i + 1} 127.0.0.1:${p} check`),
        '',
      ].join('\n'),
    );
    // -db: stay in the foreground, so the child is HAProxy itself and dies with the suite.
    const child = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.resume();
    const front = new HaproxyTcpFront(port, dir, child);
    await waitListening(child, port, 'haproxy');
    return front;
  }

  url(database: string): string {
    return `mysql://root@127.0.0.1:${this.port}/${database}`;
  }

  async stop(): Promise<void> {
    await stopChild(this.child, 'SIGTERM');
    await rm(this.dir, { recursive: true, force: true });
  }
}
