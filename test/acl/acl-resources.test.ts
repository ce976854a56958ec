import { beforeEach, describe, expect, it } from 'vitest';
import { createIntegration } from '../support/admin-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const NODE = 'id title sortOrder';
const ACL_RESOURCES = /* GraphQL */ `{
  aclResources {
    ${NODE}
    children { ${NODE} children { ${NODE} children { ${NODE} children { ${NODE} children { ${NODE} } } } } }
  }
}`;

const ACL_RESOURCES_FLAT = /* GraphQL */ `{ aclResourcesFlat { id title parentId depth } }`;

interface AclNode {
  id: string;
  title: string;
  sortOrder: number;
  children?: AclNode[];
}

function flatten(nodes: AclNode[], into: AclNode[] = []): AclNode[] {
  for (const node of nodes) {
    into.push(node);
    flatten(node.children ?? [], into);
  }
  return into;
}

describe('aclResources', () => {
  let t: TestApp;
  let token: string;
  let tree: AclNode[];

  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
    token = await t.signIn();
    const response = await t.gql(ACL_RESOURCES, {}, { token });
    expect(response.errors).toBeUndefined();
    tree = response.data?.aclResources;
  });

  it('lists the children of Magento_Backend::admin, Dashboard first', () => {
    const ids = tree.map((node) => node.id);

    expect(tree[0]).toMatchObject({
      id: 'Magento_Backend::dashboard',
      title: 'Dashboard',
      children: [],
    });
    expect(ids).toEqual(
      expect.arrayContaining(['Magento_Sales::sales', 'Magento_Catalog::catalog']),
    );
    expect(ids).not.toContain('Magento_Backend::admin');
    expect(ids).not.toContain('Magento_Backend::all');
    const orders = tree.map((node) => node.sortOrder);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
  });

  it('nests children, e.g. Hold under Sales > Operations > Orders > Actions', () => {
    const sales = tree.find((node) => node.id === 'Magento_Sales::sales');
    const operations = sales?.children?.find((n) => n.id === 'Magento_Sales::sales_operation');
    const orders = operations?.children?.find((n) => n.id === 'Magento_Sales::sales_order');
    const actions = orders?.children?.find((n) => n.id === 'Magento_Sales::actions');

    expect(actions?.children).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'Magento_Sales::hold', title: 'Hold' }),
        expect.objectContaining({ id: 'Magento_Sales::create', title: 'Create' }),
      ]),
    );
  });

  it('has about 80 nodes with unique ids, all grantable', async () => {
    // given
    const all = flatten(tree);
    const ids = all.map((node) => node.id);

    // then
    expect(all.length).toBeGreaterThanOrEqual(80);
    expect(new Set(ids).size).toBe(ids.length);
    for (const node of all) {
      expect(node.id).toMatch(/^[A-Za-z]+_[A-Za-z]+::\w+$/);
      expect(node.title).not.toBe('');
    }
    // and every id of the tree is accepted as a custom resource
    const integration = await createIntegration(t, token, { resources: ids });
    expect(integration.resources).toHaveLength(ids.length);
  });

  it('aclResourcesFlat lists the same resources in tree order, each with its parent and depth', async () => {
    // when
    const response = await t.gql(ACL_RESOURCES_FLAT, {}, { token });

    // then
    expect(response.errors).toBeUndefined();
    const flat: { id: string; title: string; parentId: string | null; depth: number }[] =
      response.data?.aclResourcesFlat;
    expect(flat.map((node) => [node.id, node.title])).toEqual(
      flatten(tree).map((node) => [node.id, node.title]),
    );
    expect(flat.find((node) => node.id === 'Magento_Sales::actions_view')).toEqual({
      id: 'Magento_Sales::actions_view',
      title: 'View',
      parentId: 'Magento_Sales::actions',
      depth: 5,
    });
    expect(flat[0]).toMatchObject({ id: 'Magento_Backend::dashboard', parentId: null, depth: 1 });
    // and each parent comes before its children, one level up
    const seen = new Map<string, number>();
    for (const node of flat) {
      if (node.parentId === null) expect(node.depth).toBe(1);
      else expect(seen.get(node.parentId)).toBe(node.depth - 1);
      seen.set(node.id, node.depth);
    }
  });

  it('gives parentId and depth on the nodes of the tree too', async () => {
    const response = await t.gql(
      '{ aclResources { id parentId depth children { id parentId depth } } }',
      {},
      { token },
    );

    const sales = response.data?.aclResources.find(
      (node: { id: string }) => node.id === 'Magento_Sales::sales',
    );
    expect(sales).toEqual({
      id: 'Magento_Sales::sales',
      parentId: null,
      depth: 1,
      children: [
        { id: 'Magento_Sales::sales_operation', parentId: 'Magento_Sales::sales', depth: 2 },
      ],
    });
  });
});
