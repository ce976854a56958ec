import { eq } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { GraphQLError } from 'graphql';
import { beforeEach, describe, expect, it } from 'vitest';
import { adminUsers } from '../../src/db/schema.js';
import { describeError } from '../../src/logging/logger.js';
import { capturingLogger } from '../support/logs.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

const LOGIN = /* GraphQL */ `
  mutation Login($input: AdminLoginInput!) {
    adminLogin(input: $input) { token }
  }
`;
const VIEWER = /* GraphQL */ `{ viewer { username } }`;
const LOGOUT = /* GraphQL */ `mutation { adminLogout { loggedOut } }`;
const WRONG_PASSWORD = 'wrong-pass-9f3k2l';
const DUPLICATE_USERNAME = 'dup-s3cr3t-name';

describe('logs of the admin flows', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
  });

  it('never contain passwords, tokens, password hashes or authorization headers', async () => {
    // given sign-in, viewer and logout with a token, then failures up to a lockout
    const login = (password: string) => t.gql(LOGIN, { input: { username: 'admin', password } });
    const token = (await login(ADMIN_PASSWORD)).data?.adminLogin.token as string;
    expect(token).toEqual(expect.any(String));
    expect((await t.gql(VIEWER, {}, { token })).data?.viewer).toEqual({ username: 'admin' });
    expect((await t.gql(LOGOUT, {}, { token })).data?.adminLogout.loggedOut).toBe(true);
    const codes: string[] = [];
    for (let i = 0; i < 6; i++)
      codes.push((await login(WRONG_PASSWORD)).errors?.[0]?.extensions?.code);
    codes.push((await login(ADMIN_PASSWORD)).errors?.[0]?.extensions?.code);
    expect(codes.slice(-2)).toEqual(['ACCOUNT_LOCKED', 'ACCOUNT_LOCKED']);
    const [row] = await t.database.db
      .select({ passwordHash: adminUsers.passwordHash })
      .from(adminUsers)
      .where(eq(adminUsers.username, 'admin'));

    // when
    const text = t.logs.text();

    // then the requests were logged, without any secret
    expect(t.logs.lines.filter((line) => line.includes('"msg":"request"'))).toHaveLength(10);
    for (const secret of [ADMIN_PASSWORD, WRONG_PASSWORD, token, row?.passwordHash, 'Bearer']) {
      expect(secret).toBeTruthy();
      expect(text).not.toContain(secret);
    }
  });
});

describe('describeError', () => {
  it('drops the parameters of a DrizzleQueryError', () => {
    // given
    const error = new DrizzleQueryError('select ?', ['s3cr3t'], new Error('x'));
    expect(error.message).toContain('s3cr3t');

    // when
    const described = JSON.stringify(describeError(error));

    // then
    expect(described).not.toContain('s3cr3t');
    expect(described).toContain('select ?');
  });

  describe('with a real duplicate-key error', () => {
    let t: TestApp;
    let duplicate: unknown;
    beforeEach(async () => {
      t = await createTestApp();
      const admin = { username: DUPLICATE_USERNAME, email: 'd@example.com', passwordHash: 'h' };
      await t.database.db.insert(adminUsers).values(admin);
      duplicate = await t.database.db
        .insert(adminUsers)
        .values(admin)
        .then(() => undefined)
        .catch((error: unknown) => error);
    });

    const messages = (error: unknown): string =>
      error instanceof Error ? `${error.message} ${messages(error.cause)}` : '';

    it('keeps codes but not the duplicated value', () => {
      // given the driver echoes the value
      expect(duplicate).toBeInstanceOf(Error);
      expect(messages(duplicate)).toContain(DUPLICATE_USERNAME);

      // when
      const described = describeError(duplicate);

      // then
      expect(JSON.stringify(described)).not.toContain(DUPLICATE_USERNAME);
      expect(JSON.stringify(described)).toContain('ER_DUP_ENTRY');
    });

    it('keeps it out when wrapped in a GraphQLError and when logged', () => {
      // given
      const wrapped = new GraphQLError((duplicate as Error).message, {
        originalError: duplicate as Error,
        path: ['createAdmin'],
      });
      const logs = capturingLogger();

      // when
      const described = JSON.stringify(describeError(wrapped));
      logs.logger.error({ err: duplicate }, 'unexpected error');

      // then
      expect(described).not.toContain(DUPLICATE_USERNAME);
      expect(described).toContain('"path":"createAdmin"');
      expect(logs.lines).toHaveLength(1);
      expect(logs.text()).not.toContain(DUPLICATE_USERNAME);
      expect(logs.text()).toContain('ER_DUP_ENTRY');
    });
  });
});

describe('logger redaction', () => {
  it('censors password, currentPassword and authorization values', () => {
    // given
    const logs = capturingLogger();

    // when
    logs.logger.debug({ password: 'pw-value-1' }, 'one');
    logs.logger.debug({ input: { currentPassword: 'pw-value-2' } }, 'two');
    logs.logger.debug({ headers: { authorization: 'Bearer tok-value-3' } }, 'three');

    // then
    expect(logs.lines).toHaveLength(3);
    const text = logs.text();
    for (const value of ['pw-value-1', 'pw-value-2', 'tok-value-3', 'Bearer']) {
      expect(text).not.toContain(value);
    }
    expect(logs.lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ password: '[REDACTED]' }),
      expect.objectContaining({ input: { currentPassword: '[REDACTED]' } }),
      expect.objectContaining({ headers: { authorization: '[REDACTED]' } }),
    ]);
  });
});
