import { beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { createCursorCodec, cursorCodecOf } from '../../src/db/page.js';
import { type AdminApp, createIntegration } from '../support/admin-client.js';
import { demoStoreApp } from '../support/store.js';
import { TEST_ENCRYPTION_KEY } from '../support/test-app.js';

const OTHER_KEY = Buffer.alloc(32, 9);

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const payloadOf = (cursor: string): unknown[] =>
  JSON.parse(Buffer.from(cursor.split('.')[0] ?? '', 'base64url').toString('utf8'));
const signatureOf = (cursor: string) => cursor.split('.')[1] ?? '';

describe('cursor codec', () => {
  const codec = cursorCodecOf(new SecretBox(TEST_ENCRYPTION_KEY));

  it('decodes what it encoded', () => {
    const cursor = codec.encode(['NAME ASC', 'Acme', 38]);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(codec.decode(cursor)).toEqual(['NAME ASC', 'Acme', 38]);
  });

  it('is accepted by every instance configured with the same encryption key', () => {
    const another = cursorCodecOf(new SecretBox(TEST_ENCRYPTION_KEY));

    expect(another.decode(codec.encode([38]))).toEqual([38]);
  });

  it('is refused by an instance configured with another encryption key', () => {
    expect(cursorCodecOf(new SecretBox(OTHER_KEY)).decode(codec.encode([38]))).toBeNull();
  });

  it('signs with a derived key: neither the encryption key itself nor a key for another use', () => {
    const box = new SecretBox(TEST_ENCRYPTION_KEY);
    const signedWith = (key: Buffer) => createCursorCodec(key).encode([38]);

    expect(box.deriveKey('a').equals(box.deriveKey('b'))).toBe(false);
    expect(codec.encode([38])).not.toBe(signedWith(TEST_ENCRYPTION_KEY));
    expect(codec.encode([38])).not.toBe(signedWith(box.deriveKey('another use')));
  });

  it.each([
    ['signed with another key', () => createCursorCodec(OTHER_KEY).encode([38])],
    ['unsigned (base64url JSON alone)', () => base64url([38])],
    ['with its fields replaced', () => `${base64url([39])}.${signatureOf(codec.encode([38]))}`],
    [
      'with another spelling of its signature',
      () => {
        const cursor = codec.encode([38]);
        const last = cursor.at(-1) ?? '';
        // the last base64url digit carries 4 bits of the MAC and 2 of padding
        const sibling = 'AEIMQUYcgkosw048'.includes(last)
          ? String.fromCharCode(last.charCodeAt(0) + 1)
          : String.fromCharCode(last.charCodeAt(0) - 1);
        return `${cursor.slice(0, -1)}${sibling}`;
      },
    ],
    ['with a truncated signature', () => codec.encode([38]).slice(0, -1)],
    ['without a signature', () => `${base64url([38])}.`],
    ['not base64url', () => `%%%.${signatureOf(codec.encode([38]))}`],
    ['not a cursor at all', () => 'garbage'],
    ['empty parts', () => '.'],
    ['very long', () => `${'A'.repeat(10_000)}.${signatureOf(codec.encode([38]))}`],
  ])('refuses a cursor %s', (_label, make) => {
    expect(codec.decode(make())).toBeNull();
  });
});

interface List {
  name: string;
  /** A document with `$after`, selecting the connection's `nodes` and `pageInfo`. */
  query: string;
  /** Where the connection is in `data`. */
  path: string[];
  /** A sort key in this list's cursor shape that names no position it gave out. */
  forgedKey: unknown[];
}

const connection = (field: string) =>
  `${field} { nodes { __typename } pageInfo { hasNextPage endCursor } }`;

/** A root list, `first: 1` a page, with `args` of its own. */
const rootList = (field: string, forgedKey: unknown[], args = ''): List => ({
  name: args ? `${field}(${args})` : field,
  query: `query($after: String) { ${connection(`${field}(first: 1, after: $after ${args})`)} }`,
  path: [field],
  forgedKey,
});

/** A list under the row `parent` names. */
const nestedList = (parent: string, field: string, forgedKey: unknown[]): List => ({
  name: `${parent}.${field}`,
  query: `query($after: String) { ${parent} { ${connection(`${field}(first: 1, after: $after)`)} } }`,
  path: [parent.replace(/\(.*/, ''), field],
  forgedKey,
});

const LISTS: List[] = [
  rootList('integrations', ['CREATED_AT ASC', 'not a date', 1]),
  rootList('integrations', ['NAME DESC', '', 2 ** 53], 'orderBy: { field: NAME, direction: DESC }'),
  rootList('auditLog', [1]),
  rootList('products', ['CREATED_AT ASC', '9999-01-01T00:00:00.000Z', 1]),
  rootList('customers', [999_999]),
  rootList('orders', [1]),
  rootList('cmsPages', [999_999]),
  rootList('cmsBlocks', [999_999]),
  nestedList('category(id: "2")', 'products', [999_999]),
  nestedList('customer(id: "5")', 'orders', [1]),
];

const at = (data: unknown, path: string[]): any =>
  path.reduce<any>((value, key) => (value == null ? value : value[key]), data);

describe('cursors handed back to the lists (production)', () => {
  let admin: AdminApp;

  beforeAll(async () => {
    admin = await demoStoreApp({ NODE_ENV: 'production' });
    // two integrations, and the audit entries of their creation
    await createIntegration(admin.t, admin.token, { name: 'Alpha' });
    await createIntegration(admin.t, admin.token, { name: 'Beta' });
  });

  const page = (list: List, after: string | null) => admin.gql(list.query, { after });

  it.each(LISTS.map((list) => [list.name, list] as const))(
    '%s: the cursor it gave out pages on; any other is BAD_USER_INPUT',
    async (_name, list) => {
      // given a cursor the list gave out
      const first = await page(list, null);
      expect(first.errors).toBeUndefined();
      const cursor: string = at(first.data, list.path).pageInfo.endCursor;
      expect(at(first.data, list.path).pageInfo.hasNextPage).toBe(true);
      const forgedBySomeoneElse = createCursorCodec(OTHER_KEY).encode(payloadOf(cursor));
      const tampered: [label: string, after: string][] = [
        ['fields replaced', `${base64url(list.forgedKey)}.${signatureOf(cursor)}`],
        ['unsigned, as cursors were before', base64url(payloadOf(cursor))],
        ['unsigned, naming no position', base64url(list.forgedKey)],
        ['signed with another key', forgedBySomeoneElse],
        ['not JSON', `${Buffer.from('not json').toString('base64url')}.${signatureOf(cursor)}`],
        ['not base64url', `*${cursor}`],
        ['wrong types, unsigned', base64url([{ id: 1 }, null, '1'])],
        ['its signature alone', signatureOf(cursor)],
      ];

      // when it is handed back, the next page follows
      const second = await page(list, cursor);
      expect(second.errors).toBeUndefined();
      expect(at(second.data, list.path).nodes).toHaveLength(1);

      for (const [label, after] of tampered) {
        // when a cursor it did not give out is handed back
        const response = await page(list, after);

        // then it is refused: not an empty or other page, not a masked error
        expect(
          response.errors?.map((e) => e.extensions?.code),
          label,
        ).toEqual(['BAD_USER_INPUT']);
        expect(response.errors?.[0]?.message, label).toBe(
          '"after" is not a cursor returned by this list.',
        );
        expect(at(response.data, list.path) ?? null, label).toBeNull();
      }
    },
  );

  it('a cursor of one sort order is refused by another', async () => {
    // given
    const [byCreation, byName] = LISTS;
    if (!byName || !byCreation) throw new Error('missing lists');
    const first = await page(byName, null);
    const cursor = at(first.data, byName.path).pageInfo.endCursor;

    // when
    const response = await page(byCreation, cursor);

    // then
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
