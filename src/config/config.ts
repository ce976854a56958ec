import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type Limits, limitFields, limitsFrom } from './limits.js';
import { type TrustedProxyRange, trustedProxyList } from './trusted-proxies.js';

type NodeEnv = 'development' | 'test' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

interface BootstrapAdmin {
  username: string;
  email: string;
  password: string;
}

export interface Config {
  nodeEnv: NodeEnv;
  databaseUrl: string;
  host: string;
  port: number;
  /** Origin clients use to reach this server (scheme, host and non-default port, no trailing slash). */
  publicBaseUrl: string;
  logLevel: LogLevel;
  /** 32-byte AES key for secrets at rest; null only outside production when the variable is unset. */
  credentialsEncryptionKey: Buffer | null;
  bootstrapAdmin: BootstrapAdmin | null;
  graphiql: boolean;
  /**
   * The admin console's build (index.html and assets/), served at /admin; a relative path is
   * taken from the working directory when served.
   */
  consoleDir: string;
  adminSessionTtlSeconds: number;
  /**
   * Hosts (names or IP addresses, lowercase) the server may post OAuth callbacks to even over
   * http: or at private, loopback or link-local addresses. Empty in production unless set.
   */
  callbackAllowedHosts: ReadonlySet<string>;
  /** Path of the file declaring CONFIG integrations (JSON or YAML), or null. */
  integrationsConfig: string | null;
  /** Browser origins allowed by CORS; empty means no cross-origin access. */
  corsOrigins: readonly string[];
  /** Where rate-limit counters live: this process, or MySQL (shared by instances). */
  rateLimitStore: 'memory' | 'mysql';
  /** Peers whose X-Forwarded-For is believed (see src/http/client-address.ts); empty: none. */
  trustedProxies: readonly TrustedProxyRange[];
  limits: Limits;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Unset and empty variables both count as absent, so `FOO=` in a shell or .env means "use the default". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional(),
  );

const booleanFlag = z.enum(['true', 'false', '1', '0', 'on', 'off']).transform((v) => {
  return v === 'true' || v === '1' || v === 'on';
});

const encryptionKey = z.string().transform((value, ctx) => {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32 || key.toString('base64') !== value.replace(/\s/g, '')) {
    ctx.addIssue({ code: 'custom', message: 'must be exactly 32 bytes encoded as base64' });
    return z.NEVER;
  }
  return key;
});

const envSchema = z.object({
  NODE_ENV: optional(z.enum(['development', 'test', 'production'])),
  DATABASE_URL: optional(z.url({ protocol: /^mysql$/, error: 'must be a mysql:// URL' })),
  HOST: optional(z.string().min(1)),
  PORT: optional(z.coerce.number().int().min(0).max(65535)),
  PUBLIC_BASE_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  CREDENTIALS_ENCRYPTION_KEY: optional(encryptionKey),
  ADMIN_USERNAME: optional(z.string().trim().min(1).max(40)),
  ADMIN_EMAIL: optional(z.email()),
  ADMIN_PASSWORD: optional(z.string().min(12, 'must be at least 12 characters').max(256)),
  GRAPHIQL: optional(booleanFlag),
  CONSOLE_DIR: optional(z.string()),
  ADMIN_SESSION_TTL_SECONDS: optional(
    z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600),
  ),
  INTEGRATIONS_CONFIG: optional(z.string()),
  CORS_ORIGINS: optional(
    z
      .string()
      .transform((value) => value.split(',').map((origin) => origin.trim()))
      .pipe(
        z.array(
          z.url({ protocol: /^https?$/, error: 'must be a comma-separated list of origins' }),
        ),
      ),
  ),
  RATE_LIMIT_STORE: optional(z.enum(['memory', 'mysql'])),
  TRUSTED_PROXIES: optional(trustedProxyList),
  ...limitFields(optional),
  CALLBACK_ALLOWED_HOSTS: optional(
    z
      .string()
      .transform((value) => value.split(',').map((host) => host.trim().toLowerCase()))
      .pipe(
        z.array(z.string().regex(/^[a-z0-9.:_-]+$/, 'must be a comma-separated list of hosts')),
      ),
  ),
});

const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3306/integrations_gateway';
const DEFAULT_SESSION_TTL_SECONDS = 4 * 3600;
/** The console's build output in this checkout (the repository root is two levels up). */
const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../dist/console', import.meta.url));

/** Normalises an origin: lowercase scheme and host, default port dropped, no path or trailing slash. */
function normalizeOrigin(url: string): string {
  return new URL(url).origin;
}

/** Rules that span several variables; they read the raw values so they report alongside field errors. */
function crossVariableProblems(env: Record<string, string | undefined>): string[] {
  const present = (name: string) => (env[name] ?? '').trim() !== '';
  const problems: string[] = [];
  if (env.NODE_ENV === 'production') {
    if (!present('CREDENTIALS_ENCRYPTION_KEY')) {
      problems.push('CREDENTIALS_ENCRYPTION_KEY: required in production');
    }
    if (!present('PUBLIC_BASE_URL')) {
      problems.push('PUBLIC_BASE_URL: required in production (the https origin clients use)');
    } else if (!env.PUBLIC_BASE_URL?.trim().toLowerCase().startsWith('https:')) {
      problems.push('PUBLIC_BASE_URL: must use https in production');
    }
  }
  const adminVars = ['ADMIN_USERNAME', 'ADMIN_EMAIL', 'ADMIN_PASSWORD'];
  const setCount = adminVars.filter(present).length;
  if (setCount > 0 && setCount < adminVars.length) {
    problems.push(`${adminVars.join(', ')}: set all three or none`);
  }
  return problems;
}

/**
 * Reads and validates the configuration from an environment object. Pure: it reads nothing but
 * `env`, so tests pass plain objects. Every problem is reported at once in one ConfigError.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const problems = [
    ...(parsed.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    ...crossVariableProblems(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);

  const vars = parsed.data;
  const nodeEnv = vars.NODE_ENV ?? 'development';
  const host = vars.HOST ?? '127.0.0.1';
  const port = vars.PORT ?? 4000;
  return {
    nodeEnv,
    databaseUrl: vars.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    host,
    port,
    publicBaseUrl: normalizeOrigin(vars.PUBLIC_BASE_URL ?? `http://${host}:${port}`),
    logLevel: vars.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    credentialsEncryptionKey: vars.CREDENTIALS_ENCRYPTION_KEY ?? null,
    bootstrapAdmin:
      vars.ADMIN_USERNAME && vars.ADMIN_EMAIL && vars.ADMIN_PASSWORD
        ? { username: vars.ADMIN_USERNAME, email: vars.ADMIN_EMAIL, password: vars.ADMIN_PASSWORD }
        : null,
    graphiql: vars.GRAPHIQL ?? nodeEnv !== 'production',
    consoleDir: vars.CONSOLE_DIR ?? DEFAULT_CONSOLE_DIR,
    adminSessionTtlSeconds: vars.ADMIN_SESSION_TTL_SECONDS ?? DEFAULT_SESSION_TTL_SECONDS,
    callbackAllowedHosts: new Set(vars.CALLBACK_ALLOWED_HOSTS ?? []),
    integrationsConfig: vars.INTEGRATIONS_CONFIG ?? null,
    corsOrigins: (vars.CORS_ORIGINS ?? []).map(normalizeOrigin),
    rateLimitStore: vars.RATE_LIMIT_STORE ?? 'memory',
    trustedProxies: vars.TRUSTED_PROXIES ?? [],
    limits: limitsFrom(vars),
  };
}
