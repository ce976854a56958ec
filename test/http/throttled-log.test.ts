import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttledLog } from '../../src/http/throttled-log.js';
import { capturingLogger } from '../support/logs.js';

describe('throttledLog', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes the first event of a window in full and sums up the rest in one line', () => {
    // given
    vi.useFakeTimers();
    const logs = capturingLogger();
    const log = throttledLog(logs.logger, 'info', 'upload cut short', 60_000);

    // when a burst, a quiet window, then one more event
    for (let i = 0; i < 100; i += 1) log({ n: i });
    vi.advanceTimersByTime(60_000);
    vi.advanceTimersByTime(60_000);
    log({ n: 100 });

    // then
    const lines = logs.lines.map((line) => JSON.parse(line));
    expect(lines).toMatchObject([
      { level: 30, n: 0, msg: 'upload cut short' },
      { level: 30, suppressed: 99, windowMs: 60_000, msg: 'upload cut short (more in the window)' },
      { level: 30, n: 100, msg: 'upload cut short' },
    ]);
    expect(lines).toHaveLength(3);
  });
});
