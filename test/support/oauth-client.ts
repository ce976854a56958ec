import { createHash, createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export interface ClientCredentials {
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
}

export type ClientMethod = 'HMAC-SHA256' | 'HMAC-SHA1';

/**
 * Signs requests the way a third-party integrator would: with the `oauth-1.0a` npm client,
 * unique nonces. `extra` adds protocol parameters (oauth_verifier, oauth_body_hash). Returns the
 * protocol parameters, oauth_signature included, for any transport.
 */
export function oauthParameters(
  credentials: ClientCredentials,
  request: { url: string; method: string; data?: Record<string, string> },
  options: { method?: ClientMethod; extra?: Record<string, string> } = {},
): Record<string, string> {
  const method = options.method ?? 'HMAC-SHA256';
  const algorithm = method === 'HMAC-SHA256' ? 'sha256' : 'sha1';
  const client = new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: method,
    hash_function: (base, key) => createHmac(algorithm, key).update(base).digest('base64'),
  });
  const token = credentials.token
    ? { key: credentials.token, secret: credentials.tokenSecret ?? '' }
    : undefined;
  const authorization = client.authorize(
    { url: request.url, method: request.method, data: { ...request.data, ...options.extra } },
    token,
  );
  // authorize() also copies the request's own parameters into its answer; keep the protocol ones.
  const protocol = Object.entries({ ...authorization, ...options.extra }).filter(([name]) =>
    name.startsWith('oauth_'),
  );
  return Object.fromEntries(protocol) as Record<string, string>;
}

/** The same signature in the header transport: `Authorization: OAuth …`. */
export function oauthHeader(
  credentials: ClientCredentials,
  request: { url: string; method: string; data?: Record<string, string> },
  options: { method?: ClientMethod; extra?: Record<string, string> } = {},
): string {
  const client = new OAuth({ consumer: { key: '', secret: '' } });
  const parameters = oauthParameters(credentials, request, options);
  return client.toHeader(parameters as unknown as OAuth.Authorization).Authorization;
}

export const sha256Base64 = (body: string) => createHash('sha256').update(body).digest('base64');
