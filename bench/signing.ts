import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import type { OAuthCredentials } from './setup.js';

/**
 * Signs POST requests to `url` as an integrator would, with the `oauth-1.0a` client (HMAC-SHA256,
 * header transport, a fresh nonce and timestamp per call). The JSON body is not signed.
 */
export function signer(credentials: OAuthCredentials, url: string): () => string {
  const client = new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
  const token = { key: credentials.token, secret: credentials.tokenSecret };
  return () => client.toHeader(client.authorize({ url, method: 'POST' }, token)).Authorization;
}
