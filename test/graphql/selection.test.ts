import {
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  columnsFor,
  columnsOfConnectionNodes,
  columnsOfSelection,
  connectionNodeFields,
} from '../../src/graphql/selection.js';

/** The resolve info of the first root field of `source`, as far as the selection helpers read it. */
function infoOf(source: string) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return { fieldNodes: [operation?.selectionSet.selections[0] as FieldNode], fragments };
}

describe('connectionNodeFields', () => {
  it('collects the fields under nodes and under edges.node', () => {
    const info = infoOf('{ list { totalCount nodes { a b } edges { cursor node { c } } } }');

    expect([...connectionNodeFields(info)].sort()).toEqual(['a', 'b', 'c']);
  });

  it('follows fragment spreads and inline fragments at every level', () => {
    const info = infoOf(`
      { list { ...Page } }
      fragment Page on Connection { nodes { ... on Node { a } ...More } edges { ... on Edge { node { d } } } }
      fragment More on Node { b nested { c } }
    `);

    expect([...connectionNodeFields(info)].sort()).toEqual(['a', 'b', 'd', 'nested']);
  });

  it('ignores fields of the connection itself', () => {
    expect(
      connectionNodeFields(infoOf('{ list { totalCount pageInfo { hasNextPage } } }')),
    ).toEqual(new Set());
  });
});

describe('columnsFor', () => {
  const map = { a: ['x'], b: ['x', 'y'], loaded: [] } as const;

  it('is the union of the mapped columns', () => {
    const columns = columnsFor(new Set(['a', 'b', 'loaded', '__typename']), map);

    expect(columns?.sort()).toEqual(['x', 'y']);
  });

  it('is null (every column) when a field is not mapped', () => {
    expect(columnsFor(new Set(['a', 'unknown']), map)).toBeNull();
  });
});

describe('performance contract: columns computed once per place in a document', () => {
  const map = { a: ['x'], b: ['y'] } as const;

  it('computes once per field nodes and map, and answers the same list for every row', () => {
    const info = infoOf('{ list { nodes { a } } }');
    const first = columnsOfConnectionNodes(info, map);

    expect(first).toEqual(['x']);
    expect(columnsOfConnectionNodes({ ...info }, map)).toBe(first);
  });

  it('tells places apart', () => {
    expect(columnsOfSelection(infoOf('{ one { a } }'), map)).toEqual(['x']);
    expect(columnsOfSelection(infoOf('{ one { b } }'), map)).toEqual(['y']);
  });
});
