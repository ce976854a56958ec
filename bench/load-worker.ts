/**
 * The load generator, in its own process (forked with IPC by bench/run.ts): runs autocannon
 * against one server per request message and answers with what it measured. Signed scenarios get
 * a unique nonce per request: headers are signed with the `oauth-1.0a` client before the timed run
 * (a pool sized by the caller) and, should the pool run out, on the fly (counted).
 */
import autocannon, { type RawRequest, type RequestSpec } from 'autocannon';
import type { OAuthCredentials } from './setup.js';
import { signer } from './signing.js';

export interface LoadRequest {
  url: string;
  path: string;
  duration: number;
  connections: number;
  headers: Record<string, string>;
  /** Request bodies, sent in turn. */
  bodies: string[];
  /** Signs every request as this integration, over `signUrl` (PUBLIC_BASE_URL + path). */
  sign: { credentials: OAuthCredentials; signUrl: string; presign: number } | null;
}

export interface LoadResult {
  /** Good responses per second: 2xx without GraphQL errors. */
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 2xx responses whose body carries GraphQL errors (`"errors":[{`). */
  errorBodies: number;
  statusCodes: Record<string, number>;
  signedLive: number;
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);

export function runLoad(request: LoadRequest): Promise<LoadResult> {
  const sign = request.sign ? signer(request.sign.credentials, request.sign.signUrl) : null;
  const pool: string[] = [];
  for (let i = 0; sign && i < (request.sign?.presign ?? 0); i++) pool.push(sign());
  let next = 0;
  let signedLive = 0;
  let body = 0;
  let errorBodies = 0;
  const spec: RequestSpec = {
    method: 'POST',
    path: request.path,
    headers: request.headers,
    body: request.bodies[0] ?? '',
    onResponse: (status, text) => {
      if (status < 300 && text.includes('"errors":[{')) errorBodies += 1;
    },
  };
  if (sign || request.bodies.length > 1) {
    spec.setupRequest = (raw: RawRequest) => {
      let authorization: string | undefined;
      if (sign) {
        authorization = pool[next];
        if (authorization === undefined) {
          authorization = sign();
          signedLive += 1;
        } else next += 1;
      }
      raw.headers = authorization ? { ...request.headers, authorization } : request.headers;
      raw.body = request.bodies[body++ % request.bodies.length] ?? '';
      return raw;
    };
  }
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        connections: request.connections,
        pipelining: 1,
        duration: request.duration,
        timeout: 10,
        requests: [spec],
      },
      (error, result) => {
        if (error) return reject(error);
        const sorted = Float64Array.from(latencies).sort();
        const statusCodes: Record<string, number> = {};
        for (const [code, stat] of Object.entries(
          (result as unknown as { statusCodeStats: Record<string, { count: number }> })
            .statusCodeStats,
        )) {
          statusCodes[code] = stat.count;
        }
        resolve({
          rps: (result['2xx'] - errorBodies) / result.duration,
          p50: percentile(sorted, 0.5),
          p99: percentile(sorted, 0.99),
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          errorBodies,
          statusCodes,
          signedLive,
        });
      },
    );
    (instance as unknown as NodeJS.EventEmitter).on(
      'response',
      (_client: unknown, status: number, _bytes: number, time: number) => {
        if (status >= 200 && status < 300) latencies.push(time);
      },
    );
  });
}

if (process.send) {
  process.on('message', (message: { id: number; request: LoadRequest }) => {
    runLoad(message.request).then(
      (result) => process.send?.({ id: message.id, result }),
      (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
