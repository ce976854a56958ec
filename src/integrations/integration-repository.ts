import { and, asc, eq, inArray, like, notInArray, type SQL, sql } from 'drizzle-orm';
import type { SecretBox } from '../crypto/secret-box.js';
import { randomAlphanumeric } from '../crypto/tokens.js';
import type { Executor } from '../db/client.js';
import { keysetValues, preparedKeysetPage } from '../db/keyset.js';
import { escapeLike } from '../db/like.js';
import { preparedPerShape } from '../db/prepared.js';
import {
  callbackOutbox,
  type INTEGRATION_STATUSES,
  integrationAclGrants,
  integrations,
  oauthConsumers,
  oauthTokens,
  type RESOURCE_ACCESS,
  type SETUP_TYPES,
} from '../db/schema.js';
import { CONSUMER_SECRET_PURPOSE } from '../db/secret-purposes.js';
import { insertConsumer } from './credentials-repository.js';

export type IntegrationStatus = (typeof INTEGRATION_STATUSES)[number];
export type SetupType = (typeof SETUP_TYPES)[number];
export type IntegrationRow = typeof integrations.$inferSelect;
export type ResourceAccess = (typeof RESOURCE_ACCESS)[number];

/** The values an admin or a declaration sets: the row's own fields and the granted resources. */
export interface IntegrationFields {
  name: string;
  email: string | null;
  callbackUrl: string | null;
  identityLinkUrl: string | null;
  resourceAccess: ResourceAccess;
  resources: string[];
}

/** The latest callback POST of an integration (see callback-delivery.ts). */
export interface CallbackDeliveryView {
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  lastError: string | null;
  updatedAt: Date;
}

export interface IntegrationFilter {
  status?: IntegrationStatus | null;
  nameContains?: string | null;
  setupType?: SetupType | null;
}

export type IntegrationOrderField = 'NAME' | 'STATUS' | 'CREATED_AT';
export interface IntegrationOrder {
  field: IntegrationOrderField;
  direction: 'ASC' | 'DESC';
}

const SORT_COLUMNS = {
  NAME: integrations.name,
  // Sorted as text so the order matches the labels, and cursors compare the same way.
  STATUS: sql<string>`CAST(${integrations.status} AS CHAR)`,
  CREATED_AT: integrations.createdAt,
} as const;

/** The values a filter binds, in the form SQL compares them. */
function filterValues(filter: IntegrationFilter) {
  return {
    status: filter.status ?? null,
    setupType: filter.setupType ?? null,
    namePattern: filter.nameContains ? `%${escapeLike(filter.nameContains)}%` : null,
  };
}

type FilterValues = ReturnType<typeof filterValues>;
type Given = Record<keyof FilterValues, boolean>;

const givenOf = (values: FilterValues): Given => ({
  status: values.status !== null,
  setupType: values.setupType !== null,
  namePattern: values.namePattern !== null,
});

/** The filter's condition over placeholders named as in `filterValues` (for prepared statements). */
function filterCondition(given: Given): SQL | undefined {
  return and(
    given.status ? eq(integrations.status, sql.placeholder('status')) : undefined,
    given.setupType ? eq(integrations.setupType, sql.placeholder('setupType')) : undefined,
    given.namePattern ? like(integrations.name, sql.placeholder('namePattern')) : undefined,
  );
}

const INSECURE = sql`(${integrations.callbackUrl} LIKE 'http:%' OR ${integrations.identityLinkUrl} LIKE 'http:%')`;

