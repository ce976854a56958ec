import { like } from 'drizzle-orm';
import type { GraphQLObjectType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/api/schema.js';
import { integrations } from '../../src/db/schema.js';
import { INTEGRATION_FIELD_COLUMNS } from '../../src/integrations/graphql/types.js';
import { CREDENTIAL_FORMAT, createIntegration } from '../support/admin-client.js';
import { recordStatements } from '../support/database.js';
import type { GraphQLResponse, TestApp } from '../support/test-app.js';
import { createTestApp } from '../support/test-app.js';

const GRID = /* GraphQL */ `
  query($first: Int) { integrations(first: $first) { nodes { id name status isSecure } } }
`;
const DETAILED = /* GraphQL */ `
  query($first: Int) {
    integrations(first: $first) {
      nodes {
        id resources consumerKey hasAccessToken accessTokenIssuedAt
        callbackDelivery { status }
      }
    }
  }
`;

describe('performance contract: the integrations grid reads only what the query asks for', () => {
  let t: TestApp;
  let token: string;

  const count = async (query: string, first: number) => {
    const { result, statements } = await recordStatements(() => t.gql(query, { first }, { token }));
    expect((result as GraphQLResponse).errors).toBeUndefined();
    return {
      nodes: (result as GraphQLResponse).data?.integrations.nodes,
      statements: statements.length,
    };
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.createAdmin();
    token = await t.signIn();
    for (let i = 0; i < 12; i++) {
      await createIntegration(t, token, {
        name: `Grid ${i}`,
        email: `grid${i}@example.com`,
        callbackUrl: `${i % 3 ? 'https' : 'http'}://erp.example/callback`,
        identityLinkUrl: `${i % 4 ? 'https' : 'http'}://erp.example/link`,
        resources:
          i % 2 ? ['Magento_Sales::sales'] : ['Magento_Catalog::products', 'Magento_Cms::page'],
      });
    }
    await t.database.db
      .update(integrations)
      .set({ lastUsedAt: new Date('2026-11-01T10:00:00Z') })
      .where(like(integrations.name, 'Grid 1%'));
  });

  it('id, name, status and isSecure: the session and the page, for 3 or 12 rows', async () => {
    const small = await count(GRID, 3);
    const large = await count(GRID, 12);

    expect(large.nodes).toHaveLength(12);
    expect(small.statements).toBe(2);
    expect(large.statements).toBe(2);
  });

  it('grants, credentials and callback delivery: one statement each, for 3 or 12 rows', async () => {
    const small = await count(DETAILED, 3);
    const large = await count(DETAILED, 12);

    expect(small.statements).toBe(5);
    expect(large.statements).toBe(5);
    expect(large.nodes[0]).toMatchObject({
      resources: ['Magento_Catalog::products', 'Magento_Cms::page'],
      hasAccessToken: false,
      accessTokenIssuedAt: null,
      callbackDelivery: null,
    });
    expect(large.nodes[1].resources).toEqual(['Magento_Sales::sales']);
    expect(
      large.nodes.every((n: { consumerKey: string }) => CREDENTIAL_FORMAT.test(n.consumerKey)),
    ).toBe(true);
  });

  it('reads only the columns of the selected fields, plus id and the sort key', async () => {
    const { statements } = await recordStatements(() => t.gql(GRID, { first: 3 }, { token }));
    const page = statements.find((sql) => sql.includes('from `integration`'));

    expect(page).toMatch(/`callback_url`/);
    expect(page).toMatch(/`created_at`/);
    expect(page).not.toMatch(/`email`|`last_used_at`|`config_hash`|`updated_at`/);
  });

  it('maps every Integration field to the columns it reads', () => {
    const type = buildSchema().getType('Integration') as GraphQLObjectType;

    expect(Object.keys(INTEGRATION_FIELD_COLUMNS).sort()).toEqual(
      Object.keys(type.getFields()).sort(),
    );
  });

  it('answers each field alone as it does with every field selected', async () => {
    const selectionOf = (field: string) =>
      field === 'callbackDelivery' ? 'callbackDelivery { status }' : field;
    const page = (selection: string) =>
      t.gql(
        `{ integrations(first: 12, orderBy: { field: NAME, direction: DESC }) { edges { node { ${selection} } } } }`,
        {},
        { token },
      );
    const fields = Object.keys(INTEGRATION_FIELD_COLUMNS);
    const all = await page(fields.map(selectionOf).join(' '));
    expect(all.errors).toBeUndefined();
    const nodes: Record<string, unknown>[] = all.data?.integrations.edges.map(
      (edge: { node: Record<string, unknown> }) => edge.node,
    );
    expect(nodes).toHaveLength(12);
    // integration(id) reads whole rows: the reference the projected pages must match
    for (const node of nodes) {
      const one = await t.gql(
        `query($id: ID!) { integration(id: $id) { ${fields.map(selectionOf).join(' ')} } }`,
        { id: node.id },
        { token },
      );
      expect(one.data?.integration).toEqual(node);
    }

    for (const field of fields) {
      const alone = await page(selectionOf(field));
      expect(alone.errors, field).toBeUndefined();
      expect(
        alone.data?.integrations.edges.map((edge: { node: unknown }) => edge.node),
        field,
      ).toEqual(nodes.map((node) => ({ [field]: node[field] })));
    }
  });
});
