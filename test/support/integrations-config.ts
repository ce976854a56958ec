import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { integrations } from '../../src/db/schema.js';
import { syncConfigIntegrations } from '../../src/integrations/config-sync.js';
import type { IntegrationFields } from '../../src/integrations/integration-repository.js';
import { TEST_ENCRYPTION_KEY, type TestApp } from './test-app.js';

/** A signed request that needs a live access token. */
export const VIEWER = '{ viewerIntegration { id name } }';

/** A fresh temporary directory for declaration files; `remove` deletes it. */
export async function declarationDir(): Promise<{
  path: string;
  write(name: string, content: string | object): Promise<string>;
  remove(): Promise<void>;
}> {
  const path = await mkdtemp(join(tmpdir(), 'ig-config-'));
  return {
    path,
    async write(name, content) {
      const file = join(path, name);
      await writeFile(
        file,
        typeof content === 'string' ? content : JSON.stringify(content, null, 2),
        'utf8',
      );
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** A valid declaration as readIntegrationsConfig returns it. */
export function declaration(overrides: Partial<IntegrationFields> = {}): IntegrationFields {
  return {
    name: 'Acme ERP',
    email: 'ops@acme.example',
    callbackUrl: null,
    identityLinkUrl: null,
    resourceAccess: 'CUSTOM',
    resources: ['Magento_Sales::sales'],
    ...overrides,
  };
}

/** Syncs over the test database with the key the test app decrypts with. */
export function sync(t: TestApp, declared: IntegrationFields[]) {
  return syncConfigIntegrations(t.database.db, new SecretBox(TEST_ENCRYPTION_KEY), declared);
}

export async function integrationByName(t: TestApp, name: string) {
  const rows = await t.database.db.select().from(integrations).where(eq(integrations.name, name));
  return rows[0] ?? null;
}

/** The integration's GraphQL ID, failing the test when it does not exist. */
export async function idOf(t: TestApp, name: string): Promise<string> {
  const row = await integrationByName(t, name);
  expect(row, `integration "${name}"`).not.toBeNull();
  return String(row?.id);
}
