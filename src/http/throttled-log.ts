import type { Logger } from '../logging/logger.js';

/**
 * A log line for events a client can cause at will: the first of each window is written in full,
 * the rest are only counted and summed up in one line when the window ends, so a flood costs two
 * lines per window, never one per event.
 */
export function throttledLog(
  logger: Logger,
  level: 'info' | 'warn',
  message: string,
  windowMs: number,
): (fields: Record<string, unknown>) => void {
  let suppressed = 0;
  let window: NodeJS.Timeout | undefined;
  return (fields) => {
    if (window) {
      suppressed += 1;
      return;
    }
    logger[level](fields, message);
    window = setTimeout(() => {
      window = undefined;
      if (suppressed > 0)
        logger[level]({ suppressed, windowMs }, `${message} (more in the window)`);
      suppressed = 0;
    }, windowMs);
    window.unref();
  };
}
