import SchemaBuilder from '@pothos/core';
import type { Context } from '../api/context.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: { DateTime: { Input: Date; Output: Date } };
}>({ defaultFieldNullability: false });

builder.queryType({ description: 'Read operations of the control plane and the data plane.' });
builder.mutationType({
  description: 'Write operations; each returns a payload with typed errors.',
});

builder.scalarType('DateTime', {
  description: 'An instant in time, serialized as an ISO 8601 string in UTC.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime must be an ISO 8601 string');
    return date;
  },
});
