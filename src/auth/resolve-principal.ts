import type { AdminAuthService } from '../admin-auth/admin-auth-service.js';
import { ANONYMOUS, type Principal } from './principal.js';

const BEARER = /^Bearer\s+([A-Za-z0-9_-]{16,128})$/i;

/**
 * Decides who the caller is from the Authorization header: an admin session token, or anonymous.
 * An unknown, expired or revoked token counts as anonymous, so protected fields answer
 * UNAUTHENTICATED and `viewer` answers null.
 */
export async function resolvePrincipal(
  request: Request,
  adminAuth: AdminAuthService,
): Promise<Principal> {
  const header = request.headers.get('authorization');
  const token = header ? BEARER.exec(header.trim())?.[1] : undefined;
  if (!token) return ANONYMOUS;
  const session = await adminAuth.authenticate(token);
  return session
    ? { kind: 'admin', admin: session.admin, sessionId: session.sessionId }
    : ANONYMOUS;
}
