import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postCallback } from '../../src/oauth/callback-client.js';
import { type CallbackListener, startListener } from '../support/callback-listener.js';

/** A self-signed certificate for 127.0.0.1, made with the openssl CLI. */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'callback-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('callback TLS verification', () => {
  let certificate: { key: Buffer; cert: Buffer };
  let listener: CallbackListener;
  const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

  beforeAll(() => {
    certificate = selfSignedCertificate();
  });

  beforeEach(async () => {
    listener = await startListener(undefined, { tls: certificate });
  });

  afterEach(() => {
    if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
  });

  it('the environment variable really turns verification off for a default client (control)', async () => {
    // given
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

    // when
    const status = await new Promise<number>((resolve, reject) => {
      const sent = request(listener.url(), { method: 'POST', agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      sent.on('error', reject);
      sent.end();
    });

    // then
    expect(status).toBe(200);
    expect(listener.received.map((callback) => callback.url)).toEqual(['/callback']);
  });

  it.each([
    ['NODE_TLS_REJECT_UNAUTHORIZED=0', '0'],
    ['no NODE_TLS_REJECT_UNAUTHORIZED', undefined],
  ])('refuses a self-signed callback certificate with %s', async (_label, value) => {
    // given
    if (value === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = value;

    // when
    const result = await postCallback(
      listener.url(),
      { oauth_consumer_secret: 'secret-that-must-not-arrive' },
      { allowedHosts: new Set(['127.0.0.1']), timeoutMs: 5_000 },
    );

    // then nothing was delivered
    expect(result).toEqual({ ok: false, status: null, refused: false, reason: 'unreachable' });
    expect(listener.received).toEqual([]);
  });
});
