import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';

/**
 * The key for secrets at rest. Production always configures one (loadConfig enforces it); in
 * development an absent key is generated and printed once, with a warning that values encrypted
 * under it cannot be read after a restart unless it is saved.
 */
export function resolveEncryptionKey(config: Config, warn: (message: string) => void): Buffer {
  if (config.credentialsEncryptionKey) return config.credentialsEncryptionKey;
  const key = randomBytes(32);
  warn(
    'CREDENTIALS_ENCRYPTION_KEY is not set; generated one for this process only. Save it to keep ' +
      `stored OAuth secrets readable after a restart:\n  CREDENTIALS_ENCRYPTION_KEY=${key.toString('base64')}`,
  );
  return key;
}
