import type { Executor } from './client.js';

/**
 * Builds a query with `sql.placeholder()`s once per executor (the pool's Database, or a
 * transaction for as long as it lives) and hands the built statement back on every call.
 * Drizzle builds SQL text on every execution otherwise: about a tenth of a signed request's CPU.
 */
export function preparedPer<T>(build: (db: Executor) => T): (db: Executor) => T {
  const built = new WeakMap<Executor, T>();
  return (db) => {
    let query = built.get(db);
    if (query === undefined) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}

/**
 * `preparedPer` for a query whose SQL text varies with a few choices (which filters are given,
 * which columns are read): one built statement per executor and shape. At most `maxShapes` are
 * kept per executor, the least recently used dropped first, since clients choose the shapes.
 */
export function preparedPerShape<S, T>(
  maxShapes: number,
  keyOf: (shape: S) => string,
  build: (db: Executor, shape: S) => T,
): (db: Executor, shape: S) => T {
  const byExecutor = preparedPer(() => new Map<string, T>());
  return (db, shape) => {
    const built = byExecutor(db);
    const key = keyOf(shape);
    let query = built.get(key);
    if (query === undefined) {
      query = build(db, shape);
      if (built.size >= maxShapes) built.delete(built.keys().next().value as string);
    } else {
      built.delete(key);
    }
    built.set(key, query);
    return query;
  };
}
