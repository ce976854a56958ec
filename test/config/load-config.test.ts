import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { limitsFrom } from '../../src/config/limits.js';

const KEY = Buffer.alloc(32, 1).toString('base64');

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig defaults', () => {
  it('fills every default from an empty environment', () => {
    // given / when
    const config = loadConfig({});

    // then
    expect(config).toEqual({
      nodeEnv: 'development',
      databaseUrl: 'mysql://root@127.0.0.1:3306/integrations_gateway',
      host: '127.0.0.1',
      port: 4000,
      publicBaseUrl: 'http://127.0.0.1:4000',
      logLevel: 'info',
      credentialsEncryptionKey: null,
      bootstrapAdmin: null,
      graphiql: true,
      consoleDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
      adminSessionTtlSeconds: 4 * 3600,
      callbackAllowedHosts: new Set(),
      integrationsConfig: null,
      corsOrigins: [],
      rateLimitStore: 'memory',
      trustedProxies: [],
      limits: limitsFrom({}),
    });
  });

  it('reads CONSOLE_DIR as given; the default is dist/console at the repository root', () => {
    expect(loadConfig({ CONSOLE_DIR: '/srv/console' }).consoleDir).toBe('/srv/console');
    expect(loadConfig({ CONSOLE_DIR: '' }).consoleDir).toMatch(/\/dist\/console$/);
  });

  it('reads TRUSTED_PROXIES as addresses and CIDR ranges', () => {
    expect(
      loadConfig({
        TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.7,::1, 2001:db8::/32, ::ffff:10.1.0.0/112',
      }).trustedProxies,
    ).toEqual([
      { network: '10.0.0.0', prefix: 8, family: 'ipv4' },
      { network: '192.168.1.7', prefix: 32, family: 'ipv4' },
      { network: '::1', prefix: 128, family: 'ipv6' },
      { network: '2001:db8::', prefix: 32, family: 'ipv6' },
      { network: '::ffff:10.1.0.0', prefix: 112, family: 'ipv6' },
    ]);
  });

  it('refuses every malformed TRUSTED_PROXIES entry', () => {
    const malformed = [
      'proxy.internal',
      '10.0.0.0/33',
      '::1/129',
      '10.0.0.0/',
      '10.0.0.0/-1',
      '10.0.0.0/8/8',
      '010.0.0.1',
      '10.0.0.1:80',
      '[::1]',
      'fe80::1%eth0',
      '',
    ];
    const problems = problemsOf({ TRUSTED_PROXIES: `127.0.0.1,${malformed.join(',')}` });
    expect(problems).toHaveLength(malformed.length);
    for (const [index, entry] of malformed.entries()) {
      expect(problems[index]).toBe(
        `TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)`,
      );
    }
  });

  it('reads limits and CORS origins, refusing values out of range', () => {
    const config = loadConfig({
      MAX_BODY_BYTES: '2048',
      CORS_ORIGINS: 'https://Admin.Example.com, http://localhost:3000',
    });
    expect(config.limits.MAX_BODY_BYTES).toBe(2048);
    expect(config.limits.DB_POOL_SIZE).toBe(10);
    expect(config.corsOrigins).toEqual(['https://admin.example.com', 'http://localhost:3000']);
    expect(problemsOf({ MAX_BODY_BYTES: '10', CORS_ORIGINS: 'nope' })).toEqual([
      'CORS_ORIGINS.0: must be a comma-separated list of origins',
      'MAX_BODY_BYTES: Too small: expected number to be >=1024',
    ]);
  });

  it('reads CALLBACK_ALLOWED_HOSTS as a lowercase set and rejects malformed entries', () => {
    expect(
      loadConfig({ CALLBACK_ALLOWED_HOSTS: '127.0.0.1, LocalHost' }).callbackAllowedHosts,
    ).toEqual(new Set(['127.0.0.1', 'localhost']));
    expect(problemsOf({ CALLBACK_ALLOWED_HOSTS: 'a b' })).toEqual([
      'CALLBACK_ALLOWED_HOSTS.0: must be a comma-separated list of hosts',
    ]);
  });

  it('derives PUBLIC_BASE_URL from HOST and PORT', () => {
    const config = loadConfig({ HOST: '0.0.0.0', PORT: '8080' });

    expect(config.publicBaseUrl).toBe('http://0.0.0.0:8080');
  });

  it('turns GraphiQL off in production and lets GRAPHIQL override it', () => {
    const production = {
      NODE_ENV: 'production',
      CREDENTIALS_ENCRYPTION_KEY: KEY,
      PUBLIC_BASE_URL: 'https://gateway.example.com',
    };

    expect(loadConfig(production).graphiql).toBe(false);
    expect(loadConfig({ ...production, GRAPHIQL: 'true' }).graphiql).toBe(true);
    expect(loadConfig({ GRAPHIQL: 'off' }).graphiql).toBe(false);
  });

  it('is silent by default in test', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
  });

  it('treats empty strings as absent', () => {
    // given every variable set to the empty string
    const env = Object.fromEntries(
      [
        'NODE_ENV',
        'DATABASE_URL',
        'HOST',
        'PORT',
        'PUBLIC_BASE_URL',
        'LOG_LEVEL',
        'CREDENTIALS_ENCRYPTION_KEY',
        'ADMIN_USERNAME',
        'ADMIN_EMAIL',
        'ADMIN_PASSWORD',
        'GRAPHIQL',
        'ADMIN_SESSION_TTL_SECONDS',
      ].map((name) => [name, '']),
    );

    // when / then
    expect(loadConfig(env)).toEqual(loadConfig({}));
  });
});

