import { describe, expect, it } from 'vitest';
import { createGuestResponseCache } from '../../src/guest-cache/guest-response-cache.js';

function cacheAt(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const clock = { now: new Date('2026-11-29T00:00:00Z') };
  const cache = createGuestResponseCache({
    ttlMs: options.ttlMs ?? 1_000,
    maxEntries: options.maxEntries ?? 10,
    now: () => clock.now,
  });
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return { cache, advance };
}

const request = (query: string, variables?: Record<string, unknown>) => ({ query, variables });

describe('guest response cache', () => {
  it('answers the same query, operation and variables, and nothing else', () => {
    const { cache } = cacheAt();
    cache.set(cache.slotFor(request('{ a }', { x: 1 })), { data: { a: 1 } });

    expect(cache.get(cache.slotFor(request('{ a }', { x: 1 })))).toEqual({ data: { a: 1 } });
    expect(cache.get(cache.slotFor(request('{ a }', { x: 2 })))).toBeUndefined();
    expect(cache.get(cache.slotFor(request('{ a }')))).toBeUndefined();
    expect(cache.get(cache.slotFor(request('{ a }', {})))).toBeUndefined();
    expect(cache.get(cache.slotFor(request('{ b }', { x: 1 })))).toBeUndefined();
    expect(
      cache.get(cache.slotFor({ query: '{ a }', variables: { x: 1 }, operationName: 'A' })),
    ).toBeUndefined();
  });

  it('treats absent and empty variables alike', () => {
    const { cache } = cacheAt();
    cache.set(cache.slotFor(request('{ a }')), { data: { a: 1 } });

    expect(cache.get(cache.slotFor(request('{ a }', {})))).toEqual({ data: { a: 1 } });
  });

  it('keeps only the data of a result, frozen, so no caller can change what others get', () => {
    const { cache } = cacheAt();
    const slot = cache.slotFor(request('{ a }'));
    cache.set(slot, { data: { a: 1 }, extensions: { traced: true } });

    const cached = cache.get(slot);
    expect(cached).toEqual({ data: { a: 1 } });
    expect(Object.isFrozen(cached)).toBe(true);
  });

  it('forgets an answer once its time to live has passed', () => {
    const { cache, advance } = cacheAt({ ttlMs: 1_000 });
    const slot = cache.slotFor(request('{ a }'));
    cache.set(slot, { data: { a: 1 } });

    advance(999);
    expect(cache.get(slot)).toBeDefined();
    advance(1);
    expect(cache.get(slot)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('counts the time to live from the start of the request that computed the answer', () => {
    // given a request that began, then took 600 ms of a 1 s time to live to compute its answer
    const { cache, advance } = cacheAt({ ttlMs: 1_000 });
    const slot = cache.slotFor(request('{ a }'));
    advance(600);
    cache.set(slot, { data: { a: 1 } });

    // then the answer is served until 1 s after the request began, not after it was stored
    advance(399);
    expect(cache.get(cache.slotFor(request('{ a }')))).toEqual({ data: { a: 1 } });
    advance(1);
    expect(cache.get(cache.slotFor(request('{ a }')))).toBeUndefined();

    // and an answer computed longer than the time to live is not stored at all
    const slow = cache.slotFor(request('{ b }'));
    advance(1_000);
    cache.set(slow, { data: { b: 1 } });
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries answers, dropping the least recently used', () => {
    const { cache } = cacheAt({ maxEntries: 2 });
    const a = cache.slotFor(request('{ a }'));
    const b = cache.slotFor(request('{ b }'));
    const c = cache.slotFor(request('{ c }'));
    cache.set(a, { data: { a: 1 } });
    cache.set(b, { data: { b: 1 } });
    cache.get(a);
    cache.set(c, { data: { c: 1 } });

    expect(cache.size).toBe(2);
    expect(cache.get(a)).toBeDefined();
    expect(cache.get(b)).toBeUndefined();
    expect(cache.get(c)).toBeDefined();
  });

  it('after invalidate answers nothing, and never stores a result of a request begun before it', () => {
    const { cache } = cacheAt();
    const before = cache.slotFor(request('{ a }'));
    cache.set(before, { data: { a: 'old' } });

    // when a write invalidates while another read of the old data is still running
    const slow = cache.slotFor(request('{ b }'));
    cache.invalidate();
    cache.set(slow, { data: { b: 'old' } });

    // then neither old answer is served, to new requests or to the old slots
    expect(cache.get(cache.slotFor(request('{ a }')))).toBeUndefined();
    expect(cache.get(cache.slotFor(request('{ b }')))).toBeUndefined();
    expect(cache.get(before)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it.each([
    { ttlMs: 0, maxEntries: 10 },
    { ttlMs: 1_000, maxEntries: 0 },
  ])('is off with %o', (options) => {
    const { cache } = cacheAt(options);
    const slot = cache.slotFor(request('{ a }'));
    cache.set(slot, { data: { a: 1 } });

    expect(cache.enabled).toBe(false);
    expect(cache.get(slot)).toBeUndefined();
  });
});
