import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { sha256Hex } from '../crypto/tokens.js';
import type { Database, Executor } from '../db/client.js';
import { withClusterLock } from '../db/cluster-lock.js';
import { inTransaction } from '../db/transaction.js';
import { deleteConsumerTokens } from '../oauth/oauth-repository.js';
import { findConsumerByIntegration } from './credentials-repository.js';
import { resolveIntegrationFields } from './integration-input.js';
import type { IntegrationFields } from './integration-repository.js';
import {
  findIntegrationByName,
  type IntegrationRow,
  insertIntegrationWithConsumer,
  listUndeclaredConfigIntegrations,
  readGrants,
  replaceGrants,
  updateIntegration,
} from './integration-repository.js';

const SYNC_LOCK = 'integrations_config_sync';
const SYNC_LOCK_WAIT_MS = 60_000;

const CONFIG_ACTOR: Actor = {
  adminId: null,
  adminUsername: 'config',
  requestId: null,
  clientIp: null,
};

export interface SyncReport {
  created: string[];
  reset: string[];
  unchanged: string[];
  /** CONFIG integrations no longer declared: left in place, reported. */
  undeclared: string[];
}

export class ConfigClashError extends Error {
  constructor(declared: string, existing: IntegrationRow) {
    super(
      `The declared integration "${declared}" clashes with the admin-created integration "${existing.name}" (id ${existing.id}); rename one of them.`,
    );
    this.name = 'ConfigClashError';
  }
}

export class DuplicateDeclarationError extends Error {
  constructor(first: string, second: string) {
    super(
      `The declarations "${first}" and "${second}" name the same integration (names are compared without case or accents).`,
    );
    this.name = 'DuplicateDeclarationError';
  }
}

/** Stable fingerprint of a declaration: a changed field, URL or resource changes it. */
export function declarationHash(fields: IntegrationFields): string {
  const { name, email, callbackUrl, identityLinkUrl, resourceAccess, resources } = fields;
  return sha256Hex(
    JSON.stringify([
      name,
      email,
      callbackUrl,
      identityLinkUrl,
      resourceAccess,
      [...resources].sort(),
    ]),
  );
}

/**
 * Whether the stored integration, validated and normalised as a declaration is today, has the
 * fingerprint `configHash`: a row written before a normalisation rule existed is not a change.
 */
async function storedAsDeclared(
  tx: Executor,
  row: IntegrationRow,
  configHash: string,
): Promise<boolean> {
  const resources = await readGrants(tx, row.id);
  const { name, email, callbackUrl, identityLinkUrl, resourceAccess } = row;
  const { fields, errors } = resolveIntegrationFields(
    { name, email, callbackUrl, identityLinkUrl, resourceAccess, resources },
    null,
  );
  return errors.length === 0 && declarationHash(fields) === configHash;
}

/**
 * Brings CONFIG integrations in line with their declarations, in one transaction (retried whole
 * on a conflict) under a lock held across the cluster (instances that start together run it one
 * after the other, also through different Galera nodes; the later ones change nothing).
 * New declarations are created INACTIVE; changed ones are updated, lose their tokens and become
 * RESET, as in the reference; unchanged ones are not written.
 */
export async function syncConfigIntegrations(
  db: Database,
  secretBox: SecretBox,
  declared: IntegrationFields[],
): Promise<SyncReport> {
  return withClusterLock(db, SYNC_LOCK, { waitMs: SYNC_LOCK_WAIT_MS }, () =>
    inTransaction(db, async (tx) => {
      const report: SyncReport = { created: [], reset: [], unchanged: [], undeclared: [] };
      const seen = new Map<number, string>();
      for (const fields of declared) {
        const configHash = declarationHash(fields);
        const existing = await findIntegrationByName(tx, fields.name, { forUpdate: true });
        const earlier = existing && seen.get(existing.id);
        if (earlier) throw new DuplicateDeclarationError(earlier, fields.name);
        if (existing) seen.set(existing.id, fields.name);
        if (!existing) {
          const id = await insertIntegrationWithConsumer(tx, secretBox, fields, {
            setupType: 'CONFIG',
            configHash,
          });
          await recordAudit(tx, CONFIG_ACTOR, {
            action: 'INTEGRATION_CREATED',
            integration: { id, name: fields.name },
            details: { source: 'config' },
          });
          seen.set(id, fields.name);
          report.created.push(fields.name);
        } else if (existing.setupType === 'MANUAL') {
          throw new ConfigClashError(fields.name, existing);
        } else if (existing.configHash === configHash) {
          report.unchanged.push(fields.name);
        } else if (await storedAsDeclared(tx, existing, configHash)) {
          // Fingerprinted before URLs were normalised: the same declaration, not a change.
          const { resources: _, ...stored } = fields;
          await updateIntegration(tx, existing.id, { ...stored, configHash });
          report.unchanged.push(fields.name);
        } else {
          const { resources, ...stored } = fields;
          await updateIntegration(tx, existing.id, { ...stored, configHash, status: 'RESET' });
          await replaceGrants(tx, existing.id, resources);
          const consumer = await findConsumerByIntegration(tx, existing.id);
          if (consumer)
            await deleteConsumerTokens(tx, consumer.id, ['verifier', 'request', 'access']);
          await recordAudit(tx, CONFIG_ACTOR, {
            action: 'INTEGRATION_RESET',
            integration: { id: existing.id, name: fields.name },
          });
          report.reset.push(fields.name);
        }
      }
      const undeclared = await listUndeclaredConfigIntegrations(
        tx,
        declared.map((fields) => fields.name),
      );
      report.undeclared = undeclared.map((row) => row.name);
      return report;
    }),
  );
}
