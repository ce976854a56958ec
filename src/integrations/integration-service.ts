import { type Actor, recordAudit } from '../audit/audit-repository.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { randomAlphanumeric } from '../crypto/tokens.js';
import type { Database, Executor } from '../db/client.js';
import { isDuplicateKey } from '../db/errors.js';
import { inTransaction } from '../db/transaction.js';
import {
  findConsumerByIntegration,
  findLiveAccessToken,
  insertConsumer,
  upsertAccessToken,
} from './credentials-repository.js';
import {
  type IntegrationError,
  type IntegrationErrorCode,
  type IntegrationFieldsInput,
  resolveIntegrationFields,
  usesTokenExchange,
} from './integration-input.js';
import { type IntegrationListArgs, listIntegrations } from './integration-list.js';
import {
  deleteIntegration,
  findIntegrationRow,
  findIntegrationView,
  type IntegrationRow,
  type IntegrationView,
  insertIntegration,
  readGrants,
  replaceGrants,
  updateIntegration,
} from './integration-repository.js';

export const CONSUMER_SECRET_PURPOSE = 'oauth_consumer.secret';
export const TOKEN_SECRET_PURPOSE = 'oauth_token.secret';

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string | null;
  accessTokenSecret: string | null;
}

export interface IntegrationServiceDeps {
  db: Database;
  secretBox: SecretBox;
  now: () => Date;
}

type Outcome<T> = T & { errors: IntegrationError[] };

/** Thrown inside a transaction to roll it back and report payload errors. */
class IntegrationRefusal extends Error {
  constructor(readonly errors: IntegrationError[]) {
    super('integration change refused');
  }
}

const refuse = (code: IntegrationErrorCode, message: string, field: string | null = null) =>
  new IntegrationRefusal([{ code, field, message }]);

const notFound = (id: number) =>
  refuse('NOT_FOUND', `The integration with ID "${id}" doesn't exist.`, 'id');
const duplicateName = (name: string) =>
  refuse('UNIQUE', `The integration with name "${name}" exists.`, 'input.name');

/** Runs a change; a refusal becomes the payload's error, anything else propagates (and is masked). */
async function attempt<T extends object>(empty: T, change: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ...(await change()), errors: [] };
  } catch (error) {
    if (error instanceof IntegrationRefusal) return { ...empty, errors: error.errors };
    throw error;
  }
}

export function createIntegrationService({ db, secretBox, now }: IntegrationServiceDeps) {
  async function lockIntegration(tx: Executor, id: number): Promise<IntegrationRow> {
    const row = await findIntegrationRow(tx, id, { forUpdate: true });
    if (!row) throw notFound(id);
    return row;
  }

  async function view(tx: Executor, id: number): Promise<IntegrationView> {
    const integration = await findIntegrationView(tx, id);
    if (!integration) throw notFound(id);
    return integration;
  }

  /** Issues (or rotates) the access token of an integration's consumer inside `tx`. */
  async function issueAccessToken(tx: Executor, integration: IntegrationRow): Promise<Credentials> {
    const consumer = await findConsumerByIntegration(tx, integration.id);
    if (!consumer) throw new Error(`Integration ${integration.id} has no OAuth consumer`);
    const accessToken = randomAlphanumeric(32);
    const accessTokenSecret = randomAlphanumeric(32);
    await upsertAccessToken(tx, {
      consumerId: consumer.id,
      token: accessToken,
      secretEncrypted: secretBox.encrypt(accessTokenSecret, TOKEN_SECRET_PURPOSE),
      issuedAt: now(),
    });
    return {
      consumerKey: consumer.consumerKey,
      consumerSecret: secretBox.decrypt(consumer.secretEncrypted, CONSUMER_SECRET_PURPOSE),
      accessToken,
      accessTokenSecret,
    };
  }

  const ref = (row: IntegrationRow) => ({ id: row.id, name: row.name });

  return {
    find: (id: number) => findIntegrationView(db, id),

    list: (args: IntegrationListArgs) => listIntegrations(db, args),

    create(input: IntegrationFieldsInput, actor: Actor) {
      return attempt({ integration: null as IntegrationView | null }, async () => {
        const { fields, errors } = resolveIntegrationFields(input, null);
        if (errors.length > 0) throw new IntegrationRefusal(errors);
        const { resources, ...stored } = fields;
        try {
          const integration = await inTransaction(db, async (tx) => {
            const id = await insertIntegration(tx, stored);
            await replaceGrants(tx, id, resources);
            await insertConsumer(tx, {
              integrationId: id,
              consumerKey: randomAlphanumeric(32),
              secretEncrypted: secretBox.encrypt(randomAlphanumeric(32), CONSUMER_SECRET_PURPOSE),
            });
            await recordAudit(tx, actor, {
              action: 'INTEGRATION_CREATED',
              integration: { id, name: fields.name },
              details: { resourceAccess: fields.resourceAccess, resources },
            });
            return view(tx, id);
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
            return view(tx, id);
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
          await recordAudit(tx, actor, { action: 'INTEGRATION_DELETED', integration: ref(row) });
          return { deletedId: id };
        }),
      );
    },

    /** Issues an access token to an inactive integration that does not use the token exchange. */
    activate(id: number, actor: Actor) {
      return attempt(
        { integration: null as IntegrationView | null, credentials: null as Credentials | null },
        () =>
          inTransaction(db, async (tx) => {
            const row = await lockIntegration(tx, id);
            if (row.status === 'ACTIVE') {
              throw refuse(
                'INVALID_STATUS',
                `The integration '${row.name}' is already active; reauthorize it to rotate its access token.`,
              );
            }
            if (usesTokenExchange(row)) {
              throw refuse(
                'INVALID_STATUS',
                `The integration '${row.name}' has a callback URL and an identity link URL, so it is ` +
                  'activated through the OAuth token exchange, which this server does not offer yet. ' +
                  'Clear one of the two URLs to activate it directly.',
              );
            }
            const credentials = await issueAccessToken(tx, row);
            await updateIntegration(tx, id, { status: 'ACTIVE' });
            await recordAudit(tx, actor, {
              action: 'INTEGRATION_ACTIVATED',
              integration: ref(row),
            });
            return { integration: await view(tx, id), credentials };
          }),
      );
    },

    /** Rotates the access token and secret of an active integration; the consumer stays. */
    reauthorize(id: number, actor: Actor) {
      return attempt(
        { integration: null as IntegrationView | null, credentials: null as Credentials | null },
        () =>
          inTransaction(db, async (tx) => {
            const row = await lockIntegration(tx, id);
            if (row.status !== 'ACTIVE') {
              throw refuse(
                'INVALID_STATUS',
                `Only an active integration can be reauthorized; activate '${row.name}' first.`,
              );
            }
            const credentials = await issueAccessToken(tx, row);
            await recordAudit(tx, actor, {
              action: 'INTEGRATION_REAUTHORIZED',
              integration: ref(row),
            });
            return { integration: await view(tx, id), credentials };
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
            integration: ref(row),
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
