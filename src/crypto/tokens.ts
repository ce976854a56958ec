import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const LOWER_ALPHANUMERIC = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Random string over [0-9a-z] from the CSPRNG (the reference's format for keys, tokens, verifiers). */
export function randomAlphanumeric(length = 32): string {
  let out = '';
  for (let i = 0; i < length; i++) out += LOWER_ALPHANUMERIC[randomInt(LOWER_ALPHANUMERIC.length)];
  return out;
}

/** Opaque bearer token with 256 bits of entropy. */
export function randomBearerToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Constant-time string equality. Both sides are hashed first so differing lengths neither throw
 * (timingSafeEqual would) nor return early.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}
