import { type Algorithm, hash, verify } from '@node-rs/argon2';

// The package exports Algorithm as a const enum, which isolated modules cannot read: Argon2id is 2.
const ARGON2ID = 2 as Algorithm;

// OWASP's Argon2id baseline (19 MiB, 2 passes, 1 lane).
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Longer inputs are refused without hashing them, so huge passwords cannot buy CPU time. */
export const MAX_PASSWORD_LENGTH = 256;
export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password against a stored hash. With no hash (unknown user) it verifies against a
 * dummy hash, so an unknown username costs the same time as a wrong password.
 */
export async function verifyPassword(
  storedHash: string | null,
  password: string,
): Promise<boolean> {
  dummyHash ??= hashPassword('dummy password that never matches anything');
  const candidate = password.length <= MAX_PASSWORD_LENGTH ? password : '';
  const matches = await verify(storedHash ?? (await dummyHash), candidate);
  return matches && storedHash !== null && password.length <= MAX_PASSWORD_LENGTH;
}
