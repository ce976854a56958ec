import { extendSchema, GraphQLObjectType, graphql, isObjectType, parse } from 'graphql';
import { allow, deny } from 'graphql-shield';
import { beforeEach, describe, expect, it } from 'vitest';
import { permissionTree } from '../../src/api/permissions.js';
import { buildSchema } from '../../src/api/schema.js';
import { everyone } from '../../src/permissions/rules.js';
import {
  applyPermissions,
  mergePermissionFragments,
  ruleOf,
} from '../../src/permissions/shield.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const LOGOUT = /* GraphQL */ `mutation { adminLogout { loggedOut } }`;
const ROOTS = ['Query', 'Mutation'] as const;

describe('permission tree coverage', () => {
  const schema = buildSchema();

  it('has an entry for every object type of the schema', () => {
    // given
    const objectTypes = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .map((type) => type.name)
      .filter((name) => !name.startsWith('__') && !(ROOTS as readonly string[]).includes(name));

    // when
    const missing = objectTypes.filter((name) => !(name in permissionTree));

    // then
    expect(objectTypes.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it.each(ROOTS)('has an explicit rule for every %s field', (root) => {
    // given
    const type = schema.getType(root);
    expect(type).toBeInstanceOf(GraphQLObjectType);
    const rules = permissionTree[root] as Record<string, unknown>;

    // when
    const missing = Object.keys((type as GraphQLObjectType).getFields()).filter(
      (field) => !rules[field],
    );

    // then
    expect(missing).toEqual([]);
  });

  it('names no type or root field the schema lacks', () => {
    const stale = Object.keys(permissionTree).filter((name) => !schema.getType(name));
    const staleRoots = ROOTS.flatMap((root) =>
      Object.keys(permissionTree[root] as Record<string, unknown>)
        .filter((field) => !(schema.getType(root) as GraphQLObjectType).getFields()[field])
        .map((field) => `${root}.${field}`),
    );

    expect([...stale, ...staleRoots]).toEqual([]);
  });
});

describe('mergePermissionFragments', () => {
  it('merges root fields and types of several fragments', () => {
    const tree = mergePermissionFragments([
      { Query: { a: allow }, A: allow },
      { Query: { b: deny }, Mutation: { c: allow }, B: deny },
    ]);

    expect(tree).toEqual({
      A: allow,
      B: deny,
      Query: { a: allow, b: deny },
      Mutation: { c: allow },
    });
  });

  it('throws on a root field claimed twice', () => {
    expect(() =>
      mergePermissionFragments([{ Query: { a: allow } }, { Query: { a: deny } }]),
    ).toThrow('Duplicate permission rule for Query.a');
    expect(() =>
      mergePermissionFragments([{ Mutation: { m: allow } }, { Mutation: { m: allow } }]),
    ).toThrow('Duplicate permission rule for Mutation.m');
  });

  it('throws on a type claimed twice', () => {
    expect(() => mergePermissionFragments([{ A: allow }, { A: deny }])).toThrow(
      'Duplicate permission rule for type A',
    );
  });
});

describe('performance contract: shield wraps only the fields it has to check', () => {
  const schema = buildSchema();
  const guarded = applyPermissions(schema, permissionTree);
  const resolverOf = (s: typeof schema, type: string, field: string) =>
    (s.getType(type) as GraphQLObjectType).getFields()[field]?.resolve;

  it('reads the tree as shield does: type-wide rule, field rule, then "*"', () => {
    expect(ruleOf(permissionTree, 'PageInfo', 'endCursor')).toBe(everyone);
    expect(ruleOf(permissionTree, 'Order', 'incrementId')).toBe(everyone);
    expect(ruleOf(permissionTree, 'Order', 'items')).not.toBe(everyone);
    expect(ruleOf(permissionTree, 'NoSuchType', 'x')).toBeUndefined();
  });

  it('runs fields open to everyone on their own resolver and wraps every other field', () => {
    const objectTypes = Object.values(guarded.getTypeMap()).filter(
      (type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'),
    );
    let open = 0;
    let wrapped = 0;
    for (const type of objectTypes) {
      for (const field of Object.keys(type.getFields())) {
        const own = resolverOf(schema, type.name, field);
        const served = resolverOf(guarded, type.name, field);
        if (ruleOf(permissionTree, type.name, field) === everyone) {
          expect(served, `${type.name}.${field}`).toBe(own);
          open += 1;
        } else {
          expect(served, `${type.name}.${field}`).not.toBe(own);
          expect(served, `${type.name}.${field}`).toBeTypeOf('function');
          wrapped += 1;
        }
      }
    }
    expect(open).toBeGreaterThan(30);
    expect(wrapped).toBeGreaterThan(30);
  });
});

describe('fallback rule', () => {
  it('denies a field without a rule with a FORBIDDEN GraphQLError', async () => {
    // given the real schema plus a root field the rule tree does not name
    const extended = extendSchema(buildSchema(), parse('extend type Query { secret: String }'));
    const guarded = applyPermissions(extended, permissionTree);

    // when
    const result = await graphql({
      schema: guarded,
      source: '{ secret }',
      rootValue: { secret: 'the secret' },
      contextValue: { principal: { kind: 'anonymous' } },
    });

    // then
    expect(result.data).toEqual({ secret: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN' });
    expect(result.errors?.[0]?.message).not.toBe('Unexpected error.');
    expect(JSON.stringify(result)).not.toContain('the secret');
  });
});

describe('shield through the app', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await t.createAdmin('admin');
  });

  it('answers UNAUTHENTICATED to adminLogout without a session', async () => {
    const response = await t.gql(LOGOUT);

    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.errors?.[0]?.message).not.toBe('Unexpected error.');
  });

  it('lets adminLogout through with a session', async () => {
    const token = await t.signIn();

    const response = await t.gql(LOGOUT, {}, { token });

    expect(response.errors).toBeUndefined();
    expect(response.data?.adminLogout).toEqual({ loggedOut: true });
  });
});
