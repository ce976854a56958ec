import type { ArgBuilder, ObjectRef } from '@pothos/core';
import { builder } from './builder.js';
import { topLevelError } from './errors.js';

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
    throw topLevelError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_PAGE_SIZE}.`);
  }
  return size;
}

/** Opaque cursors: base64url JSON of the sort key, decoded with a shape check. */
function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): unknown[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key)) return key;
  } catch {
    // reported below
  }
  throw invalidCursor();
}

const invalidCursor = () =>
  topLevelError('BAD_USER_INPUT', '"after" is not a cursor returned by this list.');

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

/** A sort order of a keyset list: cursors carry it, so one from another order is refused. */
export interface SortOrder {
  field: string;
  direction: 'ASC' | 'DESC';
}

const orderLabel = (order: SortOrder) => `${order.field} ${order.direction}`;

/** Cursor of a keyset list: its order, the row's sort value and its id. */
function encodeSortCursor(order: SortOrder, key: [string, number]): string {
  return encodeCursor([orderLabel(order), ...key]);
}

/** Decodes a cursor of `encodeSortCursor`; a cursor from a list in another order is refused. */
function decodeSortCursor(
  after: string | null | undefined,
  order: SortOrder,
): [string, number] | null {
  if (!after) return null;
  const [cursorOrder, value, id] = decodeCursor(after);
  if (cursorOrder === orderLabel(order) && typeof value === 'string' && Number.isSafeInteger(id)) {
    return [value, id as number];
  }
  throw invalidCursor();
}

/** A page from `limit + 1` fetched rows: the extra row only tells that another page follows. */
function pageOf<Node>(
  rows: Node[],
  limit: number,
  cursorOf: (node: Node) => string,
  totalCount: () => Promise<number>,
): Page<Node> {
  return { nodes: rows.slice(0, limit), hasNextPage: rows.length > limit, cursorOf, totalCount };
}

/** Decodes a cursor of a list ordered by id alone (`encodeCursor([id])`); null for no cursor. */
function decodeIdCursor(after: string | null | undefined): number | null {
  if (!after) return null;
  const [id] = decodeCursor(after);
  if (!Number.isSafeInteger(id)) throw invalidCursor();
  return id as number;
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

/**
 * A page of a list ordered by id alone: decodes the cursor, fetches one row more than the page
 * (to know whether another follows) and defers the count until a client asks for it.
 */
export async function idPage<Row extends { id: number }>(
  args: PageArgs,
  fetch: (cursorId: number | null, limit: number) => Promise<Row[]>,
  count: () => Promise<number>,
): Promise<Page<Row>> {
  const limit = pageSize(args.first);
  const rows = await fetch(decodeIdCursor(args.after), limit + 1);
  return pageOf(rows, limit, (row) => encodeCursor([row.id]), count);
}

/**
 * A page of a list sorted by `order` (then id): decodes the cursor for that order, fetches one
 * row more than the page, and defers the count until a client asks for it.
 */
export async function sortedPage<Row, Order extends SortOrder>(
  args: PageArgs,
  order: Order,
  fetch: (after: [string, number] | null, limit: number) => Promise<Row[]>,
  keyOf: (row: Row, order: Order) => [string, number],
  count: () => Promise<number>,
): Promise<Page<Row>> {
  const limit = pageSize(args.first);
  const rows = await fetch(decodeSortCursor(args.after, order), limit + 1);
  return pageOf(rows, limit, (row) => encodeSortCursor(order, keyOf(row, order)), count);
}
