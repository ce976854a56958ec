import { describe, expect, it } from 'vitest';
import type { FailureState } from '../../src/admin-auth/admin-repository.js';
import {
  afterFailure,
  CLEARED_FAILURES,
  isLocked,
  LOCKOUT_POLICY,
} from '../../src/admin-auth/lockout.js';

const T0 = new Date('2025-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MINUTE = 60_000;

function fail(times: number, state: FailureState = CLEARED_FAILURES, now = T0): FailureState {
  let next = state;
  for (let i = 0; i < times; i++) next = afterFailure(next, now);
  return next;
}

describe('LOCKOUT_POLICY', () => {
  it('is six failures in 30 minutes for 30 minutes', () => {
    expect(LOCKOUT_POLICY).toEqual({ maxFailures: 6, windowMs: 30 * MINUTE, lockMs: 30 * MINUTE });
  });
});

describe('isLocked', () => {
  it('is false without a lock, true before expiry and false from expiry on', () => {
    expect(isLocked(null, T0)).toBe(false);
    expect(isLocked(at(1), T0)).toBe(true);
    expect(isLocked(T0, T0)).toBe(false);
    expect(isLocked(at(-1), T0)).toBe(false);
  });
});

describe('afterFailure', () => {
  it('starts a window on the first failure', () => {
    expect(afterFailure(CLEARED_FAILURES, T0)).toEqual({
      failureCount: 1,
      firstFailureAt: T0,
      lockExpiresAt: null,
    });
  });

  it('does not lock after five failures and locks for 30 minutes on the sixth', () => {
    const five = fail(5);
    expect(five).toEqual({ failureCount: 5, firstFailureAt: T0, lockExpiresAt: null });

    const six = afterFailure(five, at(10 * MINUTE));
    expect(six).toEqual({
      failureCount: 6,
      firstFailureAt: T0,
      lockExpiresAt: at(40 * MINUTE),
    });
    expect(isLocked(six.lockExpiresAt, at(10 * MINUTE))).toBe(true);
  });

  it('keeps counting within the window and starts over after it', () => {
    const five = fail(5);

    expect(afterFailure(five, at(29 * MINUTE)).failureCount).toBe(6);
    expect(afterFailure(five, at(30 * MINUTE + 1))).toEqual({
      failureCount: 1,
      firstFailureAt: at(30 * MINUTE + 1),
      lockExpiresAt: null,
    });
  });

  it('does not mutate its input', () => {
    const five = fail(5);
    const copy = structuredClone(five);

    afterFailure(five, at(MINUTE));

    expect(five).toEqual(copy);
  });
});
