import type { Config } from '../config/config.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Database } from '../db/client.js';
import { readIntegrationsConfig } from './config-file.js';
import { type SyncReport, syncConfigIntegrations } from './config-sync.js';

/** Reads INTEGRATIONS_CONFIG (when set) and syncs it; the names declared feed `configDrift`. */
export async function applyIntegrationsConfig(
  config: Config,
  db: Database,
  secretBox: SecretBox,
): Promise<{ declaredNames: string[]; report: SyncReport }> {
  const declared = config.integrationsConfig
    ? await readIntegrationsConfig(config.integrationsConfig)
    : [];
  const report = await syncConfigIntegrations(db, secretBox, declared);
  return { declaredNames: declared.map((fields) => fields.name), report };
}
