import type { ExecutionResult } from 'graphql';

export interface GuestCacheOptions {
  /** How long an answer is served; 0 turns the cache off. */
  ttlMs: number;
  /** Most answers kept; the least recently used goes first. 0 turns the cache off. */
  maxEntries: number;
  now: () => Date;
}

/** Where an answer for one request is looked up and, after execution, stored. */
export interface CacheSlot {
  readonly key: string;
  readonly generation: number;
  /** When the request began: its answer expires `ttlMs` after that, not after it was computed. */
  readonly startedAt: number;
}

interface GuestRequest {
  query: string;
  operationName?: string | null | undefined;
  variables?: Record<string, unknown> | null | undefined;
}

interface Entry {
  result: ExecutionResult;
  expiresAt: number;
}

/**
 * Answers to anonymous GraphQL queries, shared by every anonymous caller (they all see the same
 * data) and by no one else. `invalidate` starts a new generation: answers computed by requests
 * that began before it are never stored, so a write or a settings change is never undone by a
 * slow read finishing after it.
 *
 * Another instance's writes do not reach `invalidate`: an answer is served until `ttlMs` after its
 * request began, so any answer served later than `ttlMs` after a change committed was read after
 * that change, however long its request took. That is the bound across instances.
 */
export function createGuestResponseCache(options: GuestCacheOptions) {
  const entries = new Map<string, Entry>();
  const enabled = options.ttlMs > 0 && options.maxEntries > 0;
  let generation = 0;

  return {
    enabled,

    slotFor(request: GuestRequest): CacheSlot {
      const given = request.variables;
      const variables = given && Object.keys(given).length > 0 ? JSON.stringify(given) : '';
      return {
        key: `${request.operationName ?? ''}\u0000${variables}\u0000${request.query}`,
        generation,
        startedAt: options.now().getTime(),
      };
    },

    get(slot: CacheSlot): ExecutionResult | undefined {
      if (!enabled || slot.generation !== generation) return undefined;
      const entry = entries.get(slot.key);
      if (!entry) return undefined;
      if (entry.expiresAt <= options.now().getTime()) {
        entries.delete(slot.key);
        return undefined;
      }
      // Re-inserting keeps the Map in least-recently-used order.
      entries.delete(slot.key);
      entries.set(slot.key, entry);
      return entry.result;
    },

    set(slot: CacheSlot, result: ExecutionResult): void {
      if (!enabled || slot.generation !== generation) return;
      const expiresAt = slot.startedAt + options.ttlMs;
      if (expiresAt <= options.now().getTime()) return;
      entries.delete(slot.key);
      entries.set(slot.key, { result: Object.freeze({ data: result.data }), expiresAt });
      if (entries.size > options.maxEntries) {
        entries.delete(entries.keys().next().value as string);
      }
    },

    invalidate(): void {
      generation += 1;
      entries.clear();
    },

    get size(): number {
      return entries.size;
    },
  };
}

export type GuestResponseCache = ReturnType<typeof createGuestResponseCache>;
