import type { IncomingMessage } from 'node:http';
import { BlockList, isIP, SocketAddress } from 'node:net';
import type { TrustedProxyRange } from '../config/trusted-proxies.js';

interface Address {
  address: string;
  family: 'ipv4' | 'ipv6';
}

const MAPPED_IPV4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/;

/**
 * A bare IP address in one spelling, so one client is one rate-limit key: IPv6 as inet_ntop writes
 * it (lowercase, zeros compressed) and IPv4-mapped IPv6 (`::ffff:10.0.0.1`, what a dual-stack
 * socket reports for an IPv4 peer) as plain IPv4. Null for anything else: ports, brackets, zone
 * ids, names, padding.
 */
function canonicalAddress(value: string): Address | null {
  const version = value.includes('%') ? 0 : isIP(value);
  if (version === 4) return { address: value, family: 'ipv4' };
  if (version !== 6) return null;
  const address = new SocketAddress({ address: value, family: 'ipv6' }).address;
  const mapped = MAPPED_IPV4.exec(address)?.[1];
  return mapped ? { address: mapped, family: 'ipv4' } : { address, family: 'ipv6' };
}

/**
 * The client's address. X-Forwarded-For is read only when the socket peer is a trusted proxy;
 * walking it from the right, each trusted proxy is skipped and the first address that is not one
 * is the client (every proxy appends the peer it saw, so only the entries right of that were
 * written by proxies we trust). A malformed entry on the way means the header cannot be believed:
 * the socket address is used. When every hop is trusted, the leftmost one is the client.
 */
function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  isTrusted: (address: Address) => boolean,
): string | null {
  const socket = peer === undefined ? null : canonicalAddress(peer);
  if (!socket) return peer ?? null;
  if (forwardedFor === undefined || !isTrusted(socket)) return socket.address;
  const hops = [forwardedFor].flat().join(',').split(',');
  let client = socket;
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = canonicalAddress((hops[index] as string).trim());
    if (!hop) return socket.address;
    client = hop;
    if (!isTrusted(hop)) break;
  }
  return client.address;
}

/** Reads the client address of a request under TRUSTED_PROXIES (see clientAddress). */
export function clientAddressResolver(
  trustedProxies: readonly TrustedProxyRange[],
): (req: IncomingMessage) => string | null {
  const trusted = new BlockList();
  for (const range of trustedProxies) trusted.addSubnet(range.network, range.prefix, range.family);
  const isTrusted = ({ address, family }: Address) =>
    trustedProxies.length > 0 && trusted.check(address, family);
  return (req) =>
    clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], isTrusted);
}
