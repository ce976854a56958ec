import { type AdminAuthService, createAdminAuthService } from './admin-auth/admin-auth-service.js';
import type { Config } from './config/config.js';
import type { SecretBox } from './crypto/secret-box.js';
import type { Database } from './db/client.js';

export interface ServiceDeps {
  db: Database;
  config: Config;
  secretBox: SecretBox;
  now?: () => Date;
}

/** The domain services one app instance uses; built once and shared by all requests. */
export interface Services {
  adminAuth: AdminAuthService;
}

export function createServices(deps: ServiceDeps): Services {
  const now = deps.now ?? (() => new Date());
  return {
    adminAuth: createAdminAuthService({
      db: deps.db,
      now,
      sessionTtlSeconds: deps.config.adminSessionTtlSeconds,
    }),
  };
}
