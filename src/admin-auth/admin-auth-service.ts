import { z } from 'zod';
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import { randomBearerToken, sha256Hex } from '../crypto/tokens.js';
import type { Database, Executor } from '../db/client.js';
import { isDuplicateKey } from '../db/driver-errors.js';
import { inTransaction, retryOnConflict } from '../db/transaction.js';
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

const usernameTaken = () => ({
  admin: null,
  errors: [
    { code: 'UNIQUE' as const, field: 'username', message: 'This username is already taken.' },
  ],
});

const identity = (admin: AdminRow): AdminIdentity => ({
  id: admin.id,
  username: admin.username,
  email: admin.email,
});

export function createAdminAuthService(deps: AdminAuthDeps) {
  const { db, now } = deps;

  /**
   * Counts one failed password check atomically (row lock), with its audit entries, in one
   * transaction retried whole on a conflict (on a cluster, failures through other nodes lose or
   * win certification against this one): the password was checked once, before, so a retry
   * counts the same failure, never a second one. Returns true when the account is locked
   * afterwards (by this failure or a concurrent one). A re-check (`reauthentication`) signs the
   * admin out everywhere when it locks, and is audited as a failed re-check when it does not.
   */
  async function recordFailure(
    admin: AdminRow,
    actor: Actor,
    reauthentication: boolean,
  ): Promise<boolean> {
    const outcome = await inTransaction(db, async (tx) => {
      const current = await lockFailureState(tx, admin.id);
      if (!current) return { locked: false, lockedNow: false };
      const at = now();
      const next = afterFailure(current, at);
      await writeFailureState(tx, admin.id, next);
      const lockedNow = !isLocked(current.lockExpiresAt, at) && isLocked(next.lockExpiresAt, at);
      if (lockedNow) {
        if (reauthentication) await revokeAllSessions(tx, admin.id, at);
        await recordAudit(tx, actor, {
          action: 'ADMIN_LOCKED',
          details: { username: admin.username, lockExpiresAt: next.lockExpiresAt?.toISOString() },
        });
      }
      const locked = isLocked(next.lockExpiresAt, at);
      if (reauthentication && !locked) {
        await recordAudit(tx, actor, { action: 'ADMIN_REAUTHENTICATION_FAILED' });
      }
      return { locked, lockedNow };
    });
    if (outcome.lockedNow) deps.onLockout?.();
    return outcome.locked;
  }

  /** One statement: inside a transaction, or retried alone on a conflict. */
  async function clearFailures(db: Executor, admin: AdminRow): Promise<void> {
    if (admin.failureCount > 0 || admin.firstFailureAt || admin.lockExpiresAt) {
      await writeFailureState(db, admin.id, CLEARED_FAILURES);
    }
  }

  async function login(username: string, password: string, actor: Actor): Promise<LoginResult> {
    const admin = await findAdminByUsername(db, username);
    const passwordMatches = await verifyPassword(admin?.passwordHash ?? null, password);
    if (!admin?.isActive) return { ok: false, reason: 'INVALID_CREDENTIALS' };
    if (isLocked(admin.lockExpiresAt, now())) {
      if (!passwordMatches) await recordFailure(admin, actor, false);
      return { ok: false, reason: 'ACCOUNT_LOCKED' };
    }
    if (!passwordMatches) {
      const locked = await recordFailure(admin, actor, false);
      return { ok: false, reason: locked ? 'ACCOUNT_LOCKED' : 'INVALID_CREDENTIALS' };
    }
    const token = randomBearerToken();
    const expiresAt = new Date(now().getTime() + deps.sessionTtlSeconds * 1000);
    await inTransaction(db, async (tx) => {
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
    if (isLocked(admin.lockExpiresAt, now())) {
      if (!passwordMatches) await recordFailure(admin, actor, true);
      return 'LOCKED';
    }
    if (passwordMatches) {
      await retryOnConflict(() => clearFailures(db, admin));
      return 'OK';
    }
    return (await recordFailure(admin, actor, true)) ? 'LOCKED' : 'FAILED';
  }

  function authenticate(token: string): Promise<ActiveSession | null> {
    return findActiveSession(db, sha256Hex(token), now());
  }

  function logout(sessionId: number): Promise<void> {
    return retryOnConflict(() => revokeSession(db, sessionId, now()));
  }

  async function createAdmin(input: {
    username: string;
    email: string;
    password: string;
  }): Promise<{ admin: AdminIdentity | null; errors: AdminInputError[] }> {
    const errors = validateNewAdmin(input);
    if (errors.length > 0) return { admin: null, errors };
    if (await findAdminByUsername(db, input.username)) return usernameTaken();
    const passwordHash = await hashPassword(input.password);
    try {
      const id = await retryOnConflict(() =>
        insertAdmin(db, { username: input.username, email: input.email, passwordHash }),
      );
      return { admin: { id, username: input.username, email: input.email }, errors: [] };
    } catch (error) {
      // Created meanwhile through another instance (or node) than the check above.
      if (isDuplicateKey(error, 'admin_user_username_unique')) return usernameTaken();
      throw error;
    }
  }

  /** Lifts a lock and clears the failure counter; false when there is no such admin. */
  async function unlock(username: string): Promise<boolean> {
    const admin = await findAdminByUsername(db, username);
    if (!admin) return false;
    await retryOnConflict(() => writeFailureState(db, admin.id, CLEARED_FAILURES));
    return true;
  }

  /**
   * Creates the configured first admin when there is none; returns whether it did. Instances
   * that start together may all find none: the username's unique key lets one of them create it,
   * and the others find it taken and create nothing.
   */
  async function bootstrapFirstAdmin(input: {
    username: string;
    email: string;
    password: string;
  }): Promise<boolean> {
    if ((await countAdmins(db)) > 0) return false;
    const { errors } = await createAdmin(input);
    if (errors.some((error) => error.code === 'UNIQUE')) return false;
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
