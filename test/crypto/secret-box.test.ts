import { describe, expect, it } from 'vitest';
import { keyId, SecretBox, SecretDecryptionError } from '../../src/crypto/secret-box.js';

const KEY = Buffer.alloc(32, 1);
const OTHER_KEY = Buffer.alloc(32, 2);
const PURPOSE = 'oauth_consumer.secret';
const PLAINTEXT = 'consumer-secret-0123456789abcdef';

/** Flips one bit in the base64url part at `index` of an envelope. */
function tamper(envelope: string, index: number): string {
  const parts = envelope.split('.');
  const bytes = Buffer.from(parts[index] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('SecretBox', () => {
  it('round-trips a value, including the empty string and non-ASCII text', () => {
    const box = new SecretBox(KEY);

    for (const value of [PLAINTEXT, '', 'clé secrète ✓']) {
      expect(box.decrypt(box.encrypt(value, PURPOSE), PURPOSE)).toBe(value);
    }
  });

  it('uses a fresh IV: the same plaintext twice gives different envelopes', () => {
    const box = new SecretBox(KEY);

    const first = box.encrypt(PLAINTEXT, PURPOSE);
    const second = box.encrypt(PLAINTEXT, PURPOSE);

    expect(first).not.toBe(second);
    expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
  });

  it('produces a v1.<keyId>.<iv>.<ciphertext>.<tag> envelope without the plaintext', () => {
    const envelope = new SecretBox(KEY).encrypt(PLAINTEXT, PURPOSE);

    const [version, kid, iv, , tag] = envelope.split('.');
    expect(version).toBe('v1');
    expect(kid).toBe(keyId(KEY));
    expect(Buffer.from(iv ?? '', 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag ?? '', 'base64url')).toHaveLength(16);
    expect(envelope).not.toContain(PLAINTEXT);
    expect(envelope).not.toContain(Buffer.from(PLAINTEXT).toString('base64url'));
  });

  it.each([
    ['iv', 2],
    ['ciphertext', 3],
    ['tag', 4],
  ])('rejects a tampered %s', (_part, index) => {
    const box = new SecretBox(KEY);
    const envelope = box.encrypt(PLAINTEXT, PURPOSE);

    expect(() => box.decrypt(tamper(envelope, index), PURPOSE)).toThrow(SecretDecryptionError);
  });

  it('rejects a value decrypted for another purpose', () => {
    const box = new SecretBox(KEY);
    const envelope = box.encrypt(PLAINTEXT, PURPOSE);

    expect(() => box.decrypt(envelope, 'oauth_token.secret')).toThrow(SecretDecryptionError);
  });

  it('rejects a value under an unknown key', () => {
    const envelope = new SecretBox(KEY).encrypt(PLAINTEXT, PURPOSE);

    expect(() => new SecretBox(OTHER_KEY).decrypt(envelope, PURPOSE)).toThrow(
      SecretDecryptionError,
    );
  });

  it('rejects a value whose key id was rewritten to another known key', () => {
    // given a box that knows both keys and a value encrypted under the old one
    const box = new SecretBox(OTHER_KEY, [KEY]);
    const parts = new SecretBox(KEY).encrypt(PLAINTEXT, PURPOSE).split('.');
    parts[1] = keyId(OTHER_KEY);

    // when / then
    expect(() => box.decrypt(parts.join('.'), PURPOSE)).toThrow(SecretDecryptionError);
  });

  it('decrypts values under a previous key and encrypts new ones under the current key', () => {
    // given
    const old = new SecretBox(KEY).encrypt(PLAINTEXT, PURPOSE);
    const rotated = new SecretBox(OTHER_KEY, [KEY]);

    // when
    const fresh = rotated.encrypt(PLAINTEXT, PURPOSE);

    // then
    expect(rotated.decrypt(old, PURPOSE)).toBe(PLAINTEXT);
    expect(fresh.split('.')[1]).toBe(keyId(OTHER_KEY));
    expect(fresh.split('.')[1]).not.toBe(keyId(KEY));
    expect(() => new SecretBox(KEY).decrypt(fresh, PURPOSE)).toThrow(SecretDecryptionError);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(/32 bytes/);
    expect(() => new SecretBox(KEY, [Buffer.alloc(31)])).toThrow(/32 bytes/);
  });

  it('throws SecretDecryptionError for malformed envelopes', () => {
    const box = new SecretBox(KEY);
    const [, kid, iv, ciphertext, tag] = box.encrypt(PLAINTEXT, PURPOSE).split('.');

    for (const envelope of [
      '',
      'garbage',
      'v1',
      `v2.${kid}.${iv}.${ciphertext}.${tag}`,
      `v1.${kid}.${iv}.${ciphertext}`,
      `v1.${kid}.${iv}.${ciphertext}.${tag}.extra`,
      `v1..${iv}.${ciphertext}.${tag}`,
      `v1.${kid}..${ciphertext}.${tag}`,
      `v1.${kid}.${iv}.${ciphertext}.`,
      `v1.${kid}.${iv}.${ciphertext}.AAAA`,
      `v1.${kid}.${iv}..${tag}`,
      `v1.unknown.${iv}.${ciphertext}.${tag}`,
      `v1.${kid}.A.${ciphertext}.${tag}`,
      `v1.${kid}.!!!!.${ciphertext}.${tag}`,
    ]) {
      expect(() => box.decrypt(envelope, PURPOSE), envelope).toThrow(SecretDecryptionError);
    }
  });
});
