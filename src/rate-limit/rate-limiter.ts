import { lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { isRetryableTransactionError } from '../db/driver-errors.js';
import { rateLimitCounters } from '../db/schema.js';
import { retryOnConflict } from '../db/transaction.js';

/** Counts hits of a key in fixed windows; pluggable so several instances can share counters. */
export interface RateLimitStore {
  /** Records one hit in the window starting at `windowStart` and returns the hits so far. */
  hit(bucket: string, windowStart: number): Promise<number>;
}

/** Per-process counters (the default); old windows are dropped as time moves on. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly counts = new Map<string, { windowStart: number; hits: number }>();

  async hit(bucket: string, windowStart: number): Promise<number> {
    const current = this.counts.get(bucket);
    if (!current || current.windowStart !== windowStart) {
      if (this.counts.size > 100_000) this.prune(windowStart);
      this.counts.set(bucket, { windowStart, hits: 1 });
      return 1;
    }
    current.hits += 1;
    return current.hits;
  }

  private prune(windowStart: number): void {
    for (const [bucket, entry] of this.counts)
      if (entry.windowStart < windowStart) this.counts.delete(bucket);
  }
}

/**
 * Counters in MySQL, so every instance sees the same counts: one upsert per hit, whose
 * `LAST_INSERT_ID(hits + 1)` hands back the count this very hit reached (no second read that
 * other hits could overtake), so exactly the first `limit` hits of a window pass. Hits through
 * several Galera nodes that meet on one counter fail certification (1213) but the first; the
 * others add their hit again (the statement is whole), so none is lost and none counted twice.
 * A counter still contended after every retry is answered as over the limit, uncounted.
 */
export class MysqlRateLimitStore implements RateLimitStore {
  constructor(private readonly db: Database) {}

  async hit(bucket: string, windowStart: number): Promise<number> {
    let result: { insertId: number };
    try {
      [result] = await retryOnConflict(() =>
        this.db
          .insert(rateLimitCounters)
          .values({ bucket, windowStart, hits: 1 })
          .onDuplicateKeyUpdate({
            set: { hits: sql`LAST_INSERT_ID(${rateLimitCounters.hits} + 1)` },
          }),
      );
    } catch (error) {
      if (isRetryableTransactionError(error)) return Number.POSITIVE_INFINITY;
      throw error;
    }
    if (Math.random() < 0.001) await this.purge(windowStart);
    // A fresh row sets no LAST_INSERT_ID (the table has no AUTO_INCREMENT): its first hit.
    return result.insertId > 0 ? result.insertId : 1;
  }

  /** Drops past windows; another instance purging at the same moment may win, which is as good. */
  private async purge(windowStart: number): Promise<void> {
    try {
      await this.db.delete(rateLimitCounters).where(lt(rateLimitCounters.windowStart, windowStart));
    } catch (error) {
      if (!isRetryableTransactionError(error)) throw error;
    }
  }
}

export type RateLimitRule = 'signin' | 'oauth' | 'integration';

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const WINDOW_MS = 60_000;

/** Fixed one-minute windows per rule and key (client IP or integration id). */
export function createRateLimiter(
  store: RateLimitStore,
  perMinute: Record<RateLimitRule, number>,
  now: () => Date,
) {
  return {
    async check(rule: RateLimitRule, key: string): Promise<RateLimitDecision> {
      const at = now().getTime();
      const windowStart = at - (at % WINDOW_MS);
      const hits = await store.hit(`${rule}:${key}`, windowStart);
      if (hits <= perMinute[rule]) return { allowed: true };
      return {
        allowed: false,
        retryAfterSeconds: Math.ceil((windowStart + WINDOW_MS - at) / 1000),
      };
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
