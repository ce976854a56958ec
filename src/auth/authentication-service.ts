import type { AdminAuthService } from '../admin-auth/admin-auth-service.js';
import type { Database } from '../db/client.js';
import { isRetryableTransactionError } from '../db/driver-errors.js';
import type { Logger } from '../logging/logger.js';
import {
  findAccessTokenOwner,
  readGrantedResources,
  touchLastUsed,
} from '../oauth/oauth-repository.js';
import type { Refusal } from '../oauth/refusal.js';
import { authorizationScheme, hasProtocolParameters } from '../oauth/request-parameters.js';
import { type RequestVerifier, type SignedRequest, unauthorized } from '../oauth/verify-request.js';
import type { SettingsService } from '../settings/settings-service.js';
import { ANONYMOUS, type IntegrationIdentity, type Principal } from './principal.js';

const BEARER = /^Bearer[ \t]+(\S+)$/i;
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const ACCESS_TOKEN = /^[0-9a-z]{32}$/;
const LAST_USED_INTERVAL_MS = 60_000;

const BEARER_NOT_ALLOWED_MESSAGE =
  'This server requires OAuth 1.0a signed requests from integrations. An integration access token ' +
  'is accepted as a Bearer token only when the security setting allowIntegrationTokensAsBearer is on.';

export type Authentication =
  | { ok: true; principal: Principal }
  | { ok: false; status: 400 | 401; message: string; refusal: Refusal };

export const BEARER_REFUSED_MESSAGE =
  'The Bearer token is not valid: it is unknown, expired or signed out. Sign in again ' +
  '(adminLogin, sent without the Authorization header).';

const refused = (
  status: 400 | 401,
  reason: Extract<Refusal, { kind: 'credential' }>['reason'],
  message: string,
): Authentication => ({ ok: false, status, message, refusal: { kind: 'credential', reason } });

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
 * Decides who calls /graphql, once per request and before execution. A credential that is present
 * and fails is a 400 (malformed) or 401, never a fall-back to anonymous:
 * - `Authorization: OAuth …`, or OAuth parameters in the query string (RFC 5849 §3.5.3): a signed
 *   request of an ACTIVE integration;
 * - `Authorization: Bearer <token>`: an admin session, or an integration access token when the
 *   setting allows it;
 * - any other Authorization header is refused;
 * - no Authorization header and no OAuth query parameters: anonymous.
 */
export function createAuthenticationService(deps: AuthenticationDeps) {
  const lastTouched = new Map<number, number>();

  function noteUse(integrationId: number): void {
    const at = deps.now();
    if (at.getTime() - (lastTouched.get(integrationId) ?? 0) < LAST_USED_INTERVAL_MS) return;
    lastTouched.set(integrationId, at.getTime());
    // Best effort, off the request's path. A conflict means another request (through another
    // node) wrote the row at the same moment, most likely the same lastUsedAt: left to it.
    touchLastUsed(deps.db, integrationId, at, LAST_USED_INTERVAL_MS).catch((error: unknown) => {
      if (isRetryableTransactionError(error)) return;
      deps.logger.warn({ err: error, integrationId }, 'could not record lastUsedAt');
    });
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

  /** The admin of a live session token, or null (unknown, expired, revoked, malformed). */
  async function fromSessionToken(token: string): Promise<Principal | null> {
    if (!SESSION_TOKEN.test(token)) return null;
    const session = await deps.adminAuth.authenticate(token);
    return session ? { kind: 'admin', admin: session.admin, sessionId: session.sessionId } : null;
  }

  async function fromBearer(token: string): Promise<Authentication> {
    const admin = await fromSessionToken(token);
    if (admin) return { ok: true, principal: admin };
    const owner = ACCESS_TOKEN.test(token) ? await findAccessTokenOwner(deps.db, token) : null;
    if (owner?.integrationStatus !== 'ACTIVE') {
      return refused(401, 'bearer_token_unknown', BEARER_REFUSED_MESSAGE);
    }
    if (!(await deps.settings.read()).allowIntegrationTokensAsBearer) {
      return refused(401, 'bearer_not_allowed', BEARER_NOT_ALLOWED_MESSAGE);
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

  function fromBearerHeader(
    header: string,
    query: string,
  ): Promise<Authentication> | Authentication {
    const token = BEARER.exec(header)?.[1];
    if (!token) {
      return refused(400, 'authorization_malformed', 'Expected Authorization: Bearer <token>.');
    }
    if (hasProtocolParameters(query)) {
      return refused(
        400,
        'authorization_malformed',
        'OAuth parameters in the query string cannot be combined with a Bearer token.',
      );
    }
    return fromBearer(token);
  }

  return {
    /**
     * The admin of the console's session cookie, or null when it names no live session (the
     * cookie is then removed and the request is anonymous, so a stale cookie never blocks sign-in).
     */
    sessionFromCookie: fromSessionToken,
    /** `readBody` is called only for signed requests, whose body the signature may cover. */
    async authenticate(request: IncomingCall): Promise<Authentication> {
      const { authorization, readBody, ...rest } = request;
      const signed = async (authorizationHeader: string | null) =>
        fromSignature({ ...rest, authorizationHeader, body: await readBody() });
      if (authorization === null) {
        return hasProtocolParameters(rest.query)
          ? signed(null)
          : { ok: true, principal: ANONYMOUS };
      }
      const header = authorization.trim();
      switch (authorizationScheme(header)) {
        case 'oauth':
          return signed(header);
        case 'bearer':
          return fromBearerHeader(header, rest.query);
        case null:
          return refused(
            400,
            'authorization_malformed',
            'The Authorization header is empty or malformed.',
          );
        default:
          return refused(
            401,
            'authorization_scheme_unsupported',
            'Unsupported Authorization scheme: sign requests with OAuth 1.0a, or send an admin session as Bearer.',
          );
      }
    },
  };
}

export type AuthenticationService = ReturnType<typeof createAuthenticationService>;
