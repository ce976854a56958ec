import { z } from 'zod';
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import { randomBearerToken, sha256Hex } from '../crypto/tokens.js';
import type { Database, Executor } from '../db/client.js';
import {
  type AdminRow,
  countAdmins,
  findAdminById,
  findAdminByUsername,
  insertAdmin,
  lockFailureState,
  writeFailureState,
} from './admin-repository.js';
import { afterFailure, CLEARED_FAILURES, isLocked } from './lockout.js';
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  verifyPassword,
} from './password.js';
import {
  type ActiveSession,
  findActiveSession,
  insertSession,
  revokeAllSessions,
  revokeSession,
} from './session-repository.js';

export interface AdminAuthDeps {
  db: Database;
  now: () => Date;
  sessionTtlSeconds: number;
  onLockout?: () => void;
}

export interface AdminIdentity {
  id: number;
  username: string;
  email: string;
}

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; admin: AdminIdentity }
  | { ok: false; reason: 'INVALID_CREDENTIALS' | 'ACCOUNT_LOCKED' };

export type PasswordCheck = 'OK' | 'FAILED' | 'LOCKED';

export type AdminInputError = {
  code: 'REQUIRED' | 'INVALID' | 'UNIQUE';
  field: string;
  message: string;
};

const identity = (admin: AdminRow): AdminIdentity => ({
  id: admin.id,
  username: admin.username,
  email: admin.email,
});

