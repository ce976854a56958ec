import { randomBytes } from 'node:crypto';
import type { Actor } from '../src/audit/actor.js';
import { loadConfig } from '../src/config/config.js';
import { SecretBox } from '../src/crypto/secret-box.js';
import { dropDatabase } from '../src/db/client.js';
import { prepareDatabase } from '../src/db/migrations.js';
import { createLogger } from '../src/logging/logger.js';
import { demoStoreCounts, seedDemoStore } from '../src/seed/demo-store.js';
import { createServices, type Services } from '../src/services.js';

export const PUBLIC_BASE_URL = 'https://bench.local';
const BENCH_DATABASE_URL = 'mysql://root@127.0.0.1:3306/ig_bench';
const ADMIN = { username: 'bench', email: 'bench@example.com', password: 'bench password 2026!' };
const GRID_SIZE = 100;

export interface OAuthCredentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

export interface Fixture {
  databaseUrl: string;
  /** base64, as CREDENTIALS_ENCRYPTION_KEY. */
  encryptionKey: string;
  adminToken: string;
  /** The bench admin's password, which scenario 5 re-enters as `currentPassword`. */
  adminPassword: string;
  custom: OAuthCredentials;
  all: OAuthCredentials;
  /** Active integrations that scenario 5 reauthorizes in turn (they also fill the admin grid). */
  reauthorizeIds: number[];
  orderCount: number;
  productCount: number;
  seedSeconds: number;
}

/** The environment the gateway and the in-process measurements share. */
export function benchEnv(fixture: Pick<Fixture, 'databaseUrl' | 'encryptionKey'>) {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL,
    DATABASE_URL: fixture.databaseUrl,
    CREDENTIALS_ENCRYPTION_KEY: fixture.encryptionKey,
  };
}

async function activeIntegration(
  services: Services,
  actor: Actor,
  input: Parameters<Services['integrations']['create']>[0],
): Promise<{ id: number; credentials: OAuthCredentials }> {
  const created = await services.integrations.create(input, actor);
  const id = created.integration?.id;
  if (id === undefined) throw new Error(`integrationCreate failed: ${JSON.stringify(created)}`);
  const activated = await services.integrations.activate(id, actor);
  const c = activated.credentials;
  if (!c?.accessToken || !c.accessTokenSecret) {
    throw new Error(`integrationActivate failed: ${JSON.stringify(activated.errors)}`);
  }
  return {
    id,
    credentials: {
      consumerKey: c.consumerKey,
      consumerSecret: c.consumerSecret,
      token: c.accessToken,
      tokenSecret: c.accessTokenSecret,
    },
  };
}

/**
 * Drops and recreates the bench database, migrates and seeds it with the project's own code, then
 * creates the admin, the integrations and the settings the scenarios need.
 */
export async function prepareFixture(
  scale: number,
  log: (line: string) => void,
  databaseUrl = BENCH_DATABASE_URL,
): Promise<Fixture> {
  const encryptionKey = randomBytes(32).toString('base64');
  await dropDatabase(databaseUrl);
  const database = await prepareDatabase(databaseUrl);
  try {
    const counts = demoStoreCounts(scale);
    log(`seeding scale ${scale}: ${counts.products} products, ${counts.orders} orders …`);
    const started = performance.now();
    await seedDemoStore(database.db, scale);
    const seedSeconds = (performance.now() - started) / 1000;
    log(`seeded in ${seedSeconds.toFixed(1)} s`);

    const config = loadConfig({ ...benchEnv({ databaseUrl, encryptionKey }), LOG_LEVEL: 'silent' });
    const secretBox = new SecretBox(Buffer.from(encryptionKey, 'base64'));
    const logger = createLogger('silent');
    const services = createServices({ db: database.db, config, secretBox, logger });

    const { admin } = await services.adminAuth.createAdmin(ADMIN);
    if (!admin) throw new Error('could not create the bench admin');
    const actor: Actor = {
      adminId: admin.id,
      adminUsername: admin.username,
      requestId: null,
      clientIp: null,
    };
    const login = await services.adminAuth.login(ADMIN.username, ADMIN.password, actor);
    if (!login.ok) throw new Error(`admin login failed: ${login.reason}`);

    const custom = await activeIntegration(services, actor, {
      name: 'Bench Custom',
      email: 'custom@bench.example',
      resourceAccess: 'CUSTOM',
      resources: [
        'Magento_Catalog::products',
        'Magento_Sales::actions_view',
        'Magento_Customer::manage',
      ],
    });
    const all = await activeIntegration(services, actor, {
      name: 'Bench All',
      email: 'all@bench.example',
      resourceAccess: 'ALL',
    });
    const reauthorizeIds: number[] = [];
    for (let i = 1; i <= GRID_SIZE; i++) {
      const scheme = i % 4 === 0 ? 'http' : 'https';
      const { id } = await activeIntegration(services, actor, {
        name: `Grid ${String(i).padStart(3, '0')}`,
        email: `grid${i}@bench.example`,
        callbackUrl: `${scheme}://grid${i}.bench.example/callback`,
        resourceAccess: i % 2 === 0 ? 'ALL' : 'CUSTOM',
        resources: i % 2 === 0 ? [] : ['Magento_Catalog::products'],
      });
      reauthorizeIds.push(id);
    }
    const settings = await services.settings.update({ allowAnonymousGuestAccess: true }, actor);
    if (settings.errors.length > 0) throw new Error('could not enable guest access');

    return {
      databaseUrl,
      encryptionKey,
      adminToken: login.token,
      adminPassword: ADMIN.password,
      custom: custom.credentials,
      all: all.credentials,
      reauthorizeIds,
      orderCount: counts.orders,
      productCount: counts.products,
      seedSeconds,
    };
  } finally {
    await database.close();
  }
}
