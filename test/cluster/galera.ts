/**
 * A throwaway 3-node MariaDB Galera cluster on loopback: its own data directories under one
 * temporary directory, its own ports, `wsrep_sst_method=rsync`. The first node bootstraps the
 * cluster (`--wsrep-new-cluster`), the others join one by one, each after the previous is Synced.
 * `destroy()` kills every node and removes the directories; the caller runs it in a `finally`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { mysqlUser, stopChild } from '../support/child-process.js';
import { freePort } from '../support/free-port.js';

const run = promisify(execFile);

const GALERA_PROVIDER = '/usr/lib/galera/libgalera_smm.so';

export interface ClusterOptions {
  /** Node count (default 3). */
  nodes?: number;
  /** `wsrep_retry_autocommit` on every node; undefined leaves the server's default (1). */
  retryAutocommit?: number;
  /** Bound for a node to start and reach Synced, in ms (default 60 s). */
  startTimeoutMs?: number;
}

interface NodePorts {
  sql: number;
  gmcast: number;
  ist: number;
  sst: number;
}

/** The ports the brief names (33061…, 4561…, 4571…, 4581…) when free, otherwise free ones. */
async function choosePorts(count: number): Promise<NodePorts[]> {
  const preferred = Array.from({ length: count }, (_, i) => ({
    sql: 33061 + i,
    gmcast: 4561 + i,
    ist: 4571 + i,
    sst: 4581 + i,
  }));
  const all = preferred.flatMap((p) => [p.sql, p.gmcast, p.ist, p.sst]);
  if ((await Promise.all(all.map(isFree))).every(Boolean)) return preferred;
  const ports: NodePorts[] = [];
  for (let i = 0; i < count; i++) {
    ports.push({
      sql: await freePort(),
      gmcast: await freePort(),
      ist: await freePort(),
      sst: await freePort(),
    });
  }
  return ports;
}

async function isFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export class GaleraNode {
  private process: ChildProcess | undefined;

  constructor(
    readonly index: number,
    readonly dir: string,
    readonly ports: NodePorts,
    private readonly cluster: GaleraCluster,
  ) {}

  get name(): string {
    return `node${this.index + 1}`;
  }

  get port(): number {
    return this.ports.sql;
  }

  get socket(): string {
    return join(this.dir, 'mysqld.sock');
  }

  get errorLog(): string {
    return join(this.dir, 'error.log');
  }

  /** A mysql:// URL for `database` on this node (root, no password, loopback). */
  url(database: string): string {
    return `mysql://root@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.process?.exitCode === null && this.process.signalCode === null;
  }

  /** Starts mariadbd and waits until the node is Synced; `bootstrap` starts a new cluster. */
  async start(bootstrap = false): Promise<void> {
    const data = join(this.dir, 'data');
    const others = this.cluster.nodes.map((n) => `127.0.0.1:${n.ports.gmcast}`).join(',');
    const args = [
      '--no-defaults',
      `--datadir=${data}`,
      `--port=${this.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${this.socket}`,
      `--pid-file=${join(this.dir, 'mysqld.pid')}`,
      `--log-error=${this.errorLog}`,
      '--user=mysql',
      '--innodb-buffer-pool-size=64M',
      '--innodb-log-file-size=16M',
      '--max-connections=300',
      '--binlog-format=ROW',
      '--default-storage-engine=InnoDB',
      '--innodb-autoinc-lock-mode=2',
      '--wsrep-on=ON',
      `--wsrep-provider=${GALERA_PROVIDER}`,
      `--wsrep-cluster-address=gcomm://${others}`,
      '--wsrep-cluster-name=ig-cluster-suite',
      `--wsrep-node-name=${this.name}`,
      `--wsrep-node-address=127.0.0.1:${this.ports.gmcast}`,
      `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${this.ports.gmcast};ist.recv_addr=127.0.0.1:${this.ports.ist};gcache.size=64M`,
      `--wsrep-sst-receive-address=127.0.0.1:${this.ports.sst}`,
      '--wsrep-sst-method=rsync',
      ...(this.cluster.options.retryAutocommit === undefined
        ? []
        : [`--wsrep-retry-autocommit=${this.cluster.options.retryAutocommit}`]),
      ...(bootstrap ? ['--wsrep-new-cluster'] : []),
    ];
    const child = spawn('/usr/sbin/mariadbd', args, { stdio: 'ignore' });
    this.process = child;
    const until = Date.now() + (this.cluster.options.startTimeoutMs ?? 60_000);
    while (Date.now() < until) {
      if (child.exitCode !== null) {
        throw new Error(`${this.name} exited with ${child.exitCode}:\n${await this.logTail()}`);
      }
      const state = await this.status('wsrep_local_state_comment').catch(() => null);
      if (state === 'Synced') return;
      await sleep(200);
    }
    throw new Error(`${this.name} did not reach Synced in time:\n${await this.logTail()}`);
  }

  /** Stops the node abruptly (SIGKILL), as a crash would. */
  kill(): Promise<void> {
    return stopChild(this.process, 'SIGKILL');
  }

  /**
   * Cuts the node off from the others (`gmcast.isolate=1`): it leaves the primary component and
   * reports `wsrep_ready=OFF` until `rejoin()`; its mariadbd keeps running and accepting clients.
   */
  async isolate(): Promise<void> {
    await this.sql("SET GLOBAL wsrep_provider_options='gmcast.isolate=1'");
  }

  async rejoin(): Promise<void> {
    await this.sql("SET GLOBAL wsrep_provider_options='gmcast.isolate=0'");
  }

  /** Waits until the status variable `name` (e.g. `wsrep_ready`) reads `value` (bounded). */
  async waitStatus(name: string, value: string, timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if ((await this.status(name).catch(() => null)) === value) return;
      await sleep(200);
    }
    throw new Error(`${this.name}: ${name} did not become ${value}`);
  }

  /** A `SHOW GLOBAL STATUS` value, e.g. `wsrep_ready`, `wsrep_local_state_comment`. */
  async status(name: string): Promise<string> {
    const out = await this.sql(`SHOW GLOBAL STATUS LIKE '${name}'`);
    return out.trim().split('\t')[1] ?? '';
  }

  /** Runs SQL through the node's socket as root; tab-separated rows, no headers. */
  async sql(statement: string): Promise<string> {
    const { stdout } = await run(
      'mariadb',
      [`--socket=${this.socket}`, '-uroot', '-N', '--connect-timeout=2', '-e', statement],
      { timeout: 10_000 },
    );
    return stdout;
  }

  async logTail(lines = 25): Promise<string> {
    const text = await readFile(this.errorLog, 'utf8').catch(() => '(no error log)');
    return text.split('\n').slice(-lines).join('\n');
  }
}

