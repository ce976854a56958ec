import { expect } from 'vitest';
import type { ClientCredentials } from './oauth-client.js';
import { ADMIN_PASSWORD, createTestApp, type GraphQLResponse, type TestApp } from './test-app.js';

// The admin side of the control plane as the tests drive it: an app with a signed-in admin, the
// documents of the integration operations, and helpers that run them and fail the test on any error.

/** Every non-secret field of `Integration`. */
const INTEGRATION_FIELDS = /* GraphQL */ `
  id name email callbackUrl identityLinkUrl status setupType isSecure resourceAccess resources
  consumerKey hasAccessToken accessTokenIssuedAt createdAt updatedAt
`;
const ERROR_FIELDS = 'errors { code field message }';
const CREDENTIAL_FIELDS =
  'credentials { consumerKey consumerSecret accessToken accessTokenSecret }';
const TOKEN_EXCHANGE_FIELDS = 'tokenExchange { identityLinkUrl consumerKey expiresAt }';
/** What integrationActivate and integrationReauthorize answer, as the token exchange tests read it. */
const EXCHANGE_FIELDS = `integration { id status hasAccessToken } ${CREDENTIAL_FIELDS} ${TOKEN_EXCHANGE_FIELDS} ${ERROR_FIELDS}`;

/** A mutation of one integration that re-checks the admin's password. */
const passwordMutation = (operation: string, field: string, selection: string) => /* GraphQL */ `
  mutation ${operation}($id: ID!, $currentPassword: String!) {
    ${field}(id: $id, currentPassword: $currentPassword) { ${selection} }
  }
`;

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
export const DELETE = passwordMutation('Delete', 'integrationDelete', `deletedId ${ERROR_FIELDS}`);
export const ACTIVATE = passwordMutation(
  'Activate',
  'integrationActivate',
  `integration { ${INTEGRATION_FIELDS} } ${CREDENTIAL_FIELDS} ${ERROR_FIELDS}`,
);
export const REAUTHORIZE = passwordMutation(
  'Reauthorize',
  'integrationReauthorize',
  `integration { ${INTEGRATION_FIELDS} } ${CREDENTIAL_FIELDS} ${ERROR_FIELDS}`,
);
export const REVEAL = passwordMutation(
  'Reveal',
  'integrationCredentialsReveal',
  `${CREDENTIAL_FIELDS} ${ERROR_FIELDS}`,
);
export const CALLBACK_RETRY = passwordMutation(
  'Retry',
  'integrationCallbackRetry',
  `integration { id status callbackDelivery { status attempts lastError } }
   credentials { consumerKey } ${TOKEN_EXCHANGE_FIELDS} ${ERROR_FIELDS}`,
);
const ACTIVATE_EXCHANGE = passwordMutation('Activate', 'integrationActivate', EXCHANGE_FIELDS);
export const REAUTHORIZE_EXCHANGE = passwordMutation(
  'Reauthorize',
  'integrationReauthorize',
  EXCHANGE_FIELDS,
);
export const INTEGRATION = /* GraphQL */ `
  query Integration($id: ID!) { integration(id: $id) { ${INTEGRATION_FIELDS} } }
`;
export const INTEGRATION_STATUS = /* GraphQL */ `
  query Integration($id: ID!) {
    integration(id: $id) { id name status hasAccessToken lastUsedAt resources consumerKey }
  }
`;

/** Consumer keys and secrets, tokens and token secrets: 32 lowercase letters and digits. */
export const CREDENTIAL_FORMAT = /^[0-9a-z]{32}$/;

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string | null;
  accessTokenSecret: string | null;
}

