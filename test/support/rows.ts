import { and, count, eq } from 'drizzle-orm';
import type { MySqlTable } from 'drizzle-orm/mysql-core';
import {
  adminSessions,
  adminUsers,
  auditLog,
  integrationAclGrants,
  integrations,
  oauthConsumers,
  oauthTokens,
} from '../../src/db/schema.js';
import type { TestApp } from './test-app.js';

// Rows as the database holds them, read (and, for makeConfigIntegration, written) behind the API.

export async function countRows(t: TestApp, table: MySqlTable): Promise<number> {
  const [row] = await t.database.db.select({ value: count() }).from(table);
  return row?.value ?? 0;
}

export async function integrationRow(t: TestApp, id: string | number) {
  const [row] = await t.database.db
    .select()
    .from(integrations)
    .where(eq(integrations.id, Number(id)));
  return row ?? null;
}

export async function consumerRow(t: TestApp, integrationId: string | number) {
  const [row] = await t.database.db
    .select()
    .from(oauthConsumers)
    .where(eq(oauthConsumers.integrationId, Number(integrationId)));
  return row ?? null;
}

export async function accessTokenRows(t: TestApp, consumerId: number) {
  return t.database.db
    .select()
    .from(oauthTokens)
    .where(and(eq(oauthTokens.consumerId, consumerId), eq(oauthTokens.type, 'access')));
}

export async function grantRows(t: TestApp, integrationId: string | number): Promise<string[]> {
  const rows = await t.database.db
    .select({ resourceId: integrationAclGrants.resourceId })
    .from(integrationAclGrants)
    .where(eq(integrationAclGrants.integrationId, Number(integrationId)));
  return rows.map((row) => row.resourceId).sort();
}

export async function auditRows(t: TestApp, action?: string) {
  const rows = await t.database.db.select().from(auditLog).orderBy(auditLog.id);
  return action ? rows.filter((row) => row.action === action) : rows;
}

/** Marks an integration as declared in configuration, as a config sync would. */
export async function makeConfigIntegration(t: TestApp, id: string | number): Promise<void> {
  await t.database.db
    .update(integrations)
    .set({ setupType: 'CONFIG' })
    .where(eq(integrations.id, Number(id)));
}

/** Every token row of the integration's consumer, or those of one type. */
export async function tokenRowsOf(
  t: TestApp,
  integrationId: string,
  type?: 'verifier' | 'request' | 'access',
) {
  const consumer = await consumerRow(t, integrationId);
  const consumerId = consumer?.id ?? -1;
  return t.database.db
    .select()
    .from(oauthTokens)
    .where(
      type
        ? and(eq(oauthTokens.consumerId, consumerId), eq(oauthTokens.type, type))
        : eq(oauthTokens.consumerId, consumerId),
    );
}

/** The admin's account row (failure counter, lock). */
export async function adminRow(t: TestApp, username: string) {
  const [row] = await t.database.db
    .select()
    .from(adminUsers)
    .where(eq(adminUsers.username, username));
  return row ?? null;
}

/** Every admin session row, oldest first. */
export async function sessionRows(t: TestApp) {
  return t.database.db.select().from(adminSessions).orderBy(adminSessions.id);
}
