import type { Actor } from '../audit/audit-repository.js';
import type { Principal } from '../auth/principal.js';
import type { Logger } from '../logging/logger.js';
import type { Services } from '../services.js';

/** Per-request GraphQL context: kept small, built once per request by the app. */
export interface Context {
  principal: Principal;
  actor: Actor;
  services: Services;
  logger: Logger;
}
