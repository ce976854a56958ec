import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  randomAlphanumeric,
  randomBearerToken,
  sha256Hex,
} from '../../src/crypto/tokens.js';

describe('randomAlphanumeric', () => {
  it('draws lowercase alphanumerics of the requested length', () => {
    expect(randomAlphanumeric(32)).toMatch(/^[0-9a-z]{32}$/);
    expect(randomAlphanumeric(7)).toMatch(/^[0-9a-z]{7}$/);
    expect(randomAlphanumeric()).toHaveLength(32);
  });

  it('does not repeat over 1000 draws', () => {
    const draws = new Set(Array.from({ length: 1000 }, () => randomAlphanumeric(32)));

    expect(draws.size).toBe(1000);
  });

  it('uses the whole alphabet', () => {
    const seen = new Set(randomAlphanumeric(5000));

    expect(seen.size).toBe(36);
  });
});

describe('randomBearerToken', () => {
  it('carries 32 random bytes as base64url', () => {
    const token = randomBearerToken();

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(randomBearerToken()).not.toBe(token);
  });
});

describe('constantTimeEqual', () => {
  it('is true for equal strings', () => {
    expect(constantTimeEqual('secret', 'secret')).toBe(true);
    expect(constantTimeEqual('', '')).toBe(true);
  });

  it('is false for different strings of equal or different length', () => {
    expect(constantTimeEqual('secret', 'secreT')).toBe(false);
    expect(constantTimeEqual('secret', 'secret2')).toBe(false);
    expect(constantTimeEqual('', 'a')).toBe(false);
    expect(constantTimeEqual('a', '')).toBe(false);
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vectors', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
