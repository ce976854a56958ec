import type { Actor } from '../audit/actor.js';
import type { Principal } from '../auth/principal.js';
import type { Services } from '../services.js';
import type { Loaders } from './loaders.js';

/** Per-request GraphQL context: kept small, built once per request by the app. */
export interface Context {
  principal: Principal;
  actor: Actor;
  services: Services;
  /** Whether anonymous callers may read catalog, CMS and store data; read once per request. */
  guestAccessAllowed(): Promise<boolean>;
  /** Per-request batch loaders: relations cost one statement per level, not one per row. */
  loaders: Loaders;
}
