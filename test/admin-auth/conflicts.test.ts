import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
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

// Real InnoDB deadlocks on the single dev server: the failure counter's transaction is the
// victim, and must be retried whole (on a Galera cluster the same happens at COMMIT).
describe('sign-in failure counting under conflicts', () => {
  let t: TestApp;
  let adminId: number;
  beforeEach(async () => {
    t = await createTestApp();
    adminId = (await t.createAdmin('admin')).id;
  });

  const login = (password: string) => t.gql(LOGIN, { input: { username: 'admin', password } });
  const codeOf = (response: Awaited<ReturnType<typeof login>>) =>
    response.errors?.[0]?.extensions?.code ?? (response.data?.adminLogin.token ? 'OK' : 'NONE');
  const stored = async () => {
    const [row] = await t.database.db.select().from(adminUsers).where(eq(adminUsers.id, adminId));
    return row;
  };
  const audits = async () =>
    (await t.database.db.select({ action: auditLog.action }).from(auditLog)).map((r) => r.action);

  it('retries the locking failure whole when it is chosen as a deadlock victim: counted once, no 500', async () => {
    // given five failures, and a transaction holding the audit log's end
    for (let i = 0; i < 5; i++) expect(codeOf(await login(WRONG_PASSWORD))).toBe('UNAUTHENTICATED');
    const deadlocksBefore = await deadlockCount(t.database.pool);
    const blocker = await heavyTransaction(t.database.pool);
    await blocker.query('SELECT id FROM audit_log WHERE id >= 0 FOR UPDATE');

    // when the sixth failure holds the admin row and waits to insert ADMIN_LOCKED, and the
    // blocker asks for the admin row: a deadlock, the failure's transaction the victim
    const sixth = login(WRONG_PASSWORD);
    await lockWaits(t.database.pool, 1);
    await blocker.query('SELECT id FROM admin_user WHERE id = ? FOR UPDATE', [adminId]);
    await blocker.rollback();

    // then
    expect(codeOf(await sixth)).toBe('ACCOUNT_LOCKED');
    expect(await deadlockCount(t.database.pool)).toBeGreaterThan(deadlocksBefore);
    expect((await stored())?.failureCount).toBe(6);
    expect(await audits()).toEqual(['ADMIN_LOCKED']);
    expect(t.logs.text()).not.toContain('Deadlock');
  });

  it('counts twenty concurrent wrong passwords exactly once each', async () => {
    // when
    const answers = await Promise.all(Array.from({ length: 20 }, () => login(WRONG_PASSWORD)));

    // then
    const codes = answers.map(codeOf);
    expect(codes.every((code) => code === 'UNAUTHENTICATED' || code === 'ACCOUNT_LOCKED')).toBe(
      true,
    );
    expect((await stored())?.failureCount).toBe(20);
    expect(await audits()).toEqual(['ADMIN_LOCKED']);
    expect(codeOf(await login(ADMIN_PASSWORD))).toBe('ACCOUNT_LOCKED');
  });
});
