/** The benchmark's scenarios: the GraphQL document sent to the gateway and who sends it. */

import { SecretBox } from '../src/crypto/secret-box.js';
import { cursorCodecOf } from '../src/db/page.js';

type Caller = 'signedCustom' | 'signedAll' | 'anonymous' | 'admin';

export interface Scenario {
  /** Short id; the baseline serves it at POST /<id>. */
  id: string;
  title: string;
  caller: Caller;
  query: string;
  /** Variables of each request, used in turn (one entry when they never change). */
  variables: Record<string, unknown>[];
  /** True when gateway and baseline must answer with equal data (reads). */
  comparable: boolean;
}

export const PRODUCTS = /* GraphQL */ `query Products($first: Int) {
  products(first: $first) { nodes { sku name price quantity } }
}`;

export const ORDERS = /* GraphQL */ `query Orders($first: Int) {
  orders(first: $first) { nodes { incrementId status customer { email } items { sku qty price } } }
}`;

const GUEST = /* GraphQL */ `query Guest {
  cmsPage(identifier: "home") { title content }
  products(first: 10) { nodes { sku name price } }
}`;

export const INTEGRATIONS = /* GraphQL */ `query Integrations($first: Int) {
  integrations(first: $first) { nodes { id name status isSecure } }
}`;

const REAUTHORIZE = /* GraphQL */ `mutation Reauthorize($id: ID!, $currentPassword: String!) {
  integrationReauthorize(id: $id, currentPassword: $currentPassword) {
    credentials { accessToken accessTokenSecret }
    errors { code message }
  }
}`;

const ORDER_PAGE = /* GraphQL */ `query OrderPage($after: String) {
  orders(first: 50, after: $after) {
    nodes { incrementId status grandTotal }
    pageInfo { hasNextPage endCursor }
  }
}`;

export function scenarios(options: {
  reauthorizeIds: number[];
  adminPassword: string;
  orderCount: number;
  /** base64, as CREDENTIALS_ENCRYPTION_KEY: order-list cursors are signed with a key from it. */
  encryptionKey: string;
}): Scenario[] {
  const cursors = cursorCodecOf(new SecretBox(Buffer.from(options.encryptionKey, 'base64')));
  // the keyset cursor of the order list: `[id]` of the last order seen
  const deepCursor = cursors.encode([Math.floor(options.orderCount / 2)]);
  return [
    {
      id: 's1',
      title: '1 signed products(first: 20)',
      caller: 'signedCustom',
      query: PRODUCTS,
      variables: [{ first: 20 }],
      comparable: true,
    },
    {
      id: 's2',
      title: '2 signed orders(first: 50) nested',
      caller: 'signedCustom',
      query: ORDERS,
      variables: [{ first: 50 }],
      comparable: true,
    },
    {
      id: 's3',
      title: '3 guest cmsPage + products(first: 10)',
      caller: 'anonymous',
      query: GUEST,
      variables: [{}],
      comparable: true,
    },
    {
      id: 's4',
      title: '4 admin integrations(first: 100)',
      caller: 'admin',
      query: INTEGRATIONS,
      variables: [{ first: 100 }],
      comparable: true,
    },
    {
      id: 's5',
      title: '5 admin integrationReauthorize',
      caller: 'admin',
      query: REAUTHORIZE,
      variables: options.reauthorizeIds.map((id) => ({
        id: String(id),
        currentPassword: options.adminPassword,
      })),
      comparable: false,
    },
    {
      id: 's6a',
      title: '6a signed orders page 1',
      caller: 'signedAll',
      query: ORDER_PAGE,
      variables: [{}],
      comparable: true,
    },
    {
      id: 's6b',
      title: `6b signed orders after id ${Math.floor(options.orderCount / 2)}`,
      caller: 'signedAll',
      query: ORDER_PAGE,
      variables: [{ after: deepCursor }],
      comparable: true,
    },
  ];
}
