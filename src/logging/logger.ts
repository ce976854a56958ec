import { DrizzleQueryError } from 'drizzle-orm/errors';
import { GraphQLError } from 'graphql';
import pino, { type DestinationStream } from 'pino';
import type { LogLevel } from '../config/config.js';

export type Logger = pino.Logger;

/** Defence in depth: keys that may hold secrets are censored wherever they appear in a log object. */
const SECRET_KEYS = [
  'password',
  'currentPassword',
  'token',
  'secret',
  'consumerSecret',
  'accessToken',
  'accessTokenSecret',
  'authorization',
];
const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  'req.headers.authorization',
  'headers.authorization',
];

/**
 * Describes an error for the log without anything that may carry secret values: Drizzle puts
 * query parameters into its message and MySQL echoes duplicated values, so only codes, the SQL
 * text (with placeholders) and stack frames are kept for database errors.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof GraphQLError && error.originalError) {
    return { path: error.path?.join('.'), ...describeError(error.originalError) };
  }
  if (error instanceof DrizzleQueryError) {
    return { type: 'DrizzleQueryError', query: error.query, cause: describeError(error.cause) };
  }
  if (error instanceof Error && 'sqlState' in error) {
    const { code, errno, sqlState } = error as Error & Record<string, unknown>;
    return { type: 'DatabaseError', code, errno, sqlState, stack: stackFrames(error) };
  }
  if (error instanceof Error) {
    return { type: error.name, message: error.message, stack: error.stack };
  }
  return { type: typeof error };
}

function stackFrames(error: Error): string | undefined {
  return error.stack
    ?.split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      serializers: { err: describeError },
    },
    destination,
  );
}
