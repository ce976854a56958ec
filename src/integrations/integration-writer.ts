import type { SecretBox } from '../crypto/secret-box.js';
import { randomAlphanumeric } from '../crypto/tokens.js';
import type { Executor } from '../db/client.js';
import { CONSUMER_SECRET_PURPOSE } from '../oauth/secret-purposes.js';
import { insertConsumer } from './credentials-repository.js';
import type { IntegrationFields } from './integration-repository.js';
import { insertIntegration, replaceGrants, type SetupType } from './integration-repository.js';

/** Inserts an integration with its grants and its OAuth consumer (key and encrypted secret). */
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
  const id = await insertIntegration(tx, { ...stored, ...setup });
  await replaceGrants(tx, id, resources);
  await insertConsumer(tx, {
    integrationId: id,
    consumerKey: randomAlphanumeric(32),
    secretEncrypted: secretBox.encrypt(randomAlphanumeric(32), CONSUMER_SECRET_PURPOSE),
  });
  return id;
}
