import { describe, expect, it } from 'vitest';
import type { Executor } from '../../src/db/client.js';
import { preparedPer, preparedPerShape } from '../../src/db/prepared.js';

const executor = () => ({}) as Executor;

describe('performance contract: preparedPer', () => {
  it('builds once per executor', () => {
    let builds = 0;
    const query = preparedPer(() => ({ build: ++builds }));
    const [a, b] = [executor(), executor()];

    expect(query(a)).toBe(query(a));
    expect(query(b)).not.toBe(query(a));
    expect(builds).toBe(2);
  });
});

describe('performance contract: preparedPerShape', () => {
  it('builds once per executor and shape', () => {
    let builds = 0;
    const query = preparedPerShape(
      4,
      (shape: string) => shape,
      (_db, shape) => ({ shape, build: ++builds }),
    );
    const db = executor();

    expect(query(db, 'x')).toBe(query(db, 'x'));
    expect(query(db, 'y').shape).toBe('y');
    expect(query(executor(), 'x')).not.toBe(query(db, 'x'));
    expect(builds).toBe(3);
  });

  it('keeps at most maxShapes, dropping the least recently used', () => {
    let builds = 0;
    const query = preparedPerShape(
      2,
      (shape: string) => shape,
      (_db, shape) => ({ shape, build: ++builds }),
    );
    const db = executor();
    const a = query(db, 'a');
    query(db, 'b');
    query(db, 'a');
    query(db, 'c');

    expect(query(db, 'a')).toBe(a);
    expect(builds).toBe(3);
    query(db, 'b');
    expect(builds).toBe(4);
  });
});
