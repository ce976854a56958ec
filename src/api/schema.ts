import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from '../graphql/builder.js';
import '../admin-auth/graphql.js';
import '../acl/graphql.js';
import '../integrations/graphql/types.js';
import '../integrations/graphql/mutations.js';
import '../settings/graphql.js';
import '../audit/graphql.js';
import '../auth/graphql.js';
import '../catalog/graphql.js';
import '../cms/graphql.js';
import '../store/graphql.js';
import '../customers/graphql.js';
import '../sales/graphql.js';

/** The schema of the API: importing the domain modules registers their types. */
let schema: GraphQLSchema | undefined;

export function buildSchema(): GraphQLSchema {
  schema ??= builder.toSchema();
  return schema;
}

/** SDL as committed in schema/schema.graphql: sorted, so the file only changes when the API does. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
