import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { integrations } from '../../src/db/schema.js';
import { activateIntegration, createIntegration, INTEGRATION } from '../support/admin-client.js';
import { makeConfigIntegration } from '../support/rows.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const LIST = /* GraphQL */ `
  query List($first: Int, $after: String, $filter: IntegrationFilter, $orderBy: IntegrationOrder) {
    integrations(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      edges { cursor node { id name status isSecure } }
      nodes { id name }
      pageInfo { hasNextPage endCursor }
      totalCount
      insecureCount
    }
  }
`;

describe('integrations and integration queries', () => {
  let t: TestApp;
  let token: string;
  const list = (variables: Record<string, unknown> = {}) => t.gql(LIST, variables, { token });
  const names = async (variables: Record<string, unknown> = {}) => {
    const response = await list({ first: 100, ...variables });
    expect(response.errors).toBeUndefined();
    return response.data?.integrations.nodes.map((n: { name: string }) => n.name);
  };
  /** Follows `endCursor` page by page and returns every name in the order seen. */
  const walk = async (variables: Record<string, unknown>) => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const response = await list({ ...variables, after });
      expect(response.errors).toBeUndefined();
      const connection = response.data?.integrations;
      seen.push(...connection.nodes.map((n: { name: string }) => n.name));
      if (!connection.pageInfo.hasNextPage) return seen;
      after = connection.pageInfo.endCursor;
    }
    throw new Error('pagination did not end');
  };
  const setCreatedAt = (id: string, iso: string) =>
    t.database.db
      .update(integrations)
      .set({ createdAt: new Date(iso) })
      .where(eq(integrations.id, Number(id)));
  const setStatus = (id: string, status: 'ACTIVE' | 'INACTIVE' | 'RESET') =>
    t.database.db
      .update(integrations)
      .set({ status })
      .where(eq(integrations.id, Number(id)));

  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
    token = await t.signIn();
  });

  it('returns a connection with edges, nodes, pageInfo and totalCount', async () => {
    // given
    const a = await createIntegration(t, token, { name: 'Alpha' });
    const b = await createIntegration(t, token, { name: 'Beta' });
    await createIntegration(t, token, { name: 'Gamma' });

    // when
    const response = await list({ first: 2 });

    // then
    expect(response.errors).toBeUndefined();
    const connection = response.data?.integrations;
    expect(connection.edges.map((e: any) => e.node)).toEqual([
      { id: a.id, name: 'Alpha', status: 'INACTIVE', isSecure: true },
      { id: b.id, name: 'Beta', status: 'INACTIVE', isSecure: true },
    ]);
    expect(connection.nodes).toEqual([
      { id: a.id, name: 'Alpha' },
      { id: b.id, name: 'Beta' },
    ]);
    expect(connection.edges[0].cursor).toEqual(expect.any(String));
    expect(connection.edges[0].cursor).not.toBe(connection.edges[1].cursor);
    expect(connection.pageInfo).toEqual({
      hasNextPage: true,
      endCursor: connection.edges[1].cursor,
    });
    expect(connection.totalCount).toBe(3);
  });

  it('answers an empty connection when there is nothing', async () => {
    const response = await list();

    expect(response.data?.integrations).toEqual({
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, endCursor: null },
      totalCount: 0,
      insecureCount: 0,
    });
  });

  it('walks 5 items with first: 2 and sees each exactly once, in order', async () => {
    // given
    for (const name of ['One', 'Two', 'Three', 'Four', 'Five']) {
      await createIntegration(t, token, { name });
    }

    // when
    const seen = await walk({ first: 2 });

    // then
    expect(seen).toEqual(['One', 'Two', 'Three', 'Four', 'Five']);
  });

  it('orders by NAME, STATUS and CREATED_AT in both directions, also across pages', async () => {
    // given
    const delta = await createIntegration(t, token, { name: 'delta' });
    const alpha = await createIntegration(t, token, { name: 'Alpha' });
    const charlie = await createIntegration(t, token, { name: 'Charlie' });
    const bravo = await createIntegration(t, token, { name: 'bravo' });
    const echo = await createIntegration(t, token, { name: 'Echo' });
    await setCreatedAt(delta.id, '2024-01-05T00:00:00.000Z');
    await setCreatedAt(alpha.id, '2024-01-03T00:00:00.000Z');
    await setCreatedAt(charlie.id, '2024-01-01T00:00:00.000Z');
    await setCreatedAt(bravo.id, '2024-01-04T00:00:00.000Z');
    await setCreatedAt(echo.id, '2024-01-02T00:00:00.000Z');
    await setStatus(alpha.id, 'RESET');
    await setStatus(charlie.id, 'ACTIVE');
    await setStatus(echo.id, 'ACTIVE');

    const expected: Record<string, string[]> = {
      'NAME ASC': ['Alpha', 'bravo', 'Charlie', 'delta', 'Echo'],
      'NAME DESC': ['Echo', 'delta', 'Charlie', 'bravo', 'Alpha'],
      // ties broken by id in the same direction
      'STATUS ASC': ['Charlie', 'Echo', 'delta', 'bravo', 'Alpha'],
      'STATUS DESC': ['Alpha', 'bravo', 'delta', 'Echo', 'Charlie'],
      'CREATED_AT ASC': ['Charlie', 'Echo', 'Alpha', 'bravo', 'delta'],
      'CREATED_AT DESC': ['delta', 'bravo', 'Alpha', 'Echo', 'Charlie'],
    };
    for (const [key, order] of Object.entries(expected)) {
      const [field, direction] = key.split(' ');
      const orderBy = { field, direction };

      // when / then
      expect(await names({ orderBy }), key).toEqual(order);
      expect(await walk({ first: 2, orderBy }), `${key} paged`).toEqual(order);
    }
  });

  it('orders by creation time by default', async () => {
    const late = await createIntegration(t, token, { name: 'Late' });
    const early = await createIntegration(t, token, { name: 'Early' });
    await setCreatedAt(late.id, '2024-06-01T00:00:00.000Z');
    await setCreatedAt(early.id, '2023-06-01T00:00:00.000Z');

    expect(await names()).toEqual(['Early', 'Late']);
  });

  it('filters by status, setupType and nameContains, with matching counts', async () => {
    // given
    const active = await createIntegration(t, token, { name: 'Shop Active' });
    await activateIntegration(t, token, active.id);
    const config = await createIntegration(t, token, {
      name: 'Config Thing',
      callbackUrl: 'http://plain.example',
    });
    await makeConfigIntegration(t, config.id);
    await createIntegration(t, token, { name: 'shop inactive' });

    // when
    const byStatus = await list({ filter: { status: 'ACTIVE' } });
    const bySetup = await list({ filter: { setupType: 'CONFIG' } });
    const byName = await list({ filter: { nameContains: 'SHOP' } });
    const combined = await list({ filter: { nameContains: 'shop', status: 'INACTIVE' } });

    // then
    const namesOf = (r: any) => r.data?.integrations.nodes.map((n: any) => n.name);
    expect(namesOf(byStatus)).toEqual(['Shop Active']);
    expect(byStatus.data?.integrations.totalCount).toBe(1);
    expect(namesOf(bySetup)).toEqual(['Config Thing']);
    expect(bySetup.data?.integrations).toMatchObject({ totalCount: 1, insecureCount: 1 });
    expect(namesOf(byName)).toEqual(['Shop Active', 'shop inactive']);
    expect(byName.data?.integrations).toMatchObject({ totalCount: 2, insecureCount: 0 });
    expect(namesOf(combined)).toEqual(['shop inactive']);
  });

  it('treats %, _ and \\ in nameContains literally', async () => {
    // given
    for (const name of [
      '100% Cotton',
      '1000 Cotton',
      'under_score',
      'underXscore',
      'back\\slash',
    ]) {
      await createIntegration(t, token, { name });
    }

    // when / then
    expect(await names({ filter: { nameContains: '%' } })).toEqual(['100% Cotton']);
    expect(await names({ filter: { nameContains: '0% C' } })).toEqual(['100% Cotton']);
    expect(await names({ filter: { nameContains: '_' } })).toEqual(['under_score']);
    expect(await names({ filter: { nameContains: 'r_s' } })).toEqual(['under_score']);
    expect(await names({ filter: { nameContains: '\\' } })).toEqual(['back\\slash']);
    expect(await names({ filter: { nameContains: 'Cotton' } })).toEqual([
      '100% Cotton',
      '1000 Cotton',
    ]);
  });

  it('paginates a filtered list', async () => {
    for (const name of ['keep 1', 'skip 1', 'keep 2', 'skip 2', 'keep 3']) {
      await createIntegration(t, token, { name });
    }

    expect(await walk({ first: 1, filter: { nameContains: 'keep' } })).toEqual([
      'keep 1',
      'keep 2',
      'keep 3',
    ]);
  });

  it('refuses first above 100 or below 1 as a top-level BAD_USER_INPUT', async () => {
    for (const first of [101, 0, -1]) {
      const response = await list({ first });

      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.message).toBe('"first" must be between 1 and 100.');
    }
    expect((await list({ first: 100 })).errors).toBeUndefined();
  });

  it('refuses a cursor it did not issue as BAD_USER_INPUT', async () => {
    for (const after of ['garbage', 'e30', Buffer.from('["x"]').toString('base64url')]) {
      const response = await list({ after });

      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses a cursor issued for another sort order', async () => {
    // given a cursor from the NAME order
    await createIntegration(t, token, { name: 'Alpha' });
    const byName = await list({ first: 1, orderBy: { field: 'NAME', direction: 'ASC' } });
    const cursor = byName.data?.integrations.pageInfo.endCursor;

    // when it is used with the default CREATED_AT order
    const response = await list({ after: cursor });

    // then
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('counts insecure integrations: an http: callback or identity link (scenario 44)', async () => {
    // given
    const cases: [string, Record<string, string>, boolean][] = [
      ['No URLs', {}, true],
      ['Empty URLs', { callbackUrl: '', identityLinkUrl: '' }, true],
      [
        'Both https',
        { callbackUrl: 'https://a.example', identityLinkUrl: 'https://b.example' },
        true,
      ],
      ['Http callback', { callbackUrl: 'http://a.example' }, false],
      ['Http link', { identityLinkUrl: 'http://b.example/link' }, false],
      ['Mixed', { callbackUrl: 'https://a.example', identityLinkUrl: 'http://b.example' }, false],
      ['Upper case', { callbackUrl: 'HTTP://a.example' }, false],
    ];
    const ids: Record<string, string> = {};
    for (const [name, urls] of cases) {
      ids[name] = (await createIntegration(t, token, { name, ...urls })).id;
    }

    // when
    const response = await list({ first: 100 });

    // then
    const connection = response.data?.integrations;
    expect(connection.insecureCount).toBe(4);
    expect(connection.totalCount).toBe(7);
    for (const [name, , secure] of cases) {
      const edge = connection.edges.find((e: any) => e.node.name === name);
      expect(edge.node.isSecure, name).toBe(secure);
      const one = await t.gql(INTEGRATION, { id: ids[name] }, { token });
      expect(one.data?.integration.isSecure, name).toBe(secure);
    }
    // and insecureCount counts the filtered set, not the page
    const page = await list({ first: 1, filter: { nameContains: 'Http ' } });
    expect(page.data?.integrations).toMatchObject({ totalCount: 2, insecureCount: 2 });
  });

  it('integration(id) returns the integration, or null when it does not exist', async () => {
    // given
    const created = await createIntegration(t, token, {
      name: 'Single',
      email: 'x@example.com',
      resources: ['Magento_Catalog::products', 'Magento_Backend::dashboard'],
    });

    // when
    const found = await t.gql(INTEGRATION, { id: created.id }, { token });
    const missing = await t.gql(INTEGRATION, { id: '987654' }, { token });

    // then
    expect(found.data?.integration).toEqual(created);
    expect(found.data?.integration.resources).toEqual([
      'Magento_Backend::dashboard',
      'Magento_Catalog::products',
    ]);
    expect(missing.errors).toBeUndefined();
    expect(missing.data?.integration).toBeNull();
  });

  it('integration(id) refuses an id that is not a positive integer', async () => {
    for (const id of ['abc', '0', '-3']) {
      const response = await t.gql(INTEGRATION, { id }, { token });

      expect(response.data).toEqual({ integration: null });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('shows the status of each integration for the grid link (scenario 45)', async () => {
    // given
    const inactive = await createIntegration(t, token, { name: 'I' });
    const active = await createIntegration(t, token, { name: 'A' });
    const reset = await createIntegration(t, token, { name: 'R' });
    await activateIntegration(t, token, active.id);
    await setStatus(reset.id, 'RESET');

    // when
    const response = await list({ orderBy: { field: 'NAME', direction: 'ASC' } });

    // then
    expect(response.data?.integrations.edges.map((e: any) => [e.node.id, e.node.status])).toEqual([
      [active.id, 'ACTIVE'],
      [inactive.id, 'INACTIVE'],
      [reset.id, 'RESET'],
    ]);
  });
});
