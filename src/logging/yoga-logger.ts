import type { YogaLogger } from 'graphql-yoga';
import type { Logger } from './logger.js';

/** Routes Yoga's own log calls (including every masked error) through pino and its error serializer. */
export function toYogaLogger(logger: Logger): YogaLogger {
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const error = args.find((arg) => arg instanceof Error);
      const text = args.filter((arg) => typeof arg === 'string').join(' ');
      if (error) logger[level]({ err: error }, text || 'unexpected error');
      else logger[level](text);
    };
  return {
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
  };
}
