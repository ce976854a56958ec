import type { ArgBuilder, ObjectRef } from '@pothos/core';
import type { CursorCodec } from '../db/cursor.js';
import { RequestError } from '../errors.js';
import { builder } from './builder.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** One page of a keyset-paginated list; counts are computed only when a client asks for them. */
export interface Page<Node> {
  nodes: Node[];
  cursorOf(node: Node): string;
  hasNextPage: boolean;
  totalCount(): Promise<number>;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** Validates `first` (1..100): a larger or non-positive value is a BAD_USER_INPUT error. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (size < 1 || size > MAX_PAGE_SIZE) {
    throw new RequestError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_PAGE_SIZE}.`);
  }
  return size;
}

const invalidCursor = () =>
  new RequestError('BAD_USER_INPUT', '"after" is not a cursor returned by this list.');

export const PageInfo = builder
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

/** A sort order of a keyset list: cursors carry it, so one from another order is refused. */
export interface SortOrder {
  field: string;
  direction: 'ASC' | 'DESC';
}

const orderLabel = (order: SortOrder) => `${order.field} ${order.direction}`;

/** A page from `limit + 1` fetched rows: the extra row only tells that another page follows. */
function pageOf<Node>(
  rows: Node[],
  limit: number,
  cursorOf: (node: Node) => string,
  totalCount: () => Promise<number>,
): Page<Node> {
  return { nodes: rows.slice(0, limit), hasNextPage: rows.length > limit, cursorOf, totalCount };
}

/** Builds the pages of keyset lists; their cursors are signed with `cursors`. */
export function createPager(cursors: CursorCodec) {
  // A refused cursor decodes to no values, which the shape checks below refuse.
  const decode = (after: string) => cursors.decode(after) ?? [];
  return {
    /**
     * A page of a list ordered by id alone: checks the cursor, fetches one row more than the page
     * (to know whether another follows) and defers the count until a client asks for it.
     */
    async idPage<Row extends { id: number }>(
      args: PageArgs,
      fetch: (cursorId: number | null, limit: number) => Promise<Row[]>,
      count: () => Promise<number>,
    ): Promise<Page<Row>> {
      const limit = pageSize(args.first);
      let cursorId: number | null = null;
      if (args.after) {
        const [id, ...rest] = decode(args.after);
        if (!Number.isSafeInteger(id) || rest.length > 0) throw invalidCursor();
        cursorId = id as number;
      }
      const rows = await fetch(cursorId, limit + 1);
      return pageOf(rows, limit, (row) => cursors.encode([row.id]), count);
    },

    /**
     * A page of a list sorted by `order` (then id): checks that the cursor is one of this order,
     * fetches one row more than the page, and defers the count until a client asks for it.
     */
    async sortedPage<Row, Order extends SortOrder>(
      args: PageArgs,
      order: Order,
      fetch: (after: [string, number] | null, limit: number) => Promise<Row[]>,
      keyOf: (row: Row, order: Order) => [string, number],
      count: () => Promise<number>,
    ): Promise<Page<Row>> {
      const limit = pageSize(args.first);
      let after: [string, number] | null = null;
      if (args.after) {
        const [label, value, id, ...rest] = decode(args.after);
        const valid =
          label === orderLabel(order) &&
          typeof value === 'string' &&
          Number.isSafeInteger(id) &&
          rest.length === 0;
        if (!valid) throw invalidCursor();
        after = [value, id as number];
      }
      const rows = await fetch(after, limit + 1);
      const cursorOf = (row: Row) => cursors.encode([orderLabel(order), ...keyOf(row, order)]);
      return pageOf(rows, limit, cursorOf, count);
    },
  };
}

export type Pager = ReturnType<typeof createPager>;
