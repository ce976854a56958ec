import { z } from 'zod';

/**
 * Every numeric limit: its variable, default and allowed range. One table, so the defaults, the
 * validation and the limits table of docs/operations.md stay in step (a test compares them).
 */
const LIMIT_VARIABLES = {
  MAX_BODY_BYTES: { default: 1_048_576, min: 1_024, max: 64 * 1_048_576 },
  MAX_IN_FLIGHT_REQUESTS: { default: 256, min: 1, max: 100_000 },
  MAX_IN_FLIGHT_UPLOADS: { default: 128, min: 1, max: 100_000 },
  MAX_IN_FLIGHT_PER_CLIENT: { default: 64, min: 1, max: 100_000 },
  REQUEST_DEADLINE_MS: { default: 10_000, min: 100, max: 600_000 },
  HTTP_HEADERS_TIMEOUT_MS: { default: 10_000, min: 1_000, max: 120_000 },
  HTTP_REQUEST_TIMEOUT_MS: { default: 30_000, min: 1_000, max: 600_000 },
  HTTP_MAX_HEADER_BYTES: { default: 16_384, min: 1_024, max: 1_048_576 },
  DB_POOL_SIZE: { default: 10, min: 1, max: 1_000 },
  DB_QUEUE_LIMIT: { default: 1_000, min: 1, max: 100_000 },
  GRAPHQL_MAX_DEPTH: { default: 15, min: 2, max: 100 },
  GRAPHQL_MAX_ALIASES: { default: 30, min: 0, max: 1_000 },
  GRAPHQL_MAX_DIRECTIVES: { default: 30, min: 0, max: 1_000 },
  GRAPHQL_MAX_TOKENS: { default: 5_000, min: 100, max: 1_000_000 },
  // graphql-js's standard introspection query costs about 87,300 under armor's cost model.
  GRAPHQL_MAX_COST: { default: 100_000, min: 100, max: 10_000_000 },
  RATE_LIMIT_SIGNIN_PER_MINUTE: { default: 30, min: 1, max: 1_000_000 },
  RATE_LIMIT_OAUTH_PER_MINUTE: { default: 300, min: 1, max: 1_000_000 },
  RATE_LIMIT_INTEGRATION_PER_MINUTE: { default: 6_000, min: 1, max: 10_000_000 },
  GUEST_CACHE_TTL_MS: { default: 5_000, min: 0, max: 3_600_000 },
  GUEST_CACHE_MAX_ENTRIES: { default: 1_000, min: 0, max: 1_000_000 },
} as const;

export type LimitVariable = keyof typeof LIMIT_VARIABLES;
export type Limits = Record<LimitVariable, number>;

/** Zod fields for the limit variables (absent means default). */
export function limitFields(optional: <T extends z.ZodType>(schema: T) => z.ZodType) {
  return Object.fromEntries(
    Object.entries(LIMIT_VARIABLES).map(([name, { min, max }]) => [
      name,
      optional(z.coerce.number().int().min(min).max(max)),
    ]),
  ) as Record<LimitVariable, z.ZodType<number | undefined>>;
}

export function limitsFrom(values: Partial<Record<LimitVariable, number | undefined>>): Limits {
  return Object.fromEntries(
    Object.entries(LIMIT_VARIABLES).map(([name, spec]) => [
      name,
      values[name as LimitVariable] ?? spec.default,
    ]),
  ) as Limits;
}
