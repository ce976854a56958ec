import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditAction } from '../../src/audit/audit-actions.js';
import { adminUsers, auditLog } from '../../src/db/schema.js';
import { deadlockCount, heavyTransaction, lockWaits } from '../support/lock-waits.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

const LOGIN = /* GraphQL */ `
  mutation Login($input: AdminLoginInput!) {
    adminLogin(input: $input) {
      token
      errors { code field message }
    }
  }
`;
const WRONG_PASSWORD = 'definitely not it';
const ADMIN_LOCKED: AuditAction = 'ADMIN_LOCKED';
const MINUTE = 60_000;

describe('admin lockout through adminLogin', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
  });

  const login = (password: string, headers: Record<string, string> = {}) =>
    t.gql(LOGIN, { input: { username: 'admin', password } }, { headers });
  const codeOf = (response: Awaited<ReturnType<typeof login>>) =>
    response.errors?.[0]?.extensions?.code ?? (response.data?.adminLogin.token ? 'OK' : 'NONE');
  const failWrong = async (times: number) => {
    const codes: string[] = [];
    for (let i = 0; i < times; i++) codes.push(codeOf(await login(WRONG_PASSWORD)));
    return codes;
  };
  const stored = async () => {
    const [row] = await t.database.db
      .select()
      .from(adminUsers)
      .where(eq(adminUsers.username, 'admin'));
    if (!row) throw new Error('admin row missing');
    return row;
  };
  const lockAudits = () =>
    t.database.db.select().from(auditLog).where(eq(auditLog.action, ADMIN_LOCKED));

  it('resets the counter when the right password follows five failures', async () => {
    // given
    expect(await failWrong(5)).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect((await stored()).failureCount).toBe(5);

    // when
    const success = await login(ADMIN_PASSWORD);

    // then
    expect(codeOf(success)).toBe('OK');
    expect(await stored()).toMatchObject({
      failureCount: 0,
      firstFailureAt: null,
      lockExpiresAt: null,
    });
  });

  it('locks on the sixth failure, even for the right password, and audits it', async () => {
    // when
    const codes = await failWrong(6);

    // then
    expect(codes).toEqual([...Array(5).fill('UNAUTHENTICATED'), 'ACCOUNT_LOCKED']);
    expect(codeOf(await login(ADMIN_PASSWORD))).toBe('ACCOUNT_LOCKED');
    const row = await stored();
    expect(row.failureCount).toBe(6);
    expect(row.lockExpiresAt?.getTime()).toBe(t.clock.now.getTime() + 30 * MINUTE);
    const audits = await lockAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]?.details).toMatchObject({ username: 'admin' });
  });

  it('records the request id of the locking attempt in the audit row', async () => {
    // given
    await failWrong(5);

    // when
    await login(WRONG_PASSWORD, { 'x-request-id': 'lock-req-1' });

    // then
    const [audit] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, ADMIN_LOCKED), eq(auditLog.requestId, 'lock-req-1')));
    expect(audit).toBeDefined();
  });

  it('counts wrong passwords made while locked, without extending the lock or locking again', async () => {
    // given
    await failWrong(6);
    const lockedUntil = (await stored()).lockExpiresAt?.getTime();

    // when, ten minutes later, three more wrong passwords and the right one
    t.clock.advance(10 * MINUTE);
    const codes = await failWrong(3);
    const right = codeOf(await login(ADMIN_PASSWORD));

    // then the wrong ones are counted, the right one is not, and the lock ends when it did
    expect([...codes, right]).toEqual(Array(4).fill('ACCOUNT_LOCKED'));
    const row = await stored();
    expect(row.failureCount).toBe(9);
    expect(row.lockExpiresAt?.getTime()).toBe(lockedUntil);
    expect(await lockAudits()).toHaveLength(1);
  });

  it('lifts the lock after 30 minutes', async () => {
    // given
    await failWrong(6);

    // when / then
    t.clock.advance(30 * MINUTE - 1);
    expect(codeOf(await login(ADMIN_PASSWORD))).toBe('ACCOUNT_LOCKED');
    t.clock.advance(2);
    expect(codeOf(await login(ADMIN_PASSWORD))).toBe('OK');
    expect((await stored()).failureCount).toBe(0);
  });

  it('does not lock for failures spread beyond the 30-minute window', async () => {
    // given
    await failWrong(5);
    t.clock.advance(31 * MINUTE);

    // when
    const codes = await failWrong(5);

    // then
    expect(codes).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect((await stored()).failureCount).toBe(5);
    expect(codeOf(await login(ADMIN_PASSWORD))).toBe('OK');
  });

  it('is lifted by adminAuth.unlock', async () => {
    // given
    await failWrong(6);

    // when
    const unlocked = await t.app.services.adminAuth.unlock('admin');

    // then
    expect(unlocked).toBe(true);
    expect(await stored()).toMatchObject({ failureCount: 0, lockExpiresAt: null });
    expect(codeOf(await login(ADMIN_PASSWORD))).toBe('OK');
    expect(await t.app.services.adminAuth.unlock('ghost')).toBe(false);
  });

  it('counts concurrent failures without losing updates', async () => {
    // when twelve wrong passwords arrive at once
    const codes = (await Promise.all(Array.from({ length: 12 }, () => login(WRONG_PASSWORD)))).map(
      codeOf,
    );

    // then the failures are counted one at a time, every one of them: exactly the five before
    // the lock answer UNAUTHENTICATED, the locking one and every later one ACCOUNT_LOCKED
    const row = await stored();
    const unauthenticated = codes.filter((code) => code === 'UNAUTHENTICATED').length;
    expect(codes.every((code) => code === 'UNAUTHENTICATED' || code === 'ACCOUNT_LOCKED')).toBe(
      true,
    );
    expect(unauthenticated).toBe(5);
    expect(row.failureCount).toBe(12);
    expect(row.lockExpiresAt?.getTime()).toBe(t.clock.now.getTime() + 30 * MINUTE);
    expect(await lockAudits()).toHaveLength(1);
    expect(codeOf(await login(ADMIN_PASSWORD))).toBe('ACCOUNT_LOCKED');
  });

  it('counts five concurrent failures exactly, none lost and none twice', async () => {
    // when five wrong passwords arrive at once (below the lock, so every one is counted)
    const codes = (await Promise.all(Array.from({ length: 5 }, () => login(WRONG_PASSWORD)))).map(
      codeOf,
    );

    // then
    expect(codes).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect((await stored()).failureCount).toBe(5);
  });

  // A real InnoDB deadlock on the dev server makes the failure counter's transaction the victim
  // (on a Galera cluster, losing certification at COMMIT does the same): it is retried whole.
  it('retries the locking failure whole when it is a deadlock victim: counted once, no 500', async () => {
    // given five failures, and a heavier transaction holding the end of the audit log
    expect(await failWrong(5)).toEqual(Array(5).fill('UNAUTHENTICATED'));
    const { id: adminId } = await stored();
    const deadlocksBefore = await deadlockCount(t.database.pool);
    const blocker = await heavyTransaction(t.database.pool);
    await blocker.query('SELECT id FROM audit_log WHERE id >= 0 FOR UPDATE');

    // when the sixth failure holds the admin row and waits to insert ADMIN_LOCKED, and the
    // blocker asks for the admin row: a deadlock, with the failure's transaction the victim
    const sixth = login(WRONG_PASSWORD);
    await lockWaits(t.database.pool, 1);
    await blocker.query('SELECT id FROM admin_user WHERE id = ? FOR UPDATE', [adminId]);
    await blocker.rollback();

    // then
    expect(codeOf(await sixth)).toBe('ACCOUNT_LOCKED');
    expect(await deadlockCount(t.database.pool)).toBeGreaterThan(deadlocksBefore);
    expect((await stored()).failureCount).toBe(6);
    expect(await lockAudits()).toHaveLength(1);
    expect(t.logs.text()).not.toContain('Deadlock');
  });
});
