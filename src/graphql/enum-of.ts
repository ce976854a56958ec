import { builder } from './builder.js';

/** An enum over stored values; each value's description is its readable form. */
export const enumOf = <const V extends string>(
  name: string,
  description: string,
  values: readonly V[],
) =>
  builder.enumType(name, {
    description,
    values: Object.fromEntries(
      values.map((value) => [value, { description: value.toLowerCase().replace(/_/g, ' ') }]),
    ) as Record<V, { description: string }>,
  });
