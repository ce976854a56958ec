import { type AdminAuthService, createAdminAuthService } from './admin-auth/admin-auth-service.js';
import { type AuditService, createAuditService } from './audit/audit-service.js';
import {
  type AuthenticationService,
  createAuthenticationService,
} from './auth/authentication-service.js';
import { type CatalogService, createCatalogService } from './catalog/catalog-service.js';
import { type CmsService, createCmsService } from './cms/cms-service.js';
import type { Config } from './config/config.js';
import type { SecretBox } from './crypto/secret-box.js';
import { type CustomerService, createCustomerService } from './customers/customer-service.js';
import type { Database } from './db/client.js';
import { createPager, cursorCodecOf, type Pager } from './db/page.js';
import {
  type ActivationService,
  createActivationService,
} from './integrations/activation-service.js';
import { type CallbackDelivery, createCallbackDelivery } from './integrations/callback-delivery.js';
import {
  createIntegrationService,
  type IntegrationService,
} from './integrations/integration-service.js';
import type { Logger } from './logging/logger.js';
import { purgeNonces } from './oauth/oauth-repository.js';
import { createTokenEndpoints, type TokenEndpoints } from './oauth/token-exchange.js';
import { createRequestVerifier, TIMESTAMP_WINDOW_SECONDS } from './oauth/verify-request.js';
import {
  createRateLimiter,
  MemoryRateLimitStore,
  MysqlRateLimitStore,
  type RateLimiter,
} from './rate-limit/rate-limiter.js';
import { createSalesService, type SalesService } from './sales/sales-service.js';
import { createSettingsService, type SettingsService } from './settings/settings-service.js';
import { createStoreService, type StoreService } from './store/store-service.js';

/** The reference's `oauth/consumer/post_timeout`: the whole callback POST, connect to last byte. */
const CALLBACK_TIMEOUT_MS = 5_000;

export interface ServiceDeps {
  db: Database;
  config: Config;
  secretBox: SecretBox;
  logger: Logger;
  declaredIntegrationNames?: readonly string[];
  /** Called when an admin account gets locked (metrics). */
  onLockout?: () => void;
  now?: () => Date;
}

/** The domain services one app instance uses; built once and shared by all requests. */
export interface Services {
  adminAuth: AdminAuthService;
  audit: AuditService;
  authentication: AuthenticationService;
  catalog: CatalogService;
  cms: CmsService;
  customers: CustomerService;
  sales: SalesService;
  store: StoreService;
  integrations: IntegrationService & ActivationService;
  settings: SettingsService;
  tokenEndpoints: TokenEndpoints;
  rateLimiter: RateLimiter;
  callbacks: CallbackDelivery;
  /** Keyset pages with signed cursors, for lists that the GraphQL layer pages itself. */
  pager: Pager;
  /** Deletes nonces older than twice the timestamp window; replays that old are refused anyway. */
  purgeExpiredNonces(): Promise<void>;
}

export function createServices(deps: ServiceDeps): Services {
  const { db, config, secretBox } = deps;
  const now = deps.now ?? (() => new Date());
  const adminAuth = createAdminAuthService({
    db,
    now,
    sessionTtlSeconds: config.adminSessionTtlSeconds,
    ...(deps.onLockout ? { onLockout: deps.onLockout } : {}),
  });
  const settings = createSettingsService(db);
  const callbacks = createCallbackDelivery({
    db,
    secretBox,
    now,
    publicBaseUrl: config.publicBaseUrl,
    policy: { allowedHosts: config.callbackAllowedHosts, timeoutMs: CALLBACK_TIMEOUT_MS },
  });
  const pager = createPager(cursorCodecOf(secretBox));
  const verify = createRequestVerifier({ db, secretBox, publicBaseUrl: config.publicBaseUrl, now });
  return {
    adminAuth,
    audit: createAuditService(db, pager),
    authentication: createAuthenticationService({
      db,
      adminAuth,
      settings,
      verify,
      logger: deps.logger,
      now,
    }),
    catalog: createCatalogService(db, pager),
    cms: createCmsService(db, pager),
    customers: createCustomerService(db, pager),
    sales: createSalesService(db, pager),
    store: createStoreService(db),
    integrations: {
      ...createIntegrationService({
        db,
        secretBox,
        pager,
        declaredConfigNames: deps.declaredIntegrationNames ?? [],
      }),
      ...createActivationService({
        db,
        secretBox,
        now,
        publicBaseUrl: config.publicBaseUrl,
        callbacks,
      }),
    },
    callbacks,
    pager,
    settings,
    tokenEndpoints: createTokenEndpoints({ db, secretBox, verify, now }),
    rateLimiter: createRateLimiter(
      config.rateLimitStore === 'mysql' ? new MysqlRateLimitStore(db) : new MemoryRateLimitStore(),
      {
        signin: config.limits.RATE_LIMIT_SIGNIN_PER_MINUTE,
        oauth: config.limits.RATE_LIMIT_OAUTH_PER_MINUTE,
        integration: config.limits.RATE_LIMIT_INTEGRATION_PER_MINUTE,
      },
      now,
    ),
    purgeExpiredNonces: () =>
      purgeNonces(db, Math.floor(now().getTime() / 1000) - 2 * TIMESTAMP_WINDOW_SECONDS),
  };
}
