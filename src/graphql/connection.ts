import type { ArgBuilder, ObjectRef } from '@pothos/core';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from '../db/page.js';
import { builder } from './builder.js';

const PageInfo = builder
  .objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo')
  .implement({
    description: 'Where a page ends and whether more follow (forward pagination with `after`).',
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage', {
        description: 'True when another page follows.',
      }),
      endCursor: t.exposeString('endCursor', {
        nullable: true,
        description: 'Cursor of the last edge; pass it as `after` for the next page.',
      }),
    }),
  });

/**
 * Declares `<Name>Connection { edges { cursor node } nodes pageInfo totalCount }` and its edge
 * type for a node type. A list adds fields of its own with `builder.objectField` on the result.
 */
export function connectionType<Node, P extends Page<Node>>(
  name: string,
  nodeRef: ObjectRef<
    typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never,
    Node
  >,
  nodeDescription: string,
) {
  const Edge = builder.objectRef<{ cursor: string; node: Node }>(`${name}Edge`).implement({
    description: `One ${nodeDescription} in a page, with its cursor.`,
    fields: (t) => ({
      cursor: t.exposeString('cursor', { description: 'Position of this edge, for `after`.' }),
      node: t.expose('node', { type: nodeRef, description: `The ${nodeDescription}.` }),
    }),
  });
  return builder.objectRef<P>(`${name}Connection`).implement({
    description: `A page of ${nodeDescription} items.`,
    fields: (t) => ({
      edges: t.field({
        type: [Edge],
        description: 'The items of this page with their cursors.',
        resolve: (page) => page.nodes.map((node) => ({ cursor: page.cursorOf(node), node })),
      }),
      nodes: t.field({
        type: [nodeRef],
        description: 'The items of this page.',
        resolve: (page) => page.nodes,
      }),
      pageInfo: t.field({
        type: PageInfo,
        description: 'Pagination state.',
        resolve: (page) => {
          const last = page.nodes.at(-1);
          return { hasNextPage: page.hasNextPage, endCursor: last ? page.cursorOf(last) : null };
        },
      }),
      totalCount: t.int({
        description: 'Number of items in the whole filtered list.',
        resolve: (page) => page.totalCount(),
      }),
    }),
  });
}

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The `first` / `after` arguments every connection field takes. */
export const pageArgs = (arg: ArgBuilder<Types>) => ({
  first: arg.int({
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `Page size, 1 to ${MAX_PAGE_SIZE}.`,
  }),
  after: arg.string({ description: 'Cursor of the last edge of the previous page.' }),
});

/** The direction of a sorted list. */
export const OrderDirectionEnum = builder.enumType('OrderDirection', {
  description: 'Sort direction.',
  values: { ASC: { description: 'Ascending.' }, DESC: { description: 'Descending.' } },
});