export interface AdminApp {
  t: TestApp;
  token: string;
  /** `t.gql` with the admin's session. */
  gql(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
}

/** A fresh test app (see createTestApp) with the admin "admin" signed in. */
export async function adminApp(env: Record<string, string> = {}): Promise<AdminApp> {
  return signedInAdmin(await createTestApp(env));
}

/** Creates the admin "admin" on `t` and signs it in. */
export async function signedInAdmin(t: TestApp): Promise<AdminApp> {
  await t.createAdmin('admin');
  const token = await t.signIn();
  return { t, token, gql: (query, variables = {}) => t.gql(query, variables, { token }) };
}

/** Runs `document` with the session `token`; fails the test on a top-level error; returns data[field]. */
async function payloadOf(
  t: TestApp,
  token: string,
  document: string,
  variables: Record<string, unknown>,
  field: string,
): Promise<Record<string, any>> {
  const response = await t.gql(document, variables, { token });
  expect(response.errors).toBeUndefined();
  return response.data?.[field];
}

/** payloadOf, also failing the test when the payload reports errors. */
async function acceptedPayload(...args: Parameters<typeof payloadOf>) {
  const payload = await payloadOf(...args);
  expect(payload?.errors).toEqual([]);
  return payload;
}

const withPassword = (id: string) => ({ id, currentPassword: ADMIN_PASSWORD });

/** Creates an integration through GraphQL and returns it; fails the test on any error. */
export async function createIntegration(
  t: TestApp,
  token: string,
  input: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  const payload = await acceptedPayload(
    t,
    token,
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
    'integrationCreate',
  );
  return payload.integration;
}

/** Activates an integration through GraphQL and returns the four credentials. */
export async function activateIntegration(
  t: TestApp,
  token: string,
  id: string,
): Promise<Credentials> {
  return (await acceptedPayload(t, token, ACTIVATE, withPassword(id), 'integrationActivate'))
    .credentials;
}

/** The current credentials as integrationCredentialsReveal shows them. */
export async function revealCredentials(
  t: TestApp,
  token: string,
  id: string,
): Promise<Credentials> {
  return (await acceptedPayload(t, token, REVEAL, withPassword(id), 'integrationCredentialsReveal'))
    .credentials;
}

/** Creates an integration with a unique name; `input` overrides the defaults of createIntegration. */
export async function createIntegrationWith(
  { t, token }: AdminApp,
  input: Record<string, unknown>,
): Promise<{ id: string; name: string; consumerKey: string }> {
  return (await createIntegration(t, token, {
    name: `Integration ${Math.random().toString(36).slice(2, 10)}`,
    ...input,
  })) as { id: string; name: string; consumerKey: string };
}

/** An integration with both URLs, so activating it starts the token exchange. */
export function createExchangeIntegration(
  admin: AdminApp,
  callbackUrl: string,
  input: Record<string, unknown> = {},
) {
  return createIntegrationWith(admin, {
    callbackUrl,
    identityLinkUrl: 'https://id.example.com/link?a=1',
    ...input,
  });
}

/** integrationActivate's payload, errors included (the token exchange reports them there). */
export function activate({ t, token }: AdminApp, id: string) {
  return payloadOf(t, token, ACTIVATE_EXCHANGE, withPassword(id), 'integrationActivate');
}

/** integrationReauthorize's payload, errors included. */
export function reauthorize({ t, token }: AdminApp, id: string) {
  return payloadOf(t, token, REAUTHORIZE_EXCHANGE, withPassword(id), 'integrationReauthorize');
}

/** Credentials from an integrationActivate / integrationReauthorize payload, as clients sign with. */
export function signingCredentials(credentials: {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}): Required<ClientCredentials> {
  return {
    consumerKey: credentials.consumerKey,
    consumerSecret: credentials.consumerSecret,
    token: credentials.accessToken,
    tokenSecret: credentials.accessTokenSecret,
  };
}

/** Directly-activated integration (no URLs): credentials come from integrationActivate. */
export async function directIntegration(
  admin: AdminApp,
  input: Record<string, unknown> = {},
): Promise<{ id: string; credentials: Required<ClientCredentials> }> {
  const { id } = await createIntegrationWith(admin, input);
  const payload = await acceptedPayload(
    admin.t,
    admin.token,
    ACTIVATE_EXCHANGE,
    withPassword(id),
    'integrationActivate',
  );
  return { id, credentials: signingCredentials(payload.credentials) };
}

export async function updateSettings({ t, token }: AdminApp, change: Record<string, boolean>) {
  await acceptedPayload(
    t,
    token,
    /* GraphQL */ `
      mutation Settings($input: SecuritySettingsUpdateInput!) {
        securitySettingsUpdate(input: $input) { errors { code message } }
      }
    `,
    { input: { ...change, currentPassword: ADMIN_PASSWORD } },
    'securitySettingsUpdate',
  );
}
