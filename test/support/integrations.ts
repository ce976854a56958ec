import { and, count, eq } from 'drizzle-orm';
import type { MySqlTable } from 'drizzle-orm/mysql-core';
import { expect } from 'vitest';
import {
  auditLog,
  integrationAclGrants,
  integrations,
  oauthConsumers,
  oauthTokens,
} from '../../src/db/schema.js';
import { ADMIN_PASSWORD, type TestApp } from './test-app.js';

/** Every non-secret field of `Integration`. */
export const INTEGRATION_FIELDS = /* GraphQL */ `
  id name email callbackUrl identityLinkUrl status setupType isSecure resourceAccess resources
  consumerKey hasAccessToken accessTokenIssuedAt createdAt updatedAt
`;
const ERROR_FIELDS = 'errors { code field message }';
const CREDENTIAL_FIELDS =
  'credentials { consumerKey consumerSecret accessToken accessTokenSecret }';

export const CREATE = /* GraphQL */ `
  mutation Create($input: IntegrationCreateInput!) {
    integrationCreate(input: $input) { integration { ${INTEGRATION_FIELDS} } ${ERROR_FIELDS} }
  }
`;
export const UPDATE = /* GraphQL */ `
  mutation Update($id: ID!, $input: IntegrationUpdateInput!) {
    integrationUpdate(id: $id, input: $input) { integration { ${INTEGRATION_FIELDS} } ${ERROR_FIELDS} }
  }
`;
export const DELETE = /* GraphQL */ `
  mutation Delete($id: ID!, $currentPassword: String!) {
    integrationDelete(id: $id, currentPassword: $currentPassword) { deletedId ${ERROR_FIELDS} }
  }
`;
export const ACTIVATE = /* GraphQL */ `
  mutation Activate($id: ID!, $currentPassword: String!) {
    integrationActivate(id: $id, currentPassword: $currentPassword) {
      integration { ${INTEGRATION_FIELDS} } ${CREDENTIAL_FIELDS} ${ERROR_FIELDS}
    }
  }
`;
export const REAUTHORIZE = /* GraphQL */ `
  mutation Reauthorize($id: ID!, $currentPassword: String!) {
    integrationReauthorize(id: $id, currentPassword: $currentPassword) {
      integration { ${INTEGRATION_FIELDS} } ${CREDENTIAL_FIELDS} ${ERROR_FIELDS}
    }
  }
`;
export const REVEAL = /* GraphQL */ `
  mutation Reveal($id: ID!, $currentPassword: String!) {
    integrationCredentialsReveal(id: $id, currentPassword: $currentPassword) {
      ${CREDENTIAL_FIELDS} ${ERROR_FIELDS}
    }
  }
`;
export const CALLBACK_RETRY = /* GraphQL */ `
  mutation Retry($id: ID!, $currentPassword: String!) {
    integrationCallbackRetry(id: $id, currentPassword: $currentPassword) {
      integration { id status callbackDelivery { status attempts lastError } }
      credentials { consumerKey }
      tokenExchange { identityLinkUrl consumerKey expiresAt }
      ${ERROR_FIELDS}
    }
  }
`;
export const INTEGRATION = /* GraphQL */ `
  query Integration($id: ID!) { integration(id: $id) { ${INTEGRATION_FIELDS} } }
`;

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string | null;
  accessTokenSecret: string | null;
}

export const KEY_FORMAT = /^[0-9a-z]{32}$/;

/** Creates an integration through GraphQL and returns it; fails the test on any error. */
export async function createIntegration(
  t: TestApp,
  token: string,
  input: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  const response = await t.gql(
    CREATE,
    {
      input: {
        name: 'Acme ERP',
        resourceAccess: 'CUSTOM',
        resources: ['Magento_Sales::sales'],
        currentPassword: ADMIN_PASSWORD,
        ...input,
      },
    },
    { token },
  );
  expect(response.errors).toBeUndefined();
  expect(response.data?.integrationCreate.errors).toEqual([]);
  return response.data?.integrationCreate.integration;
}

/** Activates an integration through GraphQL and returns the four credentials. */
export async function activateIntegration(
  t: TestApp,
  token: string,
  id: string,
): Promise<Credentials> {
  const response = await t.gql(ACTIVATE, { id, currentPassword: ADMIN_PASSWORD }, { token });
  expect(response.errors).toBeUndefined();
  expect(response.data?.integrationActivate.errors).toEqual([]);
  return response.data?.integrationActivate.credentials;
}

/** The current credentials as integrationCredentialsReveal shows them. */
export async function revealCredentials(
  t: TestApp,
  token: string,
  id: string,
): Promise<Credentials> {
  const response = await t.gql(REVEAL, { id, currentPassword: ADMIN_PASSWORD }, { token });
  expect(response.errors).toBeUndefined();
  expect(response.data?.integrationCredentialsReveal.errors).toEqual([]);
  return response.data?.integrationCredentialsReveal.credentials;
}

export async function countRows(t: TestApp, table: MySqlTable): Promise<number> {
  const [row] = await t.database.db.select({ value: count() }).from(table);
  return row?.value ?? 0;
}

export async function integrationRow(t: TestApp, id: string | number) {
  const [row] = await t.database.db
    .select()
    .from(integrations)
    .where(eq(integrations.id, Number(id)));
  return row ?? null;
}

export async function consumerRow(t: TestApp, integrationId: string | number) {
  const [row] = await t.database.db
    .select()
    .from(oauthConsumers)
    .where(eq(oauthConsumers.integrationId, Number(integrationId)));
  return row ?? null;
}

export async function accessTokenRows(t: TestApp, consumerId: number) {
  return t.database.db
    .select()
    .from(oauthTokens)
    .where(and(eq(oauthTokens.consumerId, consumerId), eq(oauthTokens.type, 'access')));
}

export async function grantRows(t: TestApp, integrationId: string | number): Promise<string[]> {
  const rows = await t.database.db
    .select({ resourceId: integrationAclGrants.resourceId })
    .from(integrationAclGrants)
    .where(eq(integrationAclGrants.integrationId, Number(integrationId)));
  return rows.map((row) => row.resourceId).sort();
}

export async function auditRows(t: TestApp, action?: string) {
  const rows = await t.database.db.select().from(auditLog).orderBy(auditLog.id);
  return action ? rows.filter((row) => row.action === action) : rows;
}

/** Marks an integration as declared in configuration, as a config sync would. */
export async function makeConfigIntegration(t: TestApp, id: string | number): Promise<void> {
  await t.database.db
    .update(integrations)
    .set({ setupType: 'CONFIG' })
    .where(eq(integrations.id, Number(id)));
}
