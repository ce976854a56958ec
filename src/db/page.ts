import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.js';
import { RequestError } from '../errors.js';

/**
 * Keyset pages: the page arguments a client sends, the signed cursors it gets and hands back, and
 * pages built from one row more than asked for. Plain values and RequestErrors: any layer may
 * page a list; the GraphQL layer only declares the connection types (graphql/connection.ts).
 */
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
function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (size < 1 || size > MAX_PAGE_SIZE) {
    throw new RequestError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_PAGE_SIZE}.`);
  }
  return size;
}

const invalidCursor = () =>
  new RequestError('BAD_USER_INPUT', '"after" is not a cursor returned by this list.');

/** Signs and checks the opaque cursors of keyset pages. */
export interface CursorCodec {
  /** `<payload>.<mac>`: base64url JSON of the sort key, then its base64url HMAC-SHA256. */
  encode(key: readonly unknown[]): string;
  /** The sort key of a cursor signed with this codec's key; null for anything else. */
  decode(cursor: string): unknown[] | null;
}

/** Far above any real cursor (a 255-character sort value); refused before any work. */
const MAX_CURSOR_LENGTH = 4096;
const CURSOR = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

/** HKDF info of the cursor key; changing it invalidates every cursor given out. */
const CURSOR_KEY_PURPOSE = 'keyset-cursor-v1';

/**
 * Cursors signed with `key`, so a client can hand back only positions the server gave out: a
 * cursor edited, forged or built by hand is refused before its values reach a query.
 */
export function createCursorCodec(key: Buffer): CursorCodec {
  const signatureOf = (payload: string) =>
    createHmac('sha256', key).update(payload).digest('base64url');
  return {
    encode(sortKey) {
      const payload = Buffer.from(JSON.stringify(sortKey)).toString('base64url');
      return `${payload}.${signatureOf(payload)}`;
    },
    decode(cursor) {
      const parts = cursor.length <= MAX_CURSOR_LENGTH ? CURSOR.exec(cursor) : null;
      if (!parts?.[1] || !parts[2]) return null;
      // Compared as text: two spellings of the last base64url digit decode to the same bytes.
      const expected = Buffer.from(signatureOf(parts[1]));
      if (!timingSafeEqual(Buffer.from(parts[2]), expected)) return null;
      // Signed here, so the payload is JSON this codec wrote.
      const sortKey: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      return Array.isArray(sortKey) ? sortKey : null;
    },
  };
}

/**
 * The gateway's cursors: signed with a key derived from CREDENTIALS_ENCRYPTION_KEY, so every
 * instance configured with it accepts the others' cursors.
 */
export function cursorCodecOf(secretBox: SecretBox): CursorCodec {
  return createCursorCodec(secretBox.deriveKey(CURSOR_KEY_PURPOSE));
}

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
