import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { isDuplicateKey, isRetryableTransactionError } from '../db/driver-errors.js';
import { preparedPer } from '../db/prepared.js';
import {
  integrationAclGrants,
  integrations,
  oauthConsumers,
  oauthNonces,
  oauthTokens,
  type TOKEN_TYPES,
} from '../db/schema.js';

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenRow = typeof oauthTokens.$inferSelect;

export interface ConsumerAuthRow {
  consumerId: number;
  consumerKey: string;
  secretEncrypted: string;
  exchangeStartedAt: Date | null;
  integrationId: number;
  integrationName: string;
  integrationStatus: 'INACTIVE' | 'ACTIVE' | 'RESET';
  resourceAccess: 'ALL' | 'CUSTOM';
}

const consumerByKey = preparedPer((db) =>
  db
    .select({
      consumerId: oauthConsumers.id,
      consumerKey: oauthConsumers.consumerKey,
      secretEncrypted: oauthConsumers.secretEncrypted,
      exchangeStartedAt: oauthConsumers.exchangeStartedAt,
      integrationId: integrations.id,
      integrationName: integrations.name,
      integrationStatus: integrations.status,
      resourceAccess: integrations.resourceAccess,
    })
    .from(oauthConsumers)
    .innerJoin(integrations, eq(integrations.id, oauthConsumers.integrationId))
    .where(eq(oauthConsumers.consumerKey, sql.placeholder('consumerKey')))
    .prepare(),
);

export async function findConsumerByKey(
  db: Executor,
  consumerKey: string,
): Promise<ConsumerAuthRow | null> {
  const [row] = await consumerByKey(db).execute({ consumerKey });
  return row ?? null;
}

const tokenByValue = preparedPer((db) =>
  db
    .select()
    .from(oauthTokens)
    .where(eq(oauthTokens.token, sql.placeholder('token')))
    .prepare(),
);

export async function findTokenByValue(db: Executor, token: string): Promise<TokenRow | null> {
  const [row] = await tokenByValue(db).execute({ token });
  return row ?? null;
}

export async function findConsumerToken(
  db: Executor,
  consumerId: number,
  type: TokenType,
  options: { forUpdate?: boolean } = {},
): Promise<TokenRow | null> {
  const query = db
    .select()
    .from(oauthTokens)
    .where(and(eq(oauthTokens.consumerId, consumerId), eq(oauthTokens.type, type)));
  const [row] = await (options.forUpdate ? query.for('update') : query);
  return row ?? null;
}

const grantedResources = preparedPer((db) =>
  db
    .select({ resourceId: integrationAclGrants.resourceId })
    .from(integrationAclGrants)
    .where(eq(integrationAclGrants.integrationId, sql.placeholder('integrationId')))
    .prepare(),
);

export async function readGrantedResources(db: Executor, integrationId: number): Promise<string[]> {
  const rows = await grantedResources(db).execute({ integrationId });
  return rows.map((row) => row.resourceId);
}

const nonceInsert = preparedPer((db) =>
  db
    .insert(oauthNonces)
    .values({
      consumerId: sql.placeholder('consumerId'),
      token: sql.placeholder('token'),
      nonce: sql.placeholder('nonce'),
      timestamp: sql.placeholder('timestamp'),
    })
    .prepare(),
);

/**
 * Records a nonce with one INSERT; false when the (consumer, token, nonce) key exists, i.e. the
 * request is a replay. The unique key is the authority, so concurrent copies cannot both pass.
 * A copy that met another at the same key a moment apart is refused as a replay too, and never
 * retried as new: on one server the copies waiting on the same key deadlock (1213) once the
 * first gives way, and on a Galera cluster the copy sent through another node loses
 * certification (1213) to the one committed first.
 */
export async function recordNonce(
  db: Executor,
  values: { consumerId: number; token: string; nonce: string; timestamp: number },
): Promise<boolean> {
  try {
    await nonceInsert(db).execute(values);
    return true;
  } catch (error) {
    if (isDuplicateKey(error, 'PRIMARY') || isRetryableTransactionError(error)) return false;
    throw error;
  }
}

