import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  datetime,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  tinyint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';

// All timestamps are UTC DATETIME(3): the pool runs with timezone 'Z', so JS Dates round-trip exactly.
const timestamp = (name: string) => datetime(name, { mode: 'date', fsp: 3 });
const createdAt = () => timestamp('created_at').notNull().default(sql`CURRENT_TIMESTAMP(3)`);
const updatedAt = () =>
  timestamp('updated_at')
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`)
    .$onUpdate(() => new Date());

export const adminUsers = mysqlTable('admin_user', {
  id: int('id', { unsigned: true }).autoincrement().primaryKey(),
  username: varchar('username', { length: 40 }).notNull().unique('admin_user_username_unique'),
  email: varchar('email', { length: 254 }).notNull(),
  passwordHash: varchar('password_hash', { length: 255 }).notNull(),
  isActive: boolean('is_active').notNull().default(true),
  failureCount: int('failure_count', { unsigned: true }).notNull().default(0),
  firstFailureAt: timestamp('first_failure_at'),
  lockExpiresAt: timestamp('lock_expires_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const adminSessions = mysqlTable(
  'admin_session',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    /** SHA-256 of the bearer token, hex. The token itself is never stored. */
    tokenHash: char('token_hash', { length: 64 })
      .notNull()
      .unique('admin_session_token_hash_unique'),
    adminId: int('admin_id', { unsigned: true })
      .notNull()
      .references(() => adminUsers.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at').notNull(),
    revokedAt: timestamp('revoked_at'),
  },
  (t) => [
    index('admin_session_admin_idx').on(t.adminId),
    index('admin_session_expires_idx').on(t.expiresAt),
  ],
);

export const INTEGRATION_STATUSES = ['INACTIVE', 'ACTIVE', 'RESET'] as const;
export const SETUP_TYPES = ['MANUAL', 'CONFIG'] as const;
export const RESOURCE_ACCESS = ['ALL', 'CUSTOM'] as const;

export const integrations = mysqlTable(
  'integration',
  {
    id: int('id', { unsigned: true }).autoincrement().primaryKey(),
    /** Unique case-insensitively: the database collation (utf8mb4_unicode_ci) compares without case. */
    name: varchar('name', { length: 255 }).notNull().unique('integration_name_unique'),
    email: varchar('email', { length: 254 }),
    callbackUrl: varchar('callback_url', { length: 255 }),
    identityLinkUrl: varchar('identity_link_url', { length: 255 }),
    status: mysqlEnum('status', INTEGRATION_STATUSES).notNull().default('INACTIVE'),
    setupType: mysqlEnum('setup_type', SETUP_TYPES).notNull().default('MANUAL'),
    resourceAccess: mysqlEnum('resource_access', RESOURCE_ACCESS).notNull().default('CUSTOM'),
    /** SHA-256 of the declaration a CONFIG integration was last synced from. */
    configHash: char('config_hash', { length: 64 }),
    lastUsedAt: timestamp('last_used_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('integration_status_idx').on(t.status, t.id),
    index('integration_setup_type_idx').on(t.setupType, t.id),
    index('integration_created_idx').on(t.createdAt, t.id),
  ],
);

export const integrationAclGrants = mysqlTable(
  'integration_acl_grant',
  {
    integrationId: int('integration_id', { unsigned: true })
      .notNull()
      .references(() => integrations.id, { onDelete: 'cascade' }),
    resourceId: varchar('resource_id', { length: 255 }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'integration_acl_grant_pk', columns: [t.integrationId, t.resourceId] }),
  ],
);

export const oauthConsumers = mysqlTable('oauth_consumer', {
  id: int('id', { unsigned: true }).autoincrement().primaryKey(),
  integrationId: int('integration_id', { unsigned: true })
    .notNull()
    .unique('oauth_consumer_integration_unique')
    .references(() => integrations.id, { onDelete: 'cascade' }),
  consumerKey: char('consumer_key', { length: 32 }).notNull().unique('oauth_consumer_key_unique'),
  /** AES-256-GCM envelope (see src/crypto/secret-box.ts), never the plain secret. */
  secretEncrypted: varchar('secret_encrypted', { length: 255 }).notNull(),
  /** When credentials were last posted to the callback URL: starts the token-exchange window. */
  exchangeStartedAt: timestamp('exchange_started_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const TOKEN_TYPES = ['verifier', 'request', 'access'] as const;

export const oauthTokens = mysqlTable(
  'oauth_token',
  {
    id: int('id', { unsigned: true }).autoincrement().primaryKey(),
    consumerId: int('consumer_id', { unsigned: true })
      .notNull()
      .references(() => oauthConsumers.id, { onDelete: 'cascade' }),
    type: mysqlEnum('type', TOKEN_TYPES).notNull(),
    token: char('token', { length: 32 }).notNull().unique('oauth_token_token_unique'),
    secretEncrypted: varchar('secret_encrypted', { length: 255 }).notNull(),
    /** SHA-256 of the verifier, hex; only verifier and request tokens carry one. */
    verifierHash: char('verifier_hash', { length: 64 }),
    revoked: boolean('revoked').notNull().default(false),
    createdAt: createdAt(),
  },
  // One row per consumer and type: rotation rewrites the row, so two live access tokens cannot exist.
  (t) => [uniqueIndex('oauth_token_consumer_type_unique').on(t.consumerId, t.type)],
);

export const oauthNonces = mysqlTable(
  'oauth_nonce',
  {
    consumerId: int('consumer_id', { unsigned: true })
      .notNull()
      .references(() => oauthConsumers.id, { onDelete: 'cascade' }),
    /** The token the request was signed with; empty for requests signed with the consumer alone. */
    token: varchar('token', { length: 32 }).notNull().default(''),
    nonce: varchar('nonce', { length: 64 }).notNull(),
    timestamp: int('timestamp', { unsigned: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'oauth_nonce_pk', columns: [t.consumerId, t.token, t.nonce] }),
    index('oauth_nonce_timestamp_idx').on(t.timestamp),
  ],
);

export const SECURITY_SETTINGS_ROW_ID = 1;

/** A single row with id 1, inserted by migration and only ever updated. */
export const securitySettings = mysqlTable('security_settings', {
  id: tinyint('id', { unsigned: true }).primaryKey(),
  allowAnonymousGuestAccess: boolean('allow_anonymous_guest_access').notNull().default(false),
  allowIntegrationTokensAsBearer: boolean('allow_integration_tokens_as_bearer')
    .notNull()
    .default(false),
  allowHmacSha1: boolean('allow_hmac_sha1').notNull().default(false),
  requireBodyHash: boolean('require_body_hash').notNull().default(false),
  allowAnonymousIntrospection: boolean('allow_anonymous_introspection').notNull().default(false),
  updatedAt: updatedAt(),
  updatedByAdminId: int('updated_by_admin_id', { unsigned: true }).references(() => adminUsers.id, {
    onDelete: 'set null',
  }),
});

export const auditLog = mysqlTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    occurredAt: timestamp('occurred_at').notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    action: varchar('action', { length: 64 }).notNull(),
    // Actor and subject are copied, not referenced: the trail outlives deleted admins and integrations.
    adminId: int('admin_id', { unsigned: true }),
    adminUsername: varchar('admin_username', { length: 40 }),
    integrationId: int('integration_id', { unsigned: true }),
    integrationName: varchar('integration_name', { length: 255 }),
    requestId: varchar('request_id', { length: 64 }),
    clientIp: varchar('client_ip', { length: 45 }),
    details: json('details').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('audit_log_integration_idx').on(t.integrationId, t.id),
    index('audit_log_action_idx').on(t.action, t.id),
  ],
);

/** Fixed-window request counters shared by instances (RATE_LIMIT_STORE=mysql). */
export const rateLimitCounters = mysqlTable(
  'rate_limit_counter',
  {
    bucket: varchar('bucket', { length: 191 }).notNull(),
    windowStart: bigint('window_start', { mode: 'number', unsigned: true }).notNull(),
    hits: int('hits', { unsigned: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'rate_limit_counter_pk', columns: [t.bucket, t.windowStart] }),
    index('rate_limit_counter_window_idx').on(t.windowStart),
  ],
);

export const CALLBACK_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;

/**
 * The credentials POST of a token exchange, written in the activation's transaction and
 * delivered after commit, so a crash between the two cannot lose it. One row per integration:
 * its latest exchange.
 */
export const callbackOutbox = mysqlTable(
  'callback_outbox',
  {
    id: int('id', { unsigned: true }).autoincrement().primaryKey(),
    integrationId: int('integration_id', { unsigned: true })
      .notNull()
      .unique('callback_outbox_integration_unique')
      .references(() => integrations.id, { onDelete: 'cascade' }),
    mode: mysqlEnum('mode', ['activate', 'reauthorize']).notNull(),
    /** The verifier to post, encrypted; cleared once delivered or abandoned. */
    verifierEncrypted: varchar('verifier_encrypted', { length: 255 }),
    status: mysqlEnum('status', CALLBACK_STATUSES).notNull().default('PENDING'),
    attempts: int('attempts', { unsigned: true }).notNull().default(0),
    lastError: varchar('last_error', { length: 255 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('callback_outbox_status_idx').on(t.status, t.updatedAt)],
);

/**
 * Locks held across every instance and every node of a cluster (see cluster-lock.ts): a row is a
 * held lock, taken by a committed INSERT on the name and given back by deleting it. `expires_at`
 * is the holder's lease, renewed while it works, so the lock of a holder that died is taken over
 * once the lease runs out. Created before migrations run (they take the lock): its migration uses
 * CREATE TABLE IF NOT EXISTS.
 */
export const clusterLocks = mysqlTable('cluster_lock', {
  name: varchar('name', { length: 64 }).primaryKey(),
  owner: varchar('owner', { length: 64 }).notNull(),
  expiresAt: timestamp('expires_at').notNull(),
});
