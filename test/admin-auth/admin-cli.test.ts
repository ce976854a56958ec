import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { adminUsers } from '../../src/db/schema.js';
import { testDatabase } from '../support/database.js';
import { runCli } from '../support/run-cli.js';
import {
  ADMIN_PASSWORD,
  createTestApp,
  PRODUCTION_ENV,
  type TestApp,
} from '../support/test-app.js';

const LOGIN = /* GraphQL */ `
  mutation Login($input: AdminLoginInput!) {
    adminLogin(input: $input) {
      token
      admin { username email }
    }
  }
`;
const CLI_TIMEOUT = 60_000;

describe('admin CLIs', () => {
  let t: TestApp;
  let env: Record<string, string>;
  beforeEach(async () => {
    t = await createTestApp();
    env = {
      ...PRODUCTION_ENV,
      DATABASE_URL: (await testDatabase()).url,
    };
  });

  const findAdmin = async (username: string) => {
    const rows = await t.database.db
      .select()
      .from(adminUsers)
      .where(eq(adminUsers.username, username));
    return rows[0];
  };
  const login = (username: string, password: string) =>
    t.gql(LOGIN, { input: { username, password } });

  it(
    'admin-create creates an admin who can sign in',
    async () => {
      // when
      const result = await runCli(
        'admin-create.ts',
        ['--username', 'alice', '--email', 'alice@example.com', '--password', ADMIN_PASSWORD],
        env,
      );

      // then
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const row = await findAdmin('alice');
      expect(row).toMatchObject({ email: 'alice@example.com', isActive: true });
      expect(result.stdout).toBe(`Created admin "alice" (id ${row?.id}).\n`);
      expect(row?.passwordHash).not.toContain(ADMIN_PASSWORD);
      const signIn = await login('alice', ADMIN_PASSWORD);
      expect(signIn.data?.adminLogin.admin).toEqual({
        username: 'alice',
        email: 'alice@example.com',
      });
    },
    CLI_TIMEOUT,
  );

  it(
    'admin-create reads the password from standard input without its newline',
    async () => {
      // when
      const result = await runCli(
        'admin-create.ts',
        ['--username', 'bob', '--email', 'bob@example.com'],
        env,
        `${ADMIN_PASSWORD}\n`,
      );

      // then
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Created admin "bob" \(id \d+\)\.\n$/);
      expect((await login('bob', ADMIN_PASSWORD)).data?.adminLogin.token).toEqual(
        expect.any(String),
      );
    },
    CLI_TIMEOUT,
  );

  it(
    'admin-create refuses an invalid email and a short password and creates nothing',
    async () => {
      // when
      const result = await runCli(
        'admin-create.ts',
        ['--username', 'carol', '--email', 'not-an-email', '--password', 'pw-x7q'],
        env,
      );

      // then
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('email: Enter a valid email address.');
      expect(result.stderr).toContain('password: A password has at least 12 characters.');
      expect(result.stderr).not.toContain('pw-x7q');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(await findAdmin('carol')).toBeUndefined();
    },
    CLI_TIMEOUT,
  );

  it(
    'admin-unlock lifts a lockout',
    async () => {
      // given an admin locked by six failed sign-ins
      await t.createAdmin('admin');
      for (let i = 0; i < 6; i++) await login('admin', 'wrong password!!');
      expect((await findAdmin('admin'))?.lockExpiresAt).not.toBeNull();

      // when
      const result = await runCli('admin-unlock.ts', ['--username', 'admin'], env);

      // then
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('Unlocked admin "admin".\n');
      expect(await findAdmin('admin')).toMatchObject({ failureCount: 0, lockExpiresAt: null });
      expect((await login('admin', ADMIN_PASSWORD)).data?.adminLogin.token).toEqual(
        expect.any(String),
      );
    },
    CLI_TIMEOUT,
  );

  it(
    'admin-unlock fails for an unknown username',
    async () => {
      // when
      const result = await runCli('admin-unlock.ts', ['--username', 'ghost'], env);

      // then
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('No admin named "ghost".\n');
    },
    CLI_TIMEOUT,
  );
});
