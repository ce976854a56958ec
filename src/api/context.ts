import type { Actor } from '../audit/actor.js';
import type { Principal } from '../auth/principal.js';
import type { BrowserSession } from '../http/session-cookie.js';
import type { RequestMeta } from '../http/use-request-meta.js';
import type { Services } from '../services.js';
import { createLoaders, type Loaders } from './loaders.js';

/** Per-request GraphQL context: kept small, built once per request by the app. */
export interface Context {
  principal: Principal;
  actor: Actor;
  services: Services;
  /**
   * True for anonymous callers: they see enabled products, active categories and active CMS
   * content only. Decided here, once, for every resolver and loader.
   */
  activeOnly: boolean;
  /** Whether anonymous callers may read catalog, CMS and store data; read once per request. */
  guestAccessAllowed(): Promise<boolean>;
  /** Per-request batch loaders: relations cost one statement per level, not one per row. */
  loaders: Loaders;
  /** The console's session cookie for this request: how it was signed in, the cookie to send. */
  browserSession: BrowserSession;
}

/** The context of one request, for the principal its credentials established. */
export function createContext(
  services: Services,
  principal: Principal,
  meta: Pick<RequestMeta, 'requestId' | 'clientIp'>,
  browserSession: BrowserSession,
): Context {
  let guestAccess: Promise<boolean> | undefined;
  const admin = principal.kind === 'admin' ? principal.admin : null;
  const activeOnly = principal.kind === 'anonymous';
  return {
    principal,
    services,
    activeOnly,
    browserSession,
    guestAccessAllowed: () => {
      guestAccess ??= services.settings
        .read()
        .then((settings) => settings.allowAnonymousGuestAccess);
      return guestAccess;
    },
    loaders: createLoaders(services, activeOnly),
    actor: {
      adminId: admin?.id ?? null,
      adminUsername: admin?.username ?? null,
      requestId: meta.requestId,
      clientIp: meta.clientIp,
    },
  };
}
