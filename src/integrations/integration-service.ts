import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Database } from '../db/client.js';
import { isDuplicateKey } from '../db/driver-errors.js';
import type { Pager } from '../db/page.js';
import { inTransaction } from '../db/transaction.js';
import { CONSUMER_SECRET_PURPOSE, TOKEN_SECRET_PURPOSE } from '../oauth/secret-purposes.js';
import type { Credentials } from './activation-service.js';
import { findConsumerByIntegration, findLiveAccessToken } from './credentials-repository.js';
import { type IntegrationFieldsInput, resolveIntegrationFields } from './integration-input.js';
import { type IntegrationListArgs, listIntegrations } from './integration-list.js';
import {
  attempt,
  IntegrationRefusal,
  integrationRef,
  lockIntegration,
  refuse,
  viewIntegration,
} from './integration-refusal.js';
import {
  callbackDeliveriesOf,
  credentialFactsOf,
  deleteIntegration,
  findIntegrationView,
  grantsOf,
  type IntegrationView,
  listUndeclaredConfigIntegrations,
  readGrants,
  replaceGrants,
  updateIntegration,
} from './integration-repository.js';
import { insertIntegrationWithConsumer } from './integration-writer.js';

export interface IntegrationServiceDeps {
  db: Database;
  secretBox: SecretBox;
  pager: Pager;
  /** Names declared in INTEGRATIONS_CONFIG when this instance started. */
  declaredConfigNames: readonly string[];
}

const duplicateName = (name: string) =>
  refuse('UNIQUE', `The integration with name "${name}" exists.`, 'input.name');

export function createIntegrationService({
  db,
  secretBox,
  pager,
  declaredConfigNames,
}: IntegrationServiceDeps) {
  return {
    find: (id: number) => findIntegrationView(db, id),

    list: (args: IntegrationListArgs) => listIntegrations(db, pager, args),

    /** CONFIG integrations no longer declared in INTEGRATIONS_CONFIG: left in place, reported. */
    configDrift: () => listUndeclaredConfigIntegrations(db, declaredConfigNames),

    /** Batch reads for the Integration fields beyond its row (one statement each). */
    credentialFacts: (ids: readonly number[]) => credentialFactsOf(db, ids),
    grants: (ids: readonly number[]) => grantsOf(db, ids),
    callbackDeliveries: (ids: readonly number[]) => callbackDeliveriesOf(db, ids),

    create(input: IntegrationFieldsInput, actor: Actor) {
      return attempt({ integration: null as IntegrationView | null }, async () => {
        const { fields, errors } = resolveIntegrationFields(input, null);
        if (errors.length > 0) throw new IntegrationRefusal(errors);
        try {
          const integration = await inTransaction(db, async (tx) => {
            const id = await insertIntegrationWithConsumer(tx, secretBox, fields);
            await recordAudit(tx, actor, {
              action: 'INTEGRATION_CREATED',
              integration: { id, name: fields.name },
              details: { resourceAccess: fields.resourceAccess, resources: fields.resources },
            });
            return viewIntegration(tx, id);
          });
          return { integration };
        } catch (error) {
          if (isDuplicateKey(error, 'integration_name_unique')) throw duplicateName(fields.name);
          throw error;
        }
      });
    },

    update(id: number, input: IntegrationFieldsInput, actor: Actor) {
      return attempt({ integration: null as IntegrationView | null }, async () => {
        try {
          const integration = await inTransaction(db, async (tx) => {
            const row = await lockIntegration(tx, id);
            if (row.setupType === 'CONFIG') {
              throw refuse(
                'NOT_EDITABLE',
                "The integrations created in the config file can't be edited.",
              );
            }
            const current = { ...row, resources: await readGrants(tx, id) };
            const { fields, errors } = resolveIntegrationFields(input, current);
            if (errors.length > 0) throw new IntegrationRefusal(errors);
            const { resources, ...stored } = fields;
            await updateIntegration(tx, id, stored);
            await replaceGrants(tx, id, resources);
            await recordAudit(tx, actor, {
              action: 'INTEGRATION_UPDATED',
              integration: { id, name: fields.name },
              details: { changed: Object.keys(input).filter((k) => k !== 'currentPassword') },
            });
            return viewIntegration(tx, id);
          });
          return { integration };
        } catch (error) {
          if (isDuplicateKey(error, 'integration_name_unique')) {
            throw duplicateName(input.name?.trim() ?? '');
          }
          throw error;
        }
      });
    },

    delete(id: number, actor: Actor) {
      return attempt({ deletedId: null as number | null }, () =>
        inTransaction(db, async (tx) => {
          const row = await lockIntegration(tx, id);
          if (row.setupType === 'CONFIG') {
            throw refuse(
              'NOT_DELETABLE',
              `Uninstall the extension to remove integration '${row.name}'.`,
            );
          }
          // Consumer, tokens, nonces and grants go with it (ON DELETE CASCADE).
          await deleteIntegration(tx, id);
          await recordAudit(tx, actor, {
            action: 'INTEGRATION_DELETED',
            integration: integrationRef(row),
          });
          return { deletedId: id };
        }),
      );
    },

    /** The current consumer and access-token values, decrypted; audited. */
    revealCredentials(id: number, actor: Actor) {
      return attempt({ credentials: null as Credentials | null }, () =>
        inTransaction(db, async (tx) => {
          const row = await lockIntegration(tx, id);
          const consumer = await findConsumerByIntegration(tx, id);
          if (!consumer) throw new Error(`Integration ${id} has no OAuth consumer`);
          const token = await findLiveAccessToken(tx, consumer.id);
          await recordAudit(tx, actor, {
            action: 'INTEGRATION_CREDENTIALS_REVEALED',
            integration: integrationRef(row),
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
          };
        }),
      );
    },
  };
}

export type IntegrationService = ReturnType<typeof createIntegrationService>;
