import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { oauthConsumers, oauthTokens } from '../db/schema.js';

export type ConsumerRow = typeof oauthConsumers.$inferSelect;
export type TokenRow = typeof oauthTokens.$inferSelect;

export async function insertConsumer(
  db: Executor,
  values: { integrationId: number; consumerKey: string; secretEncrypted: string },
): Promise<void> {
  await db.insert(oauthConsumers).values(values);
}

export async function findConsumerByIntegration(
  db: Executor,
  integrationId: number,
): Promise<ConsumerRow | null> {
  const [row] = await db
    .select()
    .from(oauthConsumers)
    .where(eq(oauthConsumers.integrationId, integrationId));
  return row ?? null;
}

export async function findLiveAccessToken(
  db: Executor,
  consumerId: number,
): Promise<TokenRow | null> {
  const [row] = await db
    .select()
    .from(oauthTokens)
    .where(
      and(
        eq(oauthTokens.consumerId, consumerId),
        eq(oauthTokens.type, 'access'),
        eq(oauthTokens.revoked, false),
      ),
    );
  return row ?? null;
}

/**
 * Issues the consumer's access token. There is one access row per consumer (unique key), so
 * issuing again rewrites it: the previous token stops matching in the same statement.
 */
export async function upsertAccessToken(
  db: Executor,
  values: { consumerId: number; token: string; secretEncrypted: string; issuedAt: Date },
): Promise<void> {
  await db
    .insert(oauthTokens)
    .values({
      consumerId: values.consumerId,
      type: 'access',
      token: values.token,
      secretEncrypted: values.secretEncrypted,
      createdAt: values.issuedAt,
    })
    .onDuplicateKeyUpdate({
      set: {
        token: sql`VALUES(${oauthTokens.token})`,
        secretEncrypted: sql`VALUES(${oauthTokens.secretEncrypted})`,
        createdAt: sql`VALUES(${oauthTokens.createdAt})`,
        revoked: false,
      },
    });
}
