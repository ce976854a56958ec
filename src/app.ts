import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { type Context, createContext } from './api/context.js';
import { permissionTree } from './api/permissions.js';
import { buildSchema } from './api/schema.js';
import type { Config } from './config/config.js';
import type { SecretBox } from './crypto/secret-box.js';
import { type DatabaseHandle, isDatabaseReady } from './db/client.js';
import {
  createGuestResponseCache,
  type GuestResponseCache,
} from './guest-cache/guest-response-cache.js';
import { maskError } from './http/mask-error.js';
import { browserSessionOf, principalOf, useAuthentication } from './http/use-authentication.js';
import { useCompiledQueries } from './http/use-compiled-queries.js';
import { useConsole } from './http/use-console.js';
import { useErrorSanitizer } from './http/use-error-sanitizer.js';
import { useGraphiQLPage } from './http/use-graphiql-page.js';
import { useGraphQLLimits } from './http/use-graphql-limits.js';
import { useGuestResponseCache } from './http/use-guest-response-cache.js';
import { useIntrospectionControl } from './http/use-introspection-control.js';
import { useObservability } from './http/use-observability.js';
import { useReadinessProbe } from './http/use-readiness-probe.js';
import { useRequestErrors } from './http/use-request-errors.js';
import { requestMeta, useRequestMeta } from './http/use-request-meta.js';
import { useRequestPolicy } from './http/use-request-policy.js';
import { useStartupGate } from './http/use-startup-gate.js';
import {
  ACCESS_TOKEN_PATH,
  REQUEST_TOKEN_PATH,
  useTokenEndpoints,
} from './http/use-token-endpoints.js';
import type { Logger } from './logging/logger.js';
import { toYogaLogger } from './logging/yoga-logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { applyPermissions } from './permissions/shield.js';
import { createServices, type Services } from './services.js';

const GRAPHQL_ENDPOINT = '/graphql';
const CONSOLE_PATH = '/admin';
const HEALTH_PATH = '/health';
const READY_PATH = '/ready';
/** What the app answers; any other path is "other" in the request metric. */
const ROUTES = [
  GRAPHQL_ENDPOINT,
  CONSOLE_PATH,
  HEALTH_PATH,
  READY_PATH,
  '/metrics',
  REQUEST_TOKEN_PATH,
  ACCESS_TOKEN_PATH,
];

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  logger: Logger;
  secretBox: SecretBox;
  /** Names declared in INTEGRATIONS_CONFIG (see applyIntegrationsConfig). */
  declaredIntegrationNames?: readonly string[];
  /** False while the database is still being prepared at startup (default: always ready). */
  isReady?: () => boolean;
  now?: () => Date;
}

export interface App {
  metrics: Metrics;
  guestCache: GuestResponseCache;
  yoga: YogaServerInstance<Record<string, unknown>, Context>;
  services: Services;
}

/** Builds one gateway instance from its dependencies; nothing here reads the environment. */
export function createApp(deps: AppDeps): App {
  const { config, database, logger } = deps;
  const isReady = deps.isReady ?? (() => true);
  const metrics = createMetrics();
  const services = createServices({
    onLockout: () => metrics.lockouts.inc(),
    db: database.db,
    config,
    secretBox: deps.secretBox,
    logger,
    declaredIntegrationNames: deps.declaredIntegrationNames ?? [],
    ...(deps.now ? { now: deps.now } : {}),
  });
  const guestCache = createGuestResponseCache({
    ttlMs: config.limits.GUEST_CACHE_TTL_MS,
    maxEntries: config.limits.GUEST_CACHE_MAX_ENTRIES,
    now: deps.now ?? (() => new Date()),
  });
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema: applyPermissions(buildSchema(), permissionTree),
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    // The HTTP front (src/http/server.ts) already refused bodies over MAX_BODY_BYTES; Yoga's own
    // limit would stream every body through one more TransformStream.
    maxRequestBodySize: false,
    healthCheckEndpoint: HEALTH_PATH,
    graphiql: false,
    landingPage: false,
    logging: toYogaLogger(logger),
    // Always mask: Yoga would otherwise add original errors to responses when NODE_ENV=development.
    maskedErrors: { isDev: false, maskError },
    cors:
      config.corsOrigins.length > 0
        ? { origin: [...config.corsOrigins], credentials: false }
        : false,
    plugins: [
      useRequestErrors(),
      useRequestMeta(),
      useRequestPolicy(GRAPHQL_ENDPOINT),
      useObservability(logger, metrics, database.pool, ROUTES),
      useReadinessProbe(READY_PATH, async () => isReady() && isDatabaseReady(database.pool)),
      useConsole(CONSOLE_PATH, config.consoleDir),
      useStartupGate(isReady),
      ...(config.graphiql
        ? [useGraphiQLPage(GRAPHQL_ENDPOINT, `${config.publicBaseUrl}${CONSOLE_PATH}`)]
        : []),
      useTokenEndpoints(
        services.tokenEndpoints,
        services.settings,
        services.rateLimiter,
        config.publicBaseUrl,
      ),
      useAuthentication(GRAPHQL_ENDPOINT, services.authentication, services.rateLimiter, {
        publicBaseUrl: config.publicBaseUrl,
        ttlSeconds: config.adminSessionTtlSeconds,
      }),
      useGuestResponseCache(guestCache),
      useIntrospectionControl(services.settings),
      ...useGraphQLLimits(config.limits, config.nodeEnv === 'production'),
      useErrorSanitizer(config.nodeEnv === 'production'),
      useCompiledQueries(),
    ],
    context: async ({ request }): Promise<Context> =>
      createContext(
        services,
        principalOf(request),
        requestMeta(request),
        browserSessionOf(request),
      ),
  });
  return { yoga, services, metrics, guestCache };
}