describe('loadConfig values', () => {
  it('normalises PUBLIC_BASE_URL to a lowercase origin without default port or slash', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'HTTPS://Example.COM:443/' }).publicBaseUrl).toBe(
      'https://example.com',
    );
    expect(loadConfig({ PUBLIC_BASE_URL: 'http://Example.com:8080/' }).publicBaseUrl).toBe(
      'http://example.com:8080',
    );
  });

  it('decodes a 32-byte base64 key', () => {
    const config = loadConfig({ CREDENTIALS_ENCRYPTION_KEY: KEY });

    expect(config.credentialsEncryptionKey).toEqual(Buffer.alloc(32, 1));
  });

  it('rejects keys that do not decode to exactly 32 bytes', () => {
    for (const key of [
      Buffer.alloc(31, 1).toString('base64'),
      Buffer.alloc(33, 1).toString('base64'),
      'not base64 at all!',
    ]) {
      expect(problemsOf({ CREDENTIALS_ENCRYPTION_KEY: key })).toEqual([
        expect.stringMatching(/^CREDENTIALS_ENCRYPTION_KEY: .*32 bytes/),
      ]);
    }
  });

  it('builds the bootstrap admin only when all three ADMIN_* variables are set', () => {
    const config = loadConfig({
      ADMIN_USERNAME: 'root',
      ADMIN_EMAIL: 'root@example.com',
      ADMIN_PASSWORD: 'a long passphrase',
    });

    expect(config.bootstrapAdmin).toEqual({
      username: 'root',
      email: 'root@example.com',
      password: 'a long passphrase',
    });
  });
});

describe('loadConfig problems', () => {
  it('reports every problem at once in one ConfigError', () => {
    // given four independent mistakes
    const env = {
      PORT: 'not-a-port',
      DATABASE_URL: 'postgres://db/x',
      CREDENTIALS_ENCRYPTION_KEY: 'c2hvcnQ=',
      ADMIN_USERNAME: 'root',
    };

    // when
    const problems = problemsOf(env);

    // then
    expect(problems).toHaveLength(4);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: /),
        expect.stringMatching(/^DATABASE_URL: /),
        expect.stringMatching(/^CREDENTIALS_ENCRYPTION_KEY: /),
        expect.stringMatching(/ADMIN_USERNAME, ADMIN_EMAIL, ADMIN_PASSWORD: set all three or none/),
      ]),
    );
  });

  it('lists the problems in the error message', () => {
    expect(() => loadConfig({ PORT: '70000', LOG_LEVEL: 'loud' })).toThrow(
      /Invalid configuration:\n {2}- .*PORT[\s\S]*LOG_LEVEL/,
    );
  });

  it('requires an encryption key and an https PUBLIC_BASE_URL in production', () => {
    const problems = problemsOf({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'HTTP://example.com' });

    expect(problems).toEqual([
      'CREDENTIALS_ENCRYPTION_KEY: required in production',
      'PUBLIC_BASE_URL: must use https in production',
    ]);
  });

  it('requires PUBLIC_BASE_URL in production and sees through surrounding spaces', () => {
    expect(problemsOf({ NODE_ENV: 'production', CREDENTIALS_ENCRYPTION_KEY: KEY })).toEqual([
      'PUBLIC_BASE_URL: required in production (the https origin clients use)',
    ]);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        CREDENTIALS_ENCRYPTION_KEY: KEY,
        PUBLIC_BASE_URL: ' http://x.com',
      }),
    ).toContain('PUBLIC_BASE_URL: must use https in production');
  });

  it('treats a blank PORT as absent', () => {
    expect(loadConfig({ PORT: ' ' }).port).toBe(4000);
  });

  it('accepts a production configuration with a key and an https origin', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      CREDENTIALS_ENCRYPTION_KEY: KEY,
      PUBLIC_BASE_URL: 'https://gateway.example.com',
    });

    expect(config.publicBaseUrl).toBe('https://gateway.example.com');
    expect(config.nodeEnv).toBe('production');
  });

  it('bounds the session TTL', () => {
    expect(problemsOf({ ADMIN_SESSION_TTL_SECONDS: '59' })).toHaveLength(1);
    expect(loadConfig({ ADMIN_SESSION_TTL_SECONDS: '60' }).adminSessionTtlSeconds).toBe(60);
  });
});

describe('loadConfig purity', () => {
  it('returns equal output for the same input', () => {
    const env = { PORT: '5000', CREDENTIALS_ENCRYPTION_KEY: KEY, GRAPHIQL: 'false' };

    expect(loadConfig(env)).toEqual(loadConfig(env));
  });

  it('does not read process.env', () => {
    // given
    const saved = process.env.PORT;
    process.env.PORT = '5555';
    try {
      // when
      const config = loadConfig({});

      // then
      expect(config.port).toBe(4000);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });
});