/** Deletes nonces whose timestamp is older than `olderThan` (seconds since the epoch). */
export async function purgeNonces(db: Executor, olderThan: number): Promise<void> {
  await db.delete(oauthNonces).where(lt(oauthNonces.timestamp, olderThan));
}

export async function deleteConsumerTokens(
  db: Executor,
  consumerId: number,
  types: TokenType[],
): Promise<void> {
  await db
    .delete(oauthTokens)
    .where(and(eq(oauthTokens.consumerId, consumerId), inArray(oauthTokens.type, types)));
}

export async function insertToken(
  db: Executor,
  values: {
    consumerId: number;
    type: TokenType;
    token: string;
    secretEncrypted: string;
    verifierHash: string | null;
    createdAt: Date;
  },
): Promise<void> {
  await db.insert(oauthTokens).values(values);
}

/**
 * Moves a token row to its next type with new values, only if it still has type `from`: the
 * affected-row count makes each step single-use even under concurrent exchanges.
 */
export async function convertToken(
  db: Executor,
  id: number,
  from: TokenType,
  values: {
    type: TokenType;
    token: string;
    secretEncrypted: string;
    verifierHash: string | null;
    createdAt: Date;
  },
): Promise<boolean> {
  const [result] = await db
    .update(oauthTokens)
    .set(values)
    .where(and(eq(oauthTokens.id, id), eq(oauthTokens.type, from)));
  return result.affectedRows === 1;
}

export async function setExchangeStartedAt(
  db: Executor,
  consumerId: number,
  at: Date | null,
): Promise<void> {
  await db
    .update(oauthConsumers)
    .set({ exchangeStartedAt: at })
    .where(eq(oauthConsumers.id, consumerId));
}

/** The end of a token exchange: the integration holds its access token now. */
export async function markIntegrationActive(db: Executor, integrationId: number): Promise<void> {
  await db.update(integrations).set({ status: 'ACTIVE' }).where(eq(integrations.id, integrationId));
}

/** At most one write per integration and interval, also across instances (the WHERE guards it). */
export async function touchLastUsed(
  db: Executor,
  integrationId: number,
  now: Date,
  intervalMs: number,
): Promise<void> {
  await db
    .update(integrations)
    .set({ lastUsedAt: now, updatedAt: sql`${integrations.updatedAt}` })
    .where(
      and(
        eq(integrations.id, integrationId),
        sql`(${integrations.lastUsedAt} IS NULL OR ${integrations.lastUsedAt} < ${new Date(now.getTime() - intervalMs)})`,
      ),
    );
}

export interface AccessTokenOwner {
  integrationId: number;
  integrationName: string;
  integrationStatus: 'INACTIVE' | 'ACTIVE' | 'RESET';
  resourceAccess: 'ALL' | 'CUSTOM';
}

/** The integration holding a live access token with this value, for Bearer use. */
export async function findAccessTokenOwner(
  db: Executor,
  token: string,
): Promise<AccessTokenOwner | null> {
  const [row] = await db
    .select({
      integrationId: integrations.id,
      integrationName: integrations.name,
      integrationStatus: integrations.status,
      resourceAccess: integrations.resourceAccess,
    })
    .from(oauthTokens)
    .innerJoin(oauthConsumers, eq(oauthConsumers.id, oauthTokens.consumerId))
    .innerJoin(integrations, eq(integrations.id, oauthConsumers.integrationId))
    .where(
      and(
        eq(oauthTokens.token, token),
        eq(oauthTokens.type, 'access'),
        eq(oauthTokens.revoked, false),
      ),
    );
  return row ?? null;
}

/**
 * Locks a token row while it still has type `type`. Concurrent exchanges of the same token wait
 * here; the ones that get the lock after the first see the new type and get null.
 */
export async function lockTokenOfType(
  db: Executor,
  id: number,
  type: TokenType,
): Promise<TokenRow | null> {
  const [row] = await db
    .select()
    .from(oauthTokens)
    .where(and(eq(oauthTokens.id, id), eq(oauthTokens.type, type)))
    .for('update');
  return row ?? null;
}
