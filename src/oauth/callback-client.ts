import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Private, loopback, link-local and other non-public ranges a callback must not reach. */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

class NonPublicAddressError extends Error {
  constructor() {
    super('its host resolves to a non-public address');
  }
}

function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface CallbackPolicy {
  /** Hosts (or IP addresses) allowed over http: and at non-public addresses. */
  allowedHosts: ReadonlySet<string>;
  timeoutMs: number;
}

export type CallbackResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; refused: boolean; reason: string };

const MAX_RESPONSE_BYTES = 64 * 1024;

// Certificates are verified whatever NODE_TLS_REJECT_UNAUTHORIZED says (an explicit option wins
// over it), and callbacks never reuse a pooled socket that was opened under other rules.
const VERIFYING_AGENT = new HttpsAgent({ keepAlive: false, rejectUnauthorized: true });

/**
 * Posts a form to an integration's callback URL. Refuses http: and non-public addresses unless
 * the host is allowed; the address is checked in the connection's own DNS lookup, so a name that
 * resolves differently later cannot redirect it. No redirects are followed, the whole exchange is
 * bounded by `timeoutMs`, and at most 64 KiB of the response is read and never returned. https
 * certificates are always verified, even when the process runs with NODE_TLS_REJECT_UNAUTHORIZED=0.
 */
export function postCallback(
  url: string,
  form: Record<string, string>,
  policy: CallbackPolicy,
): Promise<CallbackResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({ ok: false, status: null, refused: true, reason: 'invalid URL' });
  }
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const hostAllowed = policy.allowedHosts.has(host);
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && hostAllowed)) {
    return Promise.resolve({
      ok: false,
      status: null,
      refused: true,
      reason: 'it must use https',
    });
  }
  // Sockets skip the lookup for IP literals, so those are checked here.
  if (isIP(host) !== 0 && !hostAllowed && !isPublicAddress(host)) {
    return Promise.resolve({
      ok: false,
      status: null,
      refused: true,
      reason: 'its address is not public',
    });
  }

  const vettedLookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const usable = addresses.filter((a) => hostAllowed || isPublicAddress(a.address));
      const chosen = usable[0];
      if (!chosen) return callback(new NonPublicAddressError(), '', 0);
      if (options.all) return callback(null, usable as never, 0);
      return callback(null, chosen.address, chosen.family);
    });
  };

  const body = new URLSearchParams(form).toString();
  const tls = target.protocol === 'https:';
  const send = tls ? httpsRequest : httpRequest;
  return new Promise<CallbackResult>((resolve) => {
    let settled = false;
    const finish = (result: CallbackResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const request = send(target, {
      method: 'POST',
      lookup: vettedLookup,
      ...(tls ? { agent: VERIFYING_AGENT, rejectUnauthorized: true } : { agent: false }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
      },
    });
    const timer = setTimeout(
      () => finish({ ok: false, status: null, refused: false, reason: 'timed out' }),
      policy.timeoutMs,
    );
    request.on('error', (error) =>
      finish({
        ok: false,
        status: null,
        refused: error instanceof NonPublicAddressError,
        reason: error instanceof NonPublicAddressError ? error.message : 'unreachable',
      }),
    );
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) response.destroy();
      });
      const done = () =>
        finish(
          status >= 200 && status < 300
            ? { ok: true, status }
            : { ok: false, status, refused: false, reason: `HTTP ${status}` },
        );
      response.on('end', done);
      response.on('close', done);
      response.on('error', done);
    });
    request.end(body);
  });
}