export class GaleraCluster {
  readonly nodes: GaleraNode[] = [];

  private constructor(
    readonly dir: string,
    readonly options: ClusterOptions,
  ) {}

  /**
   * Creates the data directories (nothing runs yet): register `destroy()` for cleanup, then
   * `start()`.
   */
  static async create(options: ClusterOptions = {}): Promise<GaleraCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'ig-galera-'));
    const cluster = new GaleraCluster(dir, options);
    const ports = await choosePorts(options.nodes ?? 3);
    for (const [index, nodePorts] of ports.entries()) {
      const nodeDir = join(dir, `node${index + 1}`);
      await mkdir(join(nodeDir, 'data'), { recursive: true });
      cluster.nodes.push(new GaleraNode(index, nodeDir, nodePorts, cluster));
    }
    return cluster;
  }

  /** Bootstraps the first node, then joins the others one by one, each once Synced. */
  async start(): Promise<void> {
    const { uid, gid } = await mysqlUser();
    await chmod(this.dir, 0o755);
    // Only the first node needs system tables: the others receive the first's data by SST.
    const first = this.nodes[0] as GaleraNode;
    await run('mariadb-install-db', [
      `--datadir=${join(first.dir, 'data')}`,
      '--user=mysql',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
    // The rsync SST daemon of a joining node runs as `nobody`: it must be able to write there.
    for (const node of this.nodes) {
      await chown(node.dir, uid, gid);
      await run('chown', ['-R', `${uid}:${gid}`, join(node.dir, 'data')]);
      await run('chmod', ['-R', 'a+rwX', node.dir]);
    }
    await first.start(true);
    for (const node of this.nodes.slice(1)) await node.start();
  }

  /** The `wsrep_cluster_size` each running node reports. */
  async sizes(): Promise<number[]> {
    return Promise.all(
      this.nodes.map(async (node) =>
        node.running ? Number(await node.status('wsrep_cluster_size').catch(() => 0)) : 0,
      ),
    );
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill()));
    await rm(this.dir, { recursive: true, force: true });
  }
}
