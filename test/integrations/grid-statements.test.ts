import { beforeAll, describe, expect, it } from 'vitest';
import { recordStatements } from '../support/database.js';
import { createIntegration, KEY_FORMAT } from '../support/integrations.js';
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

describe('the integrations grid reads only what the query asks for', () => {
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
        resources:
          i % 2 ? ['Magento_Sales::sales'] : ['Magento_Catalog::products', 'Magento_Cms::page'],
      });
    }
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
    expect(large.nodes.every((n: { consumerKey: string }) => KEY_FORMAT.test(n.consumerKey))).toBe(
      true,
    );
  });
});