export function createAdminAuthService(deps: AdminAuthDeps) {
  const { db, now } = deps;

  /**
   * Counts one failed password check atomically (row lock). Returns true when the account is
   * locked afterwards (by this failure or a concurrent one). `revokeSessionsOnLock` signs the admin out everywhere, as a failed re-check does.
   */
  async function recordFailure(
    admin: AdminRow,
    actor: Actor,
    revokeSessionsOnLock: boolean,
  ): Promise<boolean> {
    const outcome = await db.transaction(async (tx) => {
      const current = await lockFailureState(tx, admin.id);
      if (!current) return { locked: false, lockedNow: false };
      const at = now();
      const next = afterFailure(current, at);
      await writeFailureState(tx, admin.id, next);
      const lockedNow = !isLocked(current.lockExpiresAt, at) && isLocked(next.lockExpiresAt, at);
      if (lockedNow) {
        if (revokeSessionsOnLock) await revokeAllSessions(tx, admin.id, at);
        await recordAudit(tx, actor, {
          action: 'ADMIN_LOCKED',
          details: { username: admin.username, lockExpiresAt: next.lockExpiresAt?.toISOString() },
        });
      }
      return { locked: isLocked(next.lockExpiresAt, at), lockedNow };
    });
    if (outcome.lockedNow) deps.onLockout?.();
    return outcome.locked;
  }

  async function clearFailures(db: Executor, admin: AdminRow): Promise<void> {
    if (admin.failureCount > 0 || admin.firstFailureAt || admin.lockExpiresAt) {
      await writeFailureState(db, admin.id, CLEARED_FAILURES);
    }
  }

  async function login(username: string, password: string, actor: Actor): Promise<LoginResult> {
    const admin = await findAdminByUsername(db, username);
    const passwordMatches = await verifyPassword(admin?.passwordHash ?? null, password);
    if (!admin?.isActive) return { ok: false, reason: 'INVALID_CREDENTIALS' };
    if (isLocked(admin.lockExpiresAt, now())) return { ok: false, reason: 'ACCOUNT_LOCKED' };
    if (!passwordMatches) {
      const locked = await recordFailure(admin, actor, false);
      return { ok: false, reason: locked ? 'ACCOUNT_LOCKED' : 'INVALID_CREDENTIALS' };
    }
    const token = randomBearerToken();
    const expiresAt = new Date(now().getTime() + deps.sessionTtlSeconds * 1000);
    await db.transaction(async (tx) => {
      await clearFailures(tx, admin);
      await insertSession(tx, { tokenHash: sha256Hex(token), adminId: admin.id, expiresAt });
    });
    return { ok: true, token, expiresAt, admin: identity(admin) };
  }

  /**
   * Re-authentication before a sensitive change: checks the signed-in admin's own password and
   * feeds the same lockout counter as sign-in. The failure that locks revokes all sessions.
   */
  async function verifyCurrentPassword(
    adminId: number,
    password: string,
    actor: Actor,
  ): Promise<PasswordCheck> {
    const admin = await findAdminById(db, adminId);
    const passwordMatches = await verifyPassword(admin?.passwordHash ?? null, password);
    if (!admin?.isActive) return 'FAILED';
    if (isLocked(admin.lockExpiresAt, now())) return 'LOCKED';
    if (passwordMatches) {
      await clearFailures(db, admin);
      return 'OK';
    }
    const locked = await recordFailure(admin, actor, true);
    if (!locked) await recordAudit(db, actor, { action: 'ADMIN_REAUTHENTICATION_FAILED' });
    return locked ? 'LOCKED' : 'FAILED';
  }

  function authenticate(token: string): Promise<ActiveSession | null> {
    return findActiveSession(db, sha256Hex(token), now());
  }

  function logout(sessionId: number): Promise<void> {
    return revokeSession(db, sessionId, now());
  }

  async function createAdmin(input: {
    username: string;
    email: string;
    password: string;
  }): Promise<{ admin: AdminIdentity | null; errors: AdminInputError[] }> {
    const errors = validateNewAdmin(input);
    if (errors.length > 0) return { admin: null, errors };
    if (await findAdminByUsername(db, input.username)) {
      return {
        admin: null,
        errors: [{ code: 'UNIQUE', field: 'username', message: 'This username is already taken.' }],
      };
    }
    const passwordHash = await hashPassword(input.password);
    const id = await insertAdmin(db, {
      username: input.username,
      email: input.email,
      passwordHash,
    });
    return { admin: { id, username: input.username, email: input.email }, errors: [] };
  }

  /** Lifts a lock and clears the failure counter; false when there is no such admin. */
  async function unlock(username: string): Promise<boolean> {
    const admin = await findAdminByUsername(db, username);
    if (!admin) return false;
    await writeFailureState(db, admin.id, CLEARED_FAILURES);
    return true;
  }

  /** Creates the configured first admin when there is none; returns whether it did. */
  async function bootstrapFirstAdmin(input: {
    username: string;
    email: string;
    password: string;
  }): Promise<boolean> {
    if ((await countAdmins(db)) > 0) return false;
    const { errors } = await createAdmin(input);
    if (errors.length > 0) {
      throw new Error(
        `Cannot create the bootstrap admin: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      );
    }
    return true;
  }

  return {
    login,
    verifyCurrentPassword,
    authenticate,
    logout,
    createAdmin,
    unlock,
    bootstrapFirstAdmin,
  };
}

export type AdminAuthService = ReturnType<typeof createAdminAuthService>;

const newAdminSchema = z.object({
  username: z
    .string()
    .min(1, 'A username is required.')
    .max(40, 'A username has at most 40 characters.')
    .regex(/^[A-Za-z0-9._@-]+$/, 'Use letters, digits and . _ @ - only.'),
  email: z.email('Enter a valid email address.').max(254),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `A password has at least ${MIN_PASSWORD_LENGTH} characters.`)
    .max(MAX_PASSWORD_LENGTH, `A password has at most ${MAX_PASSWORD_LENGTH} characters.`),
});

function validateNewAdmin(input: unknown): AdminInputError[] {
  const parsed = newAdminSchema.safeParse(input);
  return (parsed.error?.issues ?? []).map((issue) => ({
    code: issue.code === 'too_small' && issue.minimum === 1 ? 'REQUIRED' : 'INVALID',
    field: issue.path.join('.'),
    message: issue.message,
  }));
}
