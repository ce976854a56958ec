import { type AdminAuthService, createAdminAuthService } from './admin-auth/admin-auth-service.js';
import { type AuditService, createAuditService } from './audit/audit-service.js';
import type { Config } from './config/config.js';
import type { SecretBox } from './crypto/secret-box.js';
import type { Database } from './db/client.js';
import {
  createIntegrationService,
  type IntegrationService,
} from './integrations/integration-service.js';
import { createSettingsService, type SettingsService } from './settings/settings-service.js';

export interface ServiceDeps {
  db: Database;
  config: Config;
  secretBox: SecretBox;
  now?: () => Date;
}

/** The domain services one app instance uses; built once and shared by all requests. */
export interface Services {
  adminAuth: AdminAuthService;
  audit: AuditService;
  integrations: IntegrationService;
  settings: SettingsService;
}

export function createServices(deps: ServiceDeps): Services {
  const now = deps.now ?? (() => new Date());
  return {
    adminAuth: createAdminAuthService({
      db: deps.db,
      now,
      sessionTtlSeconds: deps.config.adminSessionTtlSeconds,
    }),
    audit: createAuditService(deps.db),
    integrations: createIntegrationService({ db: deps.db, secretBox: deps.secretBox, now }),
    settings: createSettingsService(deps.db),
  };
}
