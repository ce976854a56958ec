import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.js';

/** Signs and checks the opaque cursors of keyset pages. */
export interface CursorCodec {
  /** `<payload>.<mac>`: base64url JSON of the sort key, then its base64url HMAC-SHA256. */
  encode(key: readonly unknown[]): string;
  /** The sort key of a cursor signed with this codec's key; null for anything else. */
  decode(cursor: string): unknown[] | null;
}

/** Far above any real cursor (a 255-character sort value); refused before any work. */
const MAX_CURSOR_LENGTH = 4096;
const CURSOR = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

/** HKDF info of the cursor key; changing it invalidates every cursor given out. */
const CURSOR_KEY_PURPOSE = 'keyset-cursor-v1';

/**
 * Cursors signed with `key`, so a client can hand back only positions the server gave out: a
 * cursor edited, forged or built by hand is refused before its values reach a query.
 */
export function createCursorCodec(key: Buffer): CursorCodec {
  const signatureOf = (payload: string) =>
    createHmac('sha256', key).update(payload).digest('base64url');
  return {
    encode(sortKey) {
      const payload = Buffer.from(JSON.stringify(sortKey)).toString('base64url');
      return `${payload}.${signatureOf(payload)}`;
    },
    decode(cursor) {
      const parts = cursor.length <= MAX_CURSOR_LENGTH ? CURSOR.exec(cursor) : null;
      if (!parts?.[1] || !parts[2]) return null;
      // Compared as text: two spellings of the last base64url digit decode to the same bytes.
      const expected = Buffer.from(signatureOf(parts[1]));
      if (!timingSafeEqual(Buffer.from(parts[2]), expected)) return null;
      // Signed here, so the payload is JSON this codec wrote.
      const sortKey: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      return Array.isArray(sortKey) ? sortKey : null;
    },
  };
}

/**
 * The gateway's cursors: signed with a key derived from CREDENTIALS_ENCRYPTION_KEY, so every
 * instance configured with it accepts the others' cursors.
 */
export function cursorCodecOf(secretBox: SecretBox): CursorCodec {
  return createCursorCodec(secretBox.deriveKey(CURSOR_KEY_PURPOSE));
}
