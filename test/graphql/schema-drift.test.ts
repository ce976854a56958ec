import { readFileSync } from 'node:fs';
import {
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildSchema, printSortedSchema } from '../../src/api/schema.js';
import { topLevelError } from '../../src/graphql/top-level-errors.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const COMMITTED_SCHEMA = new URL('../../schema/schema.graphql', import.meta.url);
const LOGOUT = /* GraphQL */ `mutation { adminLogout { loggedOut } }`;

/** Every schema element (type, field, argument, enum value, input field) without a description. */
function undocumented(): string[] {
  const missing: string[] = [];
  const check = (path: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(path);
  };
  for (const type of Object.values(buildSchema().getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) {
          check(`${type.name}.${field.name}(${arg.name})`, arg.description);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing;
}

describe('schema', () => {
  it('matches the committed schema/schema.graphql', () => {
    // given
    const committed = readFileSync(COMMITTED_SCHEMA, 'utf8');

    // when
    const printed = printSortedSchema(buildSchema());

    // then
    expect(printed).toBe(committed);
  });

  it('documents every type, field, argument, enum value and input field', () => {
    expect(undocumented()).toEqual([]);
  });
});

describe('one graphql instance', () => {
  it('shares GraphQLError with graphql-yoga and its tools', () => {
    expect(createGraphQLError('x')).toBeInstanceOf(GraphQLError);
    expect(topLevelError('FORBIDDEN', 'x')).toBeInstanceOf(GraphQLError);
  });

  describe('through the app', () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await createTestApp();
    });

    it('lets a shield denial through unmasked', async () => {
      const response = await t.gql(LOGOUT);

      expect(response.errors).toEqual([
        expect.objectContaining({
          message: 'Sign in to use this field.',
          extensions: { code: 'UNAUTHENTICATED' },
        }),
      ]);
    });

    it('lets a resolver GraphQLError through unmasked', async () => {
      const response = await t.gql(
        /* GraphQL */ `mutation { adminLogin(input: { username: "nobody", password: "x" }) { token } }`,
      );

      expect(response.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
      expect(response.errors?.[0]?.message).not.toBe('Unexpected error.');
    });
  });
});
