import { beforeEach, describe, expect, it } from 'vitest';
import { securitySettings } from '../../src/db/schema.js';
import { auditRows } from '../support/rows.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/test-app.js';

const SETTINGS_FIELDS =
  'allowAnonymousGuestAccess allowIntegrationTokensAsBearer updatedAt updatedBy { id username }';
const SECURITY_SETTINGS = /* GraphQL */ `{ securitySettings { ${SETTINGS_FIELDS} } }`;
const UPDATE_SETTINGS = /* GraphQL */ `
  mutation UpdateSettings($input: SecuritySettingsUpdateInput!) {
    securitySettingsUpdate(input: $input) {
      securitySettings { ${SETTINGS_FIELDS} }
      errors { code field message }
    }
  }
`;

describe('securitySettings and securitySettingsUpdate', () => {
  let t: TestApp;
  let token: string;
  let admin: { id: number; username: string };
  const update = (input: Record<string, unknown>) =>
    t.gql(UPDATE_SETTINGS, { input: { currentPassword: ADMIN_PASSWORD, ...input } }, { token });
  const storedRow = async () => (await t.database.db.select().from(securitySettings))[0];

  beforeEach(async () => {
    t = await createTestApp();
    admin = await t.createAdmin('admin');
    token = await t.signIn();
  });

  it('defaults to both settings off, changed by nobody', async () => {
    const response = await t.gql(SECURITY_SETTINGS, {}, { token });

    expect(response.errors).toBeUndefined();
    expect(response.data?.securitySettings).toMatchObject({
      allowAnonymousGuestAccess: false,
      allowIntegrationTokensAsBearer: false,
      updatedBy: null,
    });
    expect(response.data?.securitySettings.updatedAt).toEqual(expect.any(String));
  });

  it('changes only the given setting and records who changed it', async () => {
    // when
    const response = await update({ allowAnonymousGuestAccess: true });

    // then
    expect(response.errors).toBeUndefined();
    expect(response.data?.securitySettingsUpdate).toMatchObject({
      errors: [],
      securitySettings: {
        allowAnonymousGuestAccess: true,
        allowIntegrationTokensAsBearer: false,
        updatedBy: { id: String(admin.id), username: 'admin' },
      },
    });
    const read = await t.gql(SECURITY_SETTINGS, {}, { token });
    expect(read.data?.securitySettings).toMatchObject({
      allowAnonymousGuestAccess: true,
      allowIntegrationTokensAsBearer: false,
      updatedBy: { username: 'admin' },
    });

    // and a second change keeps the first
    const second = await update({ allowIntegrationTokensAsBearer: true });
    expect(second.data?.securitySettingsUpdate.securitySettings).toMatchObject({
      allowAnonymousGuestAccess: true,
      allowIntegrationTokensAsBearer: true,
    });
    const row = await storedRow();
    expect(row).toMatchObject({
      allowAnonymousGuestAccess: true,
      allowIntegrationTokensAsBearer: true,
      allowHmacSha1: false,
      requireBodyHash: false,
      allowAnonymousIntrospection: false,
      updatedByAdminId: admin.id,
    });
  });

  it('audits the change with the changed values and no password', async () => {
    await t.gql(
      UPDATE_SETTINGS,
      { input: { currentPassword: ADMIN_PASSWORD, allowIntegrationTokensAsBearer: true } },
      { token, headers: { 'x-request-id': 'settings-1' } },
    );

    const rows = await auditRows(t, 'SECURITY_SETTINGS_UPDATED');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      adminId: admin.id,
      adminUsername: 'admin',
      requestId: 'settings-1',
      details: { allowIntegrationTokensAsBearer: true },
    });
    expect(JSON.stringify(rows[0])).not.toContain(ADMIN_PASSWORD);
  });

  it('reports an empty change as REQUIRED and changes nothing', async () => {
    // given
    const before = await storedRow();

    for (const input of [{}, { allowAnonymousGuestAccess: null }]) {
      // when
      const response = await update(input);

      // then
      expect(response.data?.securitySettingsUpdate).toEqual({
        securitySettings: null,
        errors: [
          { code: 'REQUIRED', field: 'input', message: 'Give at least one setting to change.' },
        ],
      });
    }
    expect(await storedRow()).toEqual(before);
    expect(await auditRows(t, 'SECURITY_SETTINGS_UPDATED')).toEqual([]);
  });

  it('refuses a wrong password with REAUTHENTICATION_FAILED and changes nothing', async () => {
    // given
    const before = await storedRow();

    // when
    const response = await update({
      allowAnonymousGuestAccess: true,
      currentPassword: 'not the password',
    });

    // then
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('REAUTHENTICATION_FAILED');
    expect(await storedRow()).toEqual(before);
    expect(await auditRows(t, 'SECURITY_SETTINGS_UPDATED')).toEqual([]);
  });
});
