import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretDecryptionError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt stored secret: ${reason}`);
    this.name = 'SecretDecryptionError';
  }
}

/** Short, stable identifier of a key, stored with each value so keys can be rotated later. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

/**
 * AES-256-GCM for secrets the server must recover (OAuth consumer and token secrets).
 * Envelope: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts). `purpose` is bound as
 * additional authenticated data, so a value copied into another column fails to decrypt.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly currentKeyId: string;

  constructor(currentKey: Buffer, previousKeys: Buffer[] = []) {
    for (const key of [currentKey, ...previousKeys]) {
      if (key.length !== 32) throw new Error('Encryption keys must be 32 bytes');
    }
    this.currentKeyId = keyId(currentKey);
    this.keys = new Map([currentKey, ...previousKeys].map((key) => [keyId(key), key]));
  }

  encrypt(plaintext: string, purpose: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(this.currentKeyId), iv);
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.currentKeyId, iv, ciphertext, tag]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  decrypt(envelope: string, purpose: string): string {
    const [version, kid, iv, ciphertext, tag, ...rest] = envelope.split('.');
    if (version !== VERSION || !kid || !iv || ciphertext === undefined || !tag || rest.length) {
      throw new SecretDecryptionError('malformed envelope');
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      throw new SecretDecryptionError('malformed envelope');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.keyFor(kid), ivBytes);
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(tagBytes);
    try {
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretDecryptionError('authentication failed (tampered value or wrong key)');
    }
  }

  /**
   * A key for another use (HKDF-SHA256 of the current key with `purpose` as info): every instance
   * configured with the same key derives the same one.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.keyFor(this.currentKeyId), '', purpose, 32));
  }

  private keyFor(kid: string): Buffer {
    const key = this.keys.get(kid);
    if (!key) throw new SecretDecryptionError(`unknown key id ${kid}`);
    return key;
  }
}
