import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { preparedPer } from '../db/prepared.js';
import { adminUsers, SECURITY_SETTINGS_ROW_ID, securitySettings } from '../db/schema.js';

export interface SecuritySettingsView {
  allowAnonymousGuestAccess: boolean;
  allowIntegrationTokensAsBearer: boolean;
  allowHmacSha1: boolean;
  requireBodyHash: boolean;
  allowAnonymousIntrospection: boolean;
  updatedAt: Date;
  updatedBy: { id: number; username: string; email: string } | null;
}

const SETTING_FLAGS = [
  'allowAnonymousGuestAccess',
  'allowIntegrationTokensAsBearer',
  'allowHmacSha1',
  'requireBodyHash',
  'allowAnonymousIntrospection',
] as const;

export type SecuritySettingsChange = Partial<
  Pick<SecuritySettingsView, (typeof SETTING_FLAGS)[number]>
>;

const settingsRow = preparedPer((db) =>
  db
    .select({
      allowAnonymousGuestAccess: securitySettings.allowAnonymousGuestAccess,
      allowIntegrationTokensAsBearer: securitySettings.allowIntegrationTokensAsBearer,
      allowHmacSha1: securitySettings.allowHmacSha1,
      requireBodyHash: securitySettings.requireBodyHash,
      allowAnonymousIntrospection: securitySettings.allowAnonymousIntrospection,
      updatedAt: securitySettings.updatedAt,
      adminId: adminUsers.id,
      adminUsername: adminUsers.username,
      adminEmail: adminUsers.email,
    })
    .from(securitySettings)
    .leftJoin(adminUsers, eq(adminUsers.id, securitySettings.updatedByAdminId))
    .where(eq(securitySettings.id, SECURITY_SETTINGS_ROW_ID))
    .prepare(),
);

export async function readSecuritySettings(db: Executor): Promise<SecuritySettingsView> {
  const [row] = await settingsRow(db).execute();
  // The row is inserted by a migration; its absence means the database was not migrated.
  if (!row) throw new Error('security_settings row 1 is missing: run the migrations');
  const { adminId, adminUsername, adminEmail, ...settings } = row;
  return {
    ...settings,
    updatedBy:
      adminId !== null && adminUsername !== null && adminEmail !== null
        ? { id: adminId, username: adminUsername, email: adminEmail }
        : null,
  };
}

export async function writeSecuritySettings(
  db: Executor,
  change: SecuritySettingsChange,
  adminId: number | null,
): Promise<void> {
  await db
    .update(securitySettings)
    .set({ ...change, updatedByAdminId: adminId, updatedAt: new Date() })
    .where(eq(securitySettings.id, SECURITY_SETTINGS_ROW_ID));
}
