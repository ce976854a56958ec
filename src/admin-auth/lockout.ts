import type { FailureState } from './admin-repository.js';

/** Magento's admin lockout: 6 failures within 30 minutes lock the account for 30 minutes. */
export const LOCKOUT_POLICY = {
  maxFailures: 6,
  windowMs: 30 * 60_000,
  lockMs: 30 * 60_000,
} as const;

export function isLocked(lockExpiresAt: Date | null, now: Date): boolean {
  return lockExpiresAt !== null && lockExpiresAt.getTime() > now.getTime();
}

/**
 * The state after one more failed password check. A failure outside the window starts a new
 * count; one while the account is locked is counted (as the reference counts it, so concurrent
 * failures through several instances add up exactly) but neither extends the lock nor restarts
 * the window.
 */
export function afterFailure(current: FailureState, now: Date): FailureState {
  if (isLocked(current.lockExpiresAt, now)) {
    return { ...current, failureCount: current.failureCount + 1 };
  }
  const windowExpired =
    current.firstFailureAt === null ||
    now.getTime() - current.firstFailureAt.getTime() > LOCKOUT_POLICY.windowMs;
  if (windowExpired) {
    return { failureCount: 1, firstFailureAt: now, lockExpiresAt: null };
  }
  const failureCount = current.failureCount + 1;
  const lockExpiresAt =
    failureCount >= LOCKOUT_POLICY.maxFailures
      ? new Date(now.getTime() + LOCKOUT_POLICY.lockMs)
      : current.lockExpiresAt;
  return { failureCount, firstFailureAt: current.firstFailureAt, lockExpiresAt };
}

export const CLEARED_FAILURES: FailureState = {
  failureCount: 0,
  firstFailureAt: null,
  lockExpiresAt: null,
};
