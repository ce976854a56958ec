import type { AdminAuthService } from '../admin-auth/admin-auth-service.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../logging/logger.js';
import {
  findAccessTokenOwner,
  readGrantedResources,
  touchLastUsed,
} from '../oauth/oauth-repository.js';
import type { Refusal } from '../oauth/refusal.js';
import { type RequestVerifier, type SignedRequest, unauthorized } from '../oauth/verify-request.js';
import type { SettingsService } from '../settings/settings-service.js';
import { ANONYMOUS, type IntegrationIdentity, type Principal } from './principal.js';

const BEARER = /^Bearer\s+(\S+)$/i;
const OAUTH = /^OAuth\s/i;
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const ACCESS_TOKEN = /^[0-9a-z]{32}$/;
const LAST_USED_INTERVAL_MS = 60_000;

export const BEARER_NOT_ALLOWED_MESSAGE =
  'This server requires OAuth 1.0a signed requests from integrations. An integration access token ' +
  'is accepted as a Bearer token only when the security setting allowIntegrationTokensAsBearer is on.';

export type Authentication =
  | { ok: true; principal: Principal }
  | { ok: false; status: 400 | 401; message: string; refusal: Refusal };

export type IncomingCall = Omit<SignedRequest, 'authorizationHeader' | 'body'> & {
  authorization: string | null;
  readBody: () => Promise<Uint8Array>;
};

export interface AuthenticationDeps {
  db: Database;
  adminAuth: AdminAuthService;
  settings: SettingsService;
  verify: RequestVerifier;
  logger: Logger;
  now: () => Date;
}

/**
 * Decides who calls /graphql, once per request and before execution:
 * - `Authorization: OAuth …`: a signed request of an ACTIVE integration, else 400/401 (never
 *   a fall-back to anonymous);
 * - `Authorization: Bearer …`: an admin session, or an integration access token when the setting
 *   allows it; an unknown, expired or revoked token is anonymous;
 * - no header: anonymous.
 */
export function createAuthenticationService(deps: AuthenticationDeps) {
  const lastTouched = new Map<number, number>();

  function noteUse(integrationId: number): void {
    const at = deps.now();
    if (at.getTime() - (lastTouched.get(integrationId) ?? 0) < LAST_USED_INTERVAL_MS) return;
    lastTouched.set(integrationId, at.getTime());
    touchLastUsed(deps.db, integrationId, at, LAST_USED_INTERVAL_MS).catch((error: unknown) =>
      deps.logger.warn({ err: error, integrationId }, 'could not record lastUsedAt'),
    );
  }

  async function integration(
    id: number,
    name: string,
    resourceAccess: 'ALL' | 'CUSTOM',
  ): Promise<Principal> {
    const identity: IntegrationIdentity = {
      id,
      name,
      resourceAccess,
      resources: new Set(
        resourceAccess === 'CUSTOM' ? await readGrantedResources(deps.db, id) : [],
      ),
    };
    noteUse(id);
    return { kind: 'integration', integration: identity };
  }

  async function fromSignature(request: SignedRequest): Promise<Authentication> {
    const settings = await deps.settings.read();
    const verified = await deps.verify('resource', request, settings);
    if (!verified.ok) return verified;
    const { consumer } = verified;
    if (consumer.integrationStatus !== 'ACTIVE') return unauthorized('integration_inactive');
    return {
      ok: true,
      principal: await integration(
        consumer.integrationId,
        consumer.integrationName,
        consumer.resourceAccess,
      ),
    };
  }

  async function fromBearer(token: string): Promise<Authentication> {
    if (SESSION_TOKEN.test(token)) {
      const session = await deps.adminAuth.authenticate(token);
      if (session) {
        return {
          ok: true,
          principal: { kind: 'admin', admin: session.admin, sessionId: session.sessionId },
        };
      }
    }
    const owner = ACCESS_TOKEN.test(token) ? await findAccessTokenOwner(deps.db, token) : null;
    if (owner?.integrationStatus !== 'ACTIVE') return { ok: true, principal: ANONYMOUS };
    if (!(await deps.settings.read()).allowIntegrationTokensAsBearer) {
      return {
        ok: false,
        status: 401,
        message: BEARER_NOT_ALLOWED_MESSAGE,
        refusal: { kind: 'credential', reason: 'bearer_not_allowed' },
      };
    }
    return {
      ok: true,
      principal: await integration(
        owner.integrationId,
        owner.integrationName,
        owner.resourceAccess,
      ),
    };
  }

  return {
    /** `readBody` is called only for signed requests, whose body the signature may cover. */
    async authenticate(request: IncomingCall): Promise<Authentication> {
      const { authorization, readBody, ...rest } = request;
      const header = authorization?.trim() ?? '';
      if (OAUTH.test(header)) {
        return fromSignature({ ...rest, authorizationHeader: header, body: await readBody() });
      }
      const bearer = BEARER.exec(header)?.[1];
      if (bearer) return fromBearer(bearer);
      return { ok: true, principal: ANONYMOUS };
    },
  };
}

export type AuthenticationService = ReturnType<typeof createAuthenticationService>;
