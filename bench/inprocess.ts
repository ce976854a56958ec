/**
 * Measurements inside this process: SQL statements per request (an app built with createApp over
 * a pool whose Drizzle logger counts statements, called through yoga.fetch) and the overhead of
 * the permission layer (the same document executed with graphql's `execute` against the schema
 * with and without applyPermissions).
 */
import { type DocumentNode, execute, type GraphQLSchema, parse, validate } from 'graphql';
import { type Context, createContext } from '../src/api/context.js';
import { permissionTree } from '../src/api/permissions.js';
import { buildSchema } from '../src/api/schema.js';
import { createApp } from '../src/app.js';
import type { Principal } from '../src/auth/principal.js';
import { loadConfig } from '../src/config/config.js';
import { SecretBox } from '../src/crypto/secret-box.js';
import { createDatabase } from '../src/db/client.js';
import { BrowserRequest, sessionCookie } from '../src/http/session-cookie.js';
import { createLogger } from '../src/logging/logger.js';
import { applyPermissions } from '../src/permissions/shield.js';
import type { Services } from '../src/services.js';
import { INTEGRATIONS, ORDERS, PRODUCTS } from './scenarios.js';
import { benchEnv, type Fixture, PUBLIC_BASE_URL } from './setup.js';
import { signer } from './signing.js';

interface StatementCount {
  label: string;
  pageSizes: [number, number];
  gateway: [number, number];
  /** The statements of the first-10 request, shortened. */
  sql: string[];
}

interface ShieldOverhead {
  label: string;
  iterations: number;
  /** Median milliseconds per execution. */
  withShield: number;
  withoutShield: number;
}

export interface InProcessResults {
  statements: StatementCount[];
  shield: ShieldOverhead[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Caches each service call by its arguments, so executions after the first read no database. */
function memo<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args: A) => {
    const key = JSON.stringify(args);
    let value = cache.get(key);
    if (value === undefined) {
      value = fn(...args);
      cache.set(key, value);
    }
    return value;
  };
}

function inMemory(services: Services): Services {
  return {
    ...services,
    sales: {
      ...services.sales,
      listOrders: memo(services.sales.listOrders),
      itemsOfOrders: memo(services.sales.itemsOfOrders),
    },
    customers: { ...services.customers, customersByIds: memo(services.customers.customersByIds) },
  } as Services;
}

export async function measureInProcess(
  fixture: Fixture,
  iterations: number,
): Promise<InProcessResults> {
  let statements = 0;
  let recorded: string[] = [];
  const database = createDatabase(fixture.databaseUrl, {
    onQuery: (query) => {
      statements += 1;
      const sql = query.replaceAll('`', '');
      recorded.push(sql.length > 100 ? `${sql.slice(0, 100)}…` : sql);
    },
  });
  const config = loadConfig({ ...benchEnv(fixture), LOG_LEVEL: 'silent' });
  const logger = createLogger('silent');
  const app = createApp({
    config,
    database,
    logger,
    secretBox: new SecretBox(Buffer.from(fixture.encryptionKey, 'base64')),
  });
  const signCustom = signer(fixture.custom, `${PUBLIC_BASE_URL}/graphql`);
  try {
    const count = async (query: string, first: number, admin: boolean): Promise<number> => {
      const before = statements;
      recorded = [];
      const response = await app.yoga.fetch(`${PUBLIC_BASE_URL}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: admin ? `Bearer ${fixture.adminToken}` : signCustom(),
        },
        body: JSON.stringify({ query, variables: { first } }),
      });
      const body = (await response.json()) as { errors?: unknown };
      if (response.status !== 200 || body.errors) {
        throw new Error(`in-process request failed: ${response.status} ${JSON.stringify(body)}`);
      }
      return statements - before;
    };
    const pair = async (label: string, query: string, admin: boolean) => {
      await count(query, 10, admin); // warm-up: the first signed request also records lastUsedAt
      const small = await count(query, 10, admin);
      const sql = recorded;
      return {
        label,
        pageSizes: [10, 100] as [number, number],
        gateway: [small, await count(query, 100, admin)] as [number, number],
        sql,
      };
    };
    const counts = [
      await pair('1 signed products', PRODUCTS, false),
      await pair('2 signed orders nested', ORDERS, false),
      await pair('4 admin integrations', INTEGRATIONS, true),
    ];

    const raw = buildSchema();
    const shielded = applyPermissions(raw, permissionTree);
    const principal: Principal = {
      kind: 'integration',
      integration: {
        id: 1,
        name: 'Bench Custom',
        resourceAccess: 'CUSTOM',
        resources: new Set(['Magento_Sales::actions_view', 'Magento_Customer::manage']),
      },
    };
    // What the app builds for a signed request without a session cookie.
    const browser = new BrowserRequest(
      new Request(`${PUBLIC_BASE_URL}/graphql`, { method: 'POST' }),
      sessionCookie({ publicOrigin: PUBLIC_BASE_URL, ttlSeconds: 3600 }),
      PUBLIC_BASE_URL,
    );
    const contextFor = (services: Services): Context =>
      createContext(services, principal, { requestId: 'bench', clientIp: null }, browser);
    const document = parse(ORDERS);
    const anonymous = parse('{ integrations(first: 1) { nodes { id } } }');
    const denied = await execute({
      schema: shielded,
      document: anonymous,
      contextValue: { ...contextFor(app.services), principal: { kind: 'anonymous' } },
    });
    if (!denied.errors) throw new Error('the shielded schema let an anonymous caller through');
    const shield = [
      await overhead('orders(first: 50) nested, with MariaDB', raw, shielded, document, () =>
        contextFor(app.services),
      ),
      await overhead(
        'orders(first: 50) nested, rows cached in memory',
        raw,
        shielded,
        document,
        (() => {
          const services = inMemory(app.services);
          return () => contextFor(services);
        })(),
      ),
    ];
    return { statements: counts, shield };

    async function overhead(
      label: string,
      without: GraphQLSchema,
      withShield: GraphQLSchema,
      doc: DocumentNode,
      context: () => Context,
    ): Promise<ShieldOverhead> {
      if (validate(withShield, doc).length > 0) throw new Error('invalid shield document');
      const times = { on: [] as number[], off: [] as number[] };
      const once = async (schema: GraphQLSchema, into: number[] | null) => {
        const started = performance.now();
        const result = await execute({
          schema,
          document: doc,
          variableValues: { first: 50 },
          contextValue: context(),
        });
        if (result.errors) throw new Error(`shield run failed: ${JSON.stringify(result.errors)}`);
        into?.push(performance.now() - started);
      };
      for (let i = 0; i < 50; i++) {
        await once(withShield, null);
        await once(without, null);
      }
      // Interleaved blocks, so drift (JIT, GC, the database) affects both modes alike.
      for (let block = 0; block < iterations / 50; block++) {
        for (let i = 0; i < 50; i++) await once(withShield, times.on);
        for (let i = 0; i < 50; i++) await once(without, times.off);
      }
      return {
        label,
        iterations: times.on.length,
        withShield: median(times.on),
        withoutShield: median(times.off),
      };
    }
  } finally {
    await database.close();
  }
}