export async function findIntegrationRow(
  db: Executor,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<IntegrationRow | null> {
  const query = db.select().from(integrations).where(eq(integrations.id, id));
  const [row] = await (options.forUpdate ? query.for('update') : query);
  return row ?? null;
}

interface CredentialFacts {
  consumerKey: string;
  accessTokenIssuedAt: Date | null;
}

/** Consumer key and live access token time of each integration that has a consumer. */
export async function credentialFactsOf(
  db: Executor,
  ids: readonly number[],
): Promise<Map<number, CredentialFacts>> {
  const rows = await db
    .select({
      integrationId: oauthConsumers.integrationId,
      consumerKey: oauthConsumers.consumerKey,
      accessTokenIssuedAt: oauthTokens.createdAt,
    })
    .from(oauthConsumers)
    .leftJoin(
      oauthTokens,
      and(
        eq(oauthTokens.consumerId, oauthConsumers.id),
        eq(oauthTokens.type, 'access'),
        eq(oauthTokens.revoked, false),
      ),
    )
    .where(inArray(oauthConsumers.integrationId, [...ids]));
  return new Map(rows.map(({ integrationId, ...facts }) => [integrationId, facts]));
}

/** Granted resource ids of each integration, sorted. */
export async function grantsOf(
  db: Executor,
  ids: readonly number[],
): Promise<Map<number, string[]>> {
  const rows = await db
    .select()
    .from(integrationAclGrants)
    .where(inArray(integrationAclGrants.integrationId, [...ids]))
    .orderBy(asc(integrationAclGrants.resourceId));
  const grants = new Map<number, string[]>();
  for (const row of rows) {
    const list = grants.get(row.integrationId);
    if (list) list.push(row.resourceId);
    else grants.set(row.integrationId, [row.resourceId]);
  }
  return grants;
}

/** The latest callback delivery of each integration that had one. */
export async function callbackDeliveriesOf(
  db: Executor,
  ids: readonly number[],
): Promise<Map<number, CallbackDeliveryView>> {
  const rows = await db
    .select({
      integrationId: callbackOutbox.integrationId,
      status: callbackOutbox.status,
      attempts: callbackOutbox.attempts,
      lastError: callbackOutbox.lastError,
      updatedAt: callbackOutbox.updatedAt,
    })
    .from(callbackOutbox)
    .where(inArray(callbackOutbox.integrationId, [...ids]));
  return new Map(rows.map(({ integrationId, ...delivery }) => [integrationId, delivery]));
}

/** The row property each sort order reads, which a page must select for its cursors. */
export const SORT_PROPERTY = {
  NAME: 'name',
  STATUS: 'status',
  CREATED_AT: 'createdAt',
} as const satisfies Record<IntegrationOrderField, keyof IntegrationRow>;

/** The sort key of a row under an order, as stored in cursors. */
export function sortKey(row: IntegrationRow, field: IntegrationOrderField): [string, number] {
  const value =
    field === 'CREATED_AT' ? row.createdAt.toISOString() : field === 'NAME' ? row.name : row.status;
  return [value, row.id];
}

interface IntegrationPageShape {
  given: Given;
  order: IntegrationOrder;
  paged: boolean;
  columns: (keyof IntegrationRow & string)[] | null;
}

const integrationPage = preparedPerShape(
  64,
  ({ given, order, paged, columns }: IntegrationPageShape) =>
    `${Object.values(given).join()}|${order.field} ${order.direction}|${paged}|${columns?.join() ?? '*'}`,
  (db, { given, order, paged, columns }) =>
    preparedKeysetPage(db, integrations, {
      column: SORT_COLUMNS[order.field],
      id: integrations.id,
      direction: order.direction,
      paged,
      columns,
      where: filterCondition(given),
    }),
);

/** One page in keyset order (sort column, then id): no OFFSET, so deep pages cost the same. */
export async function listIntegrationRows(
  db: Executor,
  options: {
    filter: IntegrationFilter;
    order: IntegrationOrder;
    after: [string, number] | null;
    limit: number;
    /** Row properties to read (null: all). */
    columns: (keyof IntegrationRow & string)[] | null;
  },
): Promise<IntegrationRow[]> {
  const { order, after, limit, columns } = options;
  const values = filterValues(options.filter);
  const shape = { given: givenOf(values), order, paged: after !== null, columns };
  const rows = await integrationPage(db, shape).execute({
    ...values,
    ...keysetValues(after, order.field === 'CREATED_AT', limit),
  });
  return rows as IntegrationRow[];
}

const integrationCounts = preparedPerShape(
  8,
  (given: Given) => Object.values(given).join(),
  (db, given) =>
    db
      .select({
        total: sql<number>`COUNT(*)`.mapWith(Number),
        insecure: sql<number>`COALESCE(SUM(${INSECURE}), 0)`.mapWith(Number),
      })
      .from(integrations)
      .where(filterCondition(given))
      .prepare(),
);

export async function countIntegrations(
  db: Executor,
  filter: IntegrationFilter,
): Promise<{ total: number; insecure: number }> {
  const values = filterValues(filter);
  const [row] = await integrationCounts(db, givenOf(values)).execute(values);
  return row ?? { total: 0, insecure: 0 };
}

type StoredFields = Omit<IntegrationFields, 'resources'>;

/**
 * Inserts an integration with its grants and its OAuth consumer: a new consumer key, and a new
 * consumer secret stored encrypted.
 */
export async function insertIntegrationWithConsumer(
  tx: Executor,
  secretBox: SecretBox,
  fields: IntegrationFields,
  setup: { setupType: SetupType; configHash: string | null } = {
    setupType: 'MANUAL',
    configHash: null,
  },
): Promise<number> {
  const { resources, ...stored } = fields;
  const [inserted] = await tx
    .insert(integrations)
    .values({ ...stored, ...setup })
    .$returningId();
  if (!inserted) throw new Error('Integration insert returned no id');
  await replaceGrants(tx, inserted.id, resources);
  await insertConsumer(tx, {
    integrationId: inserted.id,
    consumerKey: randomAlphanumeric(32),
    secretEncrypted: secretBox.encrypt(randomAlphanumeric(32), CONSUMER_SECRET_PURPOSE),
  });
  return inserted.id;
}

export async function updateIntegration(
  db: Executor,
  id: number,
  values: Partial<StoredFields> & { status?: IntegrationStatus; configHash?: string | null },
): Promise<void> {
  await db.update(integrations).set(values).where(eq(integrations.id, id));
}

export async function deleteIntegration(db: Executor, id: number): Promise<void> {
  await db.delete(integrations).where(eq(integrations.id, id));
}

export async function readGrants(db: Executor, id: number): Promise<string[]> {
  const rows = await db
    .select({ resourceId: integrationAclGrants.resourceId })
    .from(integrationAclGrants)
    .where(eq(integrationAclGrants.integrationId, id));
  return rows.map((row) => row.resourceId);
}

export async function replaceGrants(db: Executor, id: number, resources: string[]): Promise<void> {
  await db.delete(integrationAclGrants).where(eq(integrationAclGrants.integrationId, id));
  if (resources.length > 0) {
    await db
      .insert(integrationAclGrants)
      .values(resources.map((resourceId) => ({ integrationId: id, resourceId })));
  }
}

export async function findIntegrationByName(
  db: Executor,
  name: string,
  options: { forUpdate?: boolean } = {},
): Promise<IntegrationRow | null> {
  const query = db.select().from(integrations).where(eq(integrations.name, name));
  const [row] = await (options.forUpdate ? query.for('update') : query);
  return row ?? null;
}

/** CONFIG integrations whose name is not among `declared` (compared case-insensitively). */
export function listUndeclaredConfigIntegrations(
  db: Executor,
  declared: readonly string[],
): Promise<IntegrationRow[]> {
  return db
    .select()
    .from(integrations)
    .where(
      and(
        eq(integrations.setupType, 'CONFIG'),
        declared.length > 0 ? notInArray(integrations.name, [...declared]) : undefined,
      ),
    )
    .orderBy(asc(integrations.name));
}
