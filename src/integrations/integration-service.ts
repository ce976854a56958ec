import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Database } from '../db/client.js';
import { withKeyColumns } from '../db/columns.js';
import { isDuplicateKey } from '../db/driver-errors.js';
import type { Page, PageArgs, Pager } from '../db/page.js';
import { CONSUMER_SECRET_PURPOSE, TOKEN_SECRET_PURPOSE } from '../db/secret-purposes.js';
import { inTransaction } from '../db/transaction.js';
import { domainError, type Outcome, refused } from '../errors.js';
import type { Credentials } from './activation-service.js';
import { findConsumerByIntegration, findLiveAccessToken } from './credentials-repository.js';
import {
  type IntegrationErrorCode,
  type IntegrationFieldsInput,
  resolveIntegrationFields,
} from './integration-input.js';
import { lockIntegration } from './integration-lock.js';
import {
  callbackDeliveriesOf,
  countIntegrations,
  credentialFactsOf,
  deleteIntegration,
  findIntegrationRow,
  grantsOf,
  type IntegrationFilter,
  type IntegrationOrder,
  type IntegrationRow,
  insertIntegrationWithConsumer,
  listIntegrationRows,
  listUndeclaredConfigIntegrations,
  readGrants,
  replaceGrants,
  SORT_PROPERTY,
  sortKey,
  updateIntegration,
} from './integration-repository.js';

export interface IntegrationServiceDeps {
  db: Database;
  secretBox: SecretBox;
  pager: Pager;
  /** Names declared in INTEGRATIONS_CONFIG when this instance started. */
  declaredConfigNames: readonly string[];
}

/** A page of the admin grid, which also counts the insecure integrations of the filtered list. */
export interface IntegrationPage extends Page<IntegrationRow> {
  insecureCount(): Promise<number>;
}

type IntegrationListArgs = PageArgs & {
  filter?: IntegrationFilter | null;
  orderBy?: IntegrationOrder | null;
  /** Row properties the caller reads (null or absent: all); id and the sort key are added. */
  columns?: (keyof IntegrationRow & string)[] | null;
};

const DEFAULT_ORDER: IntegrationOrder = { field: 'CREATED_AT', direction: 'ASC' };

type Changed = Outcome<{ integration: IntegrationRow | null }, IntegrationErrorCode>;
const NO_INTEGRATION = { integration: null };

const duplicateName = (name: string) =>
  refused(
    NO_INTEGRATION,
    domainError('UNIQUE', `The integration with name "${name}" exists.`, 'input.name'),
  );

