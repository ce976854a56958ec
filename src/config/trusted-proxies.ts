import { isIP } from 'node:net';
import { z } from 'zod';

/** One TRUSTED_PROXIES entry: an address, or a CIDR range when `prefix` is shorter than the address. */
export interface TrustedProxyRange {
  network: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

const CIDR = /^([^/]+)(?:\/(\d{1,3}))?$/;

/** Parses `10.0.0.1`, `10.0.0.0/8`, `::1` or `2001:db8::/32`; null when malformed. */
function parseTrustedProxyRange(entry: string): TrustedProxyRange | null {
  const match = CIDR.exec(entry);
  const network = match?.[1] ?? '';
  // A zone id (`fe80::1%eth0`) names an interface, not a client address.
  const version = network.includes('%') ? 0 : isIP(network);
  if (version === 0) return null;
  const bits = version === 4 ? 32 : 128;
  const prefix = match?.[2] === undefined ? bits : Number(match[2]);
  if (prefix > bits) return null;
  return { network, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** TRUSTED_PROXIES: comma-separated addresses and CIDR ranges; any malformed entry is an error. */
export const trustedProxyList = z.string().transform((value, ctx) => {
  const ranges: TrustedProxyRange[] = [];
  for (const entry of value.split(',').map((part) => part.trim())) {
    const range = parseTrustedProxyRange(entry);
    if (range) ranges.push(range);
    else
      ctx.addIssue({
        code: 'custom',
        message: `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)`,
      });
  }
  return ranges;
});
