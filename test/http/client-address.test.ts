import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { clientAddressResolver } from '../../src/http/client-address.js';

function resolverFor(trustedProxies: string) {
  const resolve = clientAddressResolver(
    loadConfig({ TRUSTED_PROXIES: trustedProxies }).trustedProxies,
  );
  return (peer: string | undefined, forwardedFor?: string | string[]) =>
    resolve({
      socket: { remoteAddress: peer },
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    } as unknown as IncomingMessage);
}

describe('client address under TRUSTED_PROXIES', () => {
  const behindProxies = resolverFor('10.0.0.0/8, 2001:db8:ffff::/48, 192.0.2.1');

  it('is the socket address without trusted proxies, whatever the header says', () => {
    const direct = clientAddressResolver([]);
    const request = (peer: string, forwardedFor?: string) =>
      direct({
        socket: { remoteAddress: peer },
        headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
      } as unknown as IncomingMessage);

    expect(request('203.0.113.9')).toBe('203.0.113.9');
    expect(request('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
  });

  it('ignores the header of a peer that is not trusted (a spoofed header)', () => {
    expect(behindProxies('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
    expect(behindProxies('203.0.113.9', '10.0.0.1, 198.51.100.1')).toBe('203.0.113.9');
  });

  it('takes the address a trusted proxy appended (one hop)', () => {
    expect(behindProxies('10.0.0.5', '198.51.100.1')).toBe('198.51.100.1');
    expect(behindProxies('192.0.2.1', '198.51.100.1')).toBe('198.51.100.1');
    expect(behindProxies('10.0.0.5')).toBe('10.0.0.5');
  });

  it('skips every trusted proxy from the right and stops at the first address that is not one (two hops)', () => {
    expect(behindProxies('10.0.0.5', '198.51.100.1, 10.1.2.3')).toBe('198.51.100.1');
    // what the client wrote itself, left of the address the first proxy saw, is not believed
    expect(behindProxies('10.0.0.5', '1.1.1.1, 198.51.100.1, 10.1.2.3')).toBe('198.51.100.1');
    expect(behindProxies('10.0.0.5', ['1.1.1.1, 198.51.100.1', '10.1.2.3'])).toBe('198.51.100.1');
  });

  it('is the leftmost address when every hop is a trusted proxy', () => {
    expect(behindProxies('10.0.0.5', '10.9.9.9, 10.1.2.3')).toBe('10.9.9.9');
  });

  it('falls back to the socket address when the header is malformed on the way', () => {
    for (const garbage of [
      '',
      ' ',
      'unknown',
      '198.51.100.1:4711',
      '[2001:db8::1]',
      '198.51.100.1,',
      '198.51.100.1;10.1.2.3',
      '198.51.100.1 10.1.2.3',
      '0198.51.100.1',
      'fe80::1%eth0',
      '<script>',
      '198.51.100.1\u0000',
      '1'.repeat(5000),
    ]) {
      expect(behindProxies('10.0.0.5', garbage)).toBe('10.0.0.5');
      expect(behindProxies('10.0.0.5', `198.51.100.1, ${garbage}, 10.1.2.3`)).toBe('10.0.0.5');
    }
    // garbage left of the client address is never read
    expect(behindProxies('10.0.0.5', 'garbage, 198.51.100.1')).toBe('198.51.100.1');
  });

  it('handles IPv6 peers, ranges and clients, in one spelling', () => {
    expect(behindProxies('2001:db8:ffff::7', '2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(behindProxies('2001:db8:ffff::7', '198.51.100.1')).toBe('198.51.100.1');
    expect(behindProxies('10.0.0.5', '2001:db8::1, 2001:db8:ffff::7')).toBe('2001:db8::1');
    expect(behindProxies('2001:db8:aaaa::7', '198.51.100.1')).toBe('2001:db8:aaaa::7');
  });

  it('reads IPv4-mapped IPv6 (a dual-stack socket) as the IPv4 address it is', () => {
    expect(behindProxies('::ffff:10.0.0.5', '198.51.100.1')).toBe('198.51.100.1');
    expect(behindProxies('::ffff:203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
    expect(behindProxies('10.0.0.5', '::ffff:198.51.100.1, ::ffff:10.1.2.3')).toBe('198.51.100.1');
    expect(resolverFor('::ffff:10.0.0.0/104')('10.0.0.5', '198.51.100.1')).toBe('198.51.100.1');
    expect(resolverFor('10.0.0.0/8')('::ffff:a00:5', '198.51.100.1')).toBe('198.51.100.1');
  });

  it('has no address when the socket has none (it closed before the request was read)', () => {
    expect(behindProxies(undefined, '198.51.100.1')).toBeNull();
  });
});
