import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  getNamedType,
  isInputObjectType,
  isLeafType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/api/schema.js';
import { type AdminApp, createIntegration } from '../support/admin-client.js';
import { demoStoreApp } from '../support/store.js';
import { ADMIN_PASSWORD } from '../support/test-app.js';

/**
 * Every argument and input field of type ID, as `Type.field(argument)` or
 * `Type.field(argument.inputField)`, with the kind of row it names. A new one fails the coverage
 * test until it is listed here, and then it is tested with every spelling below.
 */
const ID_INPUTS: Record<string, 'integration' | 'category' | 'customer'> = {
  'Mutation.integrationActivate(id)': 'integration',
  'Mutation.integrationCallbackRetry(id)': 'integration',
  'Mutation.integrationCredentialsReveal(id)': 'integration',
  'Mutation.integrationDelete(id)': 'integration',
  'Mutation.integrationReauthorize(id)': 'integration',
  'Mutation.integrationUpdate(id)': 'integration',
  'Query.auditLog(filter.integrationId)': 'integration',
  'Query.category(id)': 'category',
  'Query.customer(id)': 'customer',
  'Query.integration(id)': 'integration',
  'Query.orders(filter.customerId)': 'customer',
  'Query.products(filter.categoryId)': 'category',
};

/** Spellings of the row ID `n` that are not its canonical decimal form, and IDs of no row. */
const nonCanonical = (n: number): [label: string, id: string][] => [
  ['hexadecimal', `0x${n.toString(16)}`],
  ['octal', `0o${n.toString(8)}`],
  ['binary', `0b${n.toString(2)}`],
  ['leading space', ` ${n}`],
  ['trailing space', `${n} `],
  ['trailing newline', `${n}\n`],
  ['fraction', `${n}.0`],
  ['exponent', `${n}e0`],
  ['plus sign', `+${n}`],
  ['leading zero', `0${n}`],
  ['digit separator', `${n}_0`],
  ['full-width digits', String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))],
  ['Arabic-Indic digits', String(n).replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)))],
  ['bigint suffix', `${n}n`],
  ['empty', ''],
  ['zero', '0'],
  ['negative', `-${n}`],
  ['beyond the safe integers', '9007199254740993'],
  ['Infinity', 'Infinity'],
  ['letters', 'abc'],
];

interface IdInput {
  path: string;
  operation: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  argument: GraphQLArgument;
  inputField: string | null;
}

function idInputsOf(type: GraphQLObjectType, operation: IdInput['operation']): IdInput[] {
  return Object.values(type.getFields()).flatMap((field) =>
    field.args.flatMap((argument) => {
      const named = getNamedType(argument.type);
      const at = (inputField: string | null) => ({
        path: `${type.name}.${field.name}(${argument.name}${inputField ? `.${inputField}` : ''})`,
        operation,
        field,
        argument,
        inputField,
      });
      if (named.name === 'ID') return [at(null)];
      if (!isInputObjectType(named)) return [];
      return Object.values(named.getFields())
        .filter((inputField) => getNamedType(inputField.type).name === 'ID')
        .map((inputField) => at(inputField.name));
    }),
  );
}

/** A literal for a required argument or input field the test does not vary. */
function requiredValue(name: string, type: GraphQLInputType): string {
  if (name === 'currentPassword') return JSON.stringify(ADMIN_PASSWORD);
  const named = getNamedType(type);
  if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields()).filter((f) => isNonNullType(f.type));
    return `{ ${fields.map((f) => `${f.name}: ${requiredValue(f.name, f.type)}`).join(', ')} }`;
  }
  throw new Error(`No test value for the required ${name}: ${String(type)}; add one here.`);
}

/** `query($id: ID!) { field(argument: $id, …required arguments) { __typename } }`. */
function documentOf({ operation, field, argument, inputField }: IdInput): string {
  const args = field.args.flatMap((arg) => {
    if (arg !== argument) {
      return isNonNullType(arg.type) ? [`${arg.name}: ${requiredValue(arg.name, arg.type)}`] : [];
    }
    if (!inputField) return [`${arg.name}: $id`];
    const named = getNamedType(arg.type);
    const others = isInputObjectType(named)
      ? Object.values(named.getFields())
          .filter((f) => f.name !== inputField && isNonNullType(f.type))
          .map((f) => `, ${f.name}: ${requiredValue(f.name, f.type)}`)
      : [];
    return [`${arg.name}: { ${inputField}: $id${others.join('')} }`];
  });
  const selection = isLeafType(getNamedType(field.type)) ? '' : '{ __typename }';
  return `${operation}($id: ID!) { ${field.name}(${args.join(', ')}) ${selection} }`;
}

const schema = buildSchema();
const mutationType = schema.getMutationType();
const queryType = schema.getQueryType();
if (!mutationType || !queryType) throw new Error('The schema has no Query or Mutation type.');
// Mutations last, and integrationDelete after the others, so each still finds the integration.
const ROOT_INPUTS = [
  ...idInputsOf(queryType, 'query'),
  ...idInputsOf(mutationType, 'mutation').sort(
    (a, b) =>
      Number(a.field.name === 'integrationDelete') - Number(b.field.name === 'integrationDelete'),
  ),
];

describe('ID arguments take the canonical decimal form only', () => {
  let admin: AdminApp;
  /** An existing row of each kind: its ID spelled otherwise would reach it if accepted. */
  const ids = { integration: 0, category: 12, customer: 38 };

  beforeAll(async () => {
    admin = await demoStoreApp({ NODE_ENV: 'production' });
    ids.integration = Number((await createIntegration(admin.t, admin.token)).id);
  });

  it('lists every argument and input field of type ID, on every type', () => {
    const everyType = Object.values(schema.getTypeMap()).filter(
      (type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'),
    );
    const found = everyType.flatMap((type) => idInputsOf(type, 'query').map((input) => input.path));

    expect(found.sort()).toEqual(Object.keys(ID_INPUTS).sort());
  });

  it.each(ROOT_INPUTS.map((input) => [input.path, input] as const))(
    '%s refuses every other spelling as BAD_USER_INPUT and answers the canonical one',
    async (_path, input) => {
      const document = documentOf(input);
      const id = ids[ID_INPUTS[input.path] ?? 'integration'];
      const run = (value: string) => admin.gql(document, { id: value });

      for (const [label, value] of nonCanonical(id)) {
        // when
        const response = await run(value);

        // then
        expect(
          response.errors?.map((e) => e.extensions?.code),
          label,
        ).toEqual(['BAD_USER_INPUT']);
        expect(response.data?.[input.field.name] ?? null, label).toBeNull();
      }

      // and the canonical spelling is answered: the row for a query, a payload for a mutation
      const canonical = await run(String(id));
      expect(canonical.errors, document).toBeUndefined();
      if (input.operation === 'query') expect(canonical.data?.[input.field.name]).not.toBeNull();
    },
  );
});