export function createIntegrationService({
  db,
  secretBox,
  pager,
  declaredConfigNames,
}: IntegrationServiceDeps) {
  return {
    find: (id: number) => findIntegrationRow(db, id),

    /** One page of the admin grid: a keyset query for the rows, counts only when asked for. */
    async list(args: IntegrationListArgs): Promise<IntegrationPage> {
      const filter = args.filter ?? {};
      const order = args.orderBy ?? DEFAULT_ORDER;
      const columns = withKeyColumns(args.columns, 'id', SORT_PROPERTY[order.field]);
      let counts: Promise<{ total: number; insecure: number }> | undefined;
      const loadCounts = () => {
        counts ??= countIntegrations(db, filter);
        return counts;
      };
      return {
        ...(await pager.sortedPage(
          args,
          order,
          (after, limit) => listIntegrationRows(db, { filter, order, after, limit, columns }),
          (row) => sortKey(row, order.field),
          async () => (await loadCounts()).total,
        )),
        insecureCount: async () => (await loadCounts()).insecure,
      };
    },

    /** CONFIG integrations no longer declared in INTEGRATIONS_CONFIG: left in place, reported. */
    configDrift: () => listUndeclaredConfigIntegrations(db, declaredConfigNames),

    /** Batch reads for the Integration fields beyond its row (one statement each). */
    credentialFacts: (ids: readonly number[]) => credentialFactsOf(db, ids),
    grants: (ids: readonly number[]) => grantsOf(db, ids),
    callbackDeliveries: (ids: readonly number[]) => callbackDeliveriesOf(db, ids),

    async create(input: IntegrationFieldsInput, actor: Actor): Promise<Changed> {
      const { fields, errors } = resolveIntegrationFields(input, null);
      if (errors.length > 0) return refused(NO_INTEGRATION, ...errors);
      try {
        return await inTransaction(db, async (tx) => {
          const id = await insertIntegrationWithConsumer(tx, secretBox, fields);
          await recordAudit(tx, actor, {
            action: 'INTEGRATION_CREATED',
            integration: { id, name: fields.name },
            details: { resourceAccess: fields.resourceAccess, resources: fields.resources },
          });
          return { integration: await findIntegrationRow(tx, id), errors: [] };
        });
      } catch (error) {
        if (isDuplicateKey(error, 'integration_name_unique')) return duplicateName(fields.name);
        throw error;
      }
    },

    async update(id: number, input: IntegrationFieldsInput, actor: Actor): Promise<Changed> {
      try {
        return await inTransaction(db, async (tx) => {
          const { row, refusal } = await lockIntegration(tx, id, (found) =>
            found.setupType === 'CONFIG'
              ? domainError(
                  'NOT_EDITABLE',
                  "The integrations created in the config file can't be edited.",
                )
              : null,
          );
          if (!row) return refused(NO_INTEGRATION, refusal);
          const current = { ...row, resources: await readGrants(tx, id) };
          const { fields, errors } = resolveIntegrationFields(input, current);
          if (errors.length > 0) return refused(NO_INTEGRATION, ...errors);
          const { resources, ...stored } = fields;
          await updateIntegration(tx, id, stored);
          await replaceGrants(tx, id, resources);
          await recordAudit(tx, actor, {
            action: 'INTEGRATION_UPDATED',
            integration: { id, name: fields.name },
            details: { changed: Object.keys(input).filter((k) => k !== 'currentPassword') },
          });
          return { integration: await findIntegrationRow(tx, id), errors: [] };
        });
      } catch (error) {
        if (isDuplicateKey(error, 'integration_name_unique')) {
          return duplicateName(input.name?.trim() ?? '');
        }
        throw error;
      }
    },

    delete(
      id: number,
      actor: Actor,
    ): Promise<Outcome<{ deletedId: number | null }, IntegrationErrorCode>> {
      return inTransaction(db, async (tx) => {
        const { row, refusal } = await lockIntegration(tx, id, (found) =>
          found.setupType === 'CONFIG'
            ? domainError(
                'NOT_DELETABLE',
                `Uninstall the extension to remove integration '${found.name}'.`,
              )
            : null,
        );
        if (!row) return refused({ deletedId: null }, refusal);
        // Consumer, tokens, nonces and grants go with it (ON DELETE CASCADE).
        await deleteIntegration(tx, id);
        await recordAudit(tx, actor, { action: 'INTEGRATION_DELETED', integration: row });
        return { deletedId: id, errors: [] };
      });
    },

    /** The current consumer and access-token values, decrypted; audited. */
    revealCredentials(
      id: number,
      actor: Actor,
    ): Promise<Outcome<{ credentials: Credentials | null }, IntegrationErrorCode>> {
      return inTransaction(db, async (tx) => {
        const { row, refusal } = await lockIntegration(tx, id);
        if (!row) return refused({ credentials: null }, refusal);
        const consumer = await findConsumerByIntegration(tx, id);
        if (!consumer) throw new Error(`Integration ${id} has no OAuth consumer`);
        const token = await findLiveAccessToken(tx, consumer.id);
        await recordAudit(tx, actor, {
          action: 'INTEGRATION_CREDENTIALS_REVEALED',
          integration: row,
        });
        return {
          credentials: {
            consumerKey: consumer.consumerKey,
            consumerSecret: secretBox.decrypt(consumer.secretEncrypted, CONSUMER_SECRET_PURPOSE),
            accessToken: token?.token ?? null,
            accessTokenSecret: token
              ? secretBox.decrypt(token.secretEncrypted, TOKEN_SECRET_PURPOSE)
              : null,
          },
          errors: [],
        };
      });
    },
  };
}

export type IntegrationService = ReturnType<typeof createIntegrationService>;
