import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { describe, expect, it } from 'vitest';
import { collectParameters } from '../../src/oauth/request-parameters.js';
import {
  baseStringUri,
  computeSignature,
  signatureBaseString,
  signatureMatches,
} from '../../src/oauth/signature.js';

const consumer = {
  key: 'a6aa81cc3e65e2960a4879392445e718',
  secret: '0k1ejmsyj8v9m6jx4d5t0o3hxsk5r3bw',
};
const token = {
  key: 'kqyb2w1fg7nlxv9zq8uw0dx6dhryrrnc',
  secret: 'u3mk5hnrtgi8qz1e9vjt9p7c2dd2m5o0',
};

const client = new OAuth({
  consumer,
  signature_method: 'HMAC-SHA256',
  hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
});

/** What the server does with a request signed by the client (header transport). */
function verify(method: string, url: string) {
  const { Authorization } = client.toHeader(client.authorize({ url, method }, token));
  const collected = collectParameters({
    authorizationHeader: Authorization,
    query: new URL(url).search,
    formBody: null,
  });
  if (!collected.ok) throw new Error(collected.message);
  const base = signatureBaseString(method, baseStringUri(url), collected.signed);
  const received = collected.protocol.get('oauth_signature') ?? '';
  return {
    computed: computeSignature('HMAC-SHA256', base, consumer.secret, token.secret),
    received,
    matches: signatureMatches('HMAC-SHA256', base, consumer.secret, token.secret, received),
  };
}

describe('oauth-1.0a 2.2.6 client interop (HMAC-SHA256, header transport)', () => {
  it('verifies a GET with a simple query', () => {
    const result = verify('GET', 'https://shop.example.com/graphql?query=%7B%20a%20%7D&x=1');
    expect(result.computed).toBe(result.received);
    expect(result.matches).toBe(true);
  });

  it('verifies a POST with a JSON body sent without data', () => {
    const result = verify('POST', 'https://shop.example.com/graphql');
    expect(result.computed).toBe(result.received);
    expect(result.matches).toBe(true);
  });
});
