import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stopChild, waitListening } from './child-process.js';

const run = promisify(execFile);

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * HAProxy terminating TLS on 127.0.0.1:`port` with a self-signed certificate made here, forwarding
 * plain HTTP to 127.0.0.1:`backendPort` with `X-Forwarded-For` and `X-Forwarded-Proto: https`:
 * how a production gateway is reached.
 */
export class TlsProxy {
  private constructor(
    readonly port: number,
    readonly certificate: string,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  get origin(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  static async start(port: number, backendPort: number): Promise<TlsProxy> {
    const dir = await mkdtemp(join(tmpdir(), 'ig-tls-proxy-'));
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    await run('openssl', [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
      ...['-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1'],
    ]);
    const certificate = await readFile(cert, 'utf8');
    const bundle = join(dir, 'bundle.pem');
    await writeFile(bundle, certificate + (await readFile(key, 'utf8')));
    const config = join(dir, 'haproxy.cfg');
    await writeFile(
      config,
      [
        'global',
        '  maxconn 256',
        'defaults',
        '  mode http',
        '  timeout connect 5s',
        '  timeout client 30s',
        '  timeout server 30s',
        'frontend public',
        `  bind 127.0.0.1:${port} ssl crt ${bundle}`,
        '  option forwardfor',
        '  http-request set-header X-Forwarded-Proto https',
        '  default_backend gateway',
        'backend gateway',
        `  server gateway 127.0.0.1:${backendPort}`,
        '',
      ].join('\n'),
    );
    // -db: stay in the foreground, so the child is HAProxy itself and dies with the test.
    const child = spawn('haproxy', ['-db', '-f', config], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const proxy = new TlsProxy(port, certificate, dir, child);
    await waitListening(child, port, 'haproxy');
    return proxy;
  }

  /** An https request that trusts only this proxy's certificate, from `localAddress` if given. */
  send(
    path: string,
    options: {
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      localAddress?: string;
    } = {},
  ): Promise<HttpsAnswer> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        `${this.origin}${path}`,
        {
          method: options.method ?? 'GET',
          headers: options.headers,
          ca: this.certificate,
          ...(options.localAddress ? { localAddress: options.localAddress } : {}),
          agent: false,
        },
        (incoming) => {
          let text = '';
          incoming.setEncoding('utf8');
          incoming.on('data', (chunk: string) => {
            text += chunk;
          });
          incoming.on('end', () =>
            resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(options.body);
    });
  }

  async stop(): Promise<void> {
    await stopChild(this.child, 'SIGTERM');
    await rm(this.dir, { recursive: true, force: true });
  }
}
