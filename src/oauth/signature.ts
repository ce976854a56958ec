import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { oauthPercentEncode } from './percent-encoding.js';

export type SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256';
export type Parameter = readonly [name: string, value: string];

const ALGORITHM: Record<SignatureMethod, 'sha1' | 'sha256'> = {
  'HMAC-SHA1': 'sha1',
  'HMAC-SHA256': 'sha256',
};

const SCHEME_AUTHORITY_PATH = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/;

/**
 * §3.4.1.2: lowercase scheme+host, default port (80 http / 443 https) dropped, no query or fragment,
 * empty path -> '/', path otherwise kept as given. Throws TypeError on a URL without host or with an
 * invalid port, and on schemes other than http/https.
 */
export function baseStringUri(url: string): string {
  const match = SCHEME_AUTHORITY_PATH.exec(url);
  const scheme = match?.[1]?.toLowerCase();
  if (!match || (scheme !== 'http' && scheme !== 'https')) {
    throw new TypeError('base string URI needs an absolute http(s) URL');
  }
  // WHATWG URL validates host and port, lowercases the host and drops the scheme's default port;
  // only the authority goes through it so that the path is not normalised.
  const authority = new URL(`${scheme}://${match[2]}`);
  if (authority.hostname === '' || authority.port === '0' || authority.pathname !== '/') {
    throw new TypeError('base string URI has an invalid host or port');
  }
  return `${scheme}://${authority.host}${match[3] || '/'}`;
}

/**
 * §3.4.1.3.2: encode names and values, sort by encoded name then encoded value (byte order), join
 * name=value with &. Duplicates and empty values kept.
 */
export function normalizeParameters(params: readonly Parameter[]): string {
  return params
    .map(([name, value]) => [oauthPercentEncode(name), oauthPercentEncode(value)] as const)
    .sort(([nameA, valueA], [nameB, valueB]) =>
      compareAscii(nameA, nameB) === 0 ? compareAscii(valueA, valueB) : compareAscii(nameA, nameB),
    )
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

// Encoded strings are ASCII, so code-unit order is byte order.
function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * METHOD(uppercased) & enc(baseUri) & enc(normalized params). The caller passes params without
 * oauth_signature and realm.
 */
export function signatureBaseString(
  httpMethod: string,
  baseUri: string,
  params: readonly Parameter[],
): string {
  return [
    httpMethod.toUpperCase(),
    oauthPercentEncode(baseUri),
    oauthPercentEncode(normalizeParameters(params)),
  ].join('&');
}

function hmacDigest(
  method: SignatureMethod,
  baseString: string,
  consumerSecret: string,
  tokenSecret: string,
): Buffer {
  const key = `${oauthPercentEncode(consumerSecret)}&${oauthPercentEncode(tokenSecret)}`;
  return createHmac(ALGORITHM[method], key).update(baseString, 'utf8').digest();
}

/** base64 HMAC with key enc(consumerSecret)&enc(tokenSecret) (the & always present). */
export function computeSignature(
  method: SignatureMethod,
  baseString: string,
  consumerSecret: string,
  tokenSecret: string,
): string {
  return hmacDigest(method, baseString, consumerSecret, tokenSecret).toString('base64');
}

/**
 * Constant-time check of a received base64 signature: decodes it, compares fixed-length digests with
 * timingSafeEqual after a length guard; never throws (garbage, empty, truncated -> false). Always
 * computes the expected digest first, so the work does not depend on the input.
 */
export function signatureMatches(
  method: SignatureMethod,
  baseString: string,
  consumerSecret: string,
  tokenSecret: string,
  received: string,
): boolean {
  const expected = hmacDigest(method, baseString, consumerSecret, tokenSecret);
  const decoded = Buffer.from(received, 'base64');
  // Buffer's decoder skips invalid characters; the round trip admits only canonical base64.
  if (decoded.length !== expected.length || decoded.toString('base64') !== received) return false;
  return timingSafeEqual(decoded, expected);
}

/**
 * oauth_body_hash per draft-eaton-oauth-bodyhash: base64 of the plain SHA-1 / SHA-256 (matching the
 * signature method) of the raw body bytes.
 */
export function bodyHash(method: SignatureMethod, body: Uint8Array): string {
  return createHash(ALGORITHM[method]).update(body).digest('base64');
}
