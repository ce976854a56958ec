import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { oauthTokens } from '../../src/db/schema.js';
import { consumerRow, createIntegration } from './integrations.js';
import { type ClientCredentials, type ClientMethod, oauthHeader } from './oauth-client.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from './test-app.js';

/** What clients sign (PUBLIC_BASE_URL) and what the tests fetch through yoga.fetch. */
export const SIGNED_ORIGIN = 'https://gateway.test';
export const FETCH_ORIGIN = 'http://gateway.test';
export const REQUEST_TOKEN_PATH = '/oauth/token/request';
export const ACCESS_TOKEN_PATH = '/oauth/token/access';
export const DONE_URL = `${SIGNED_ORIGIN}/oauth/integration/done`;
export const FORM_TYPE = 'application/x-www-form-urlencoded';
export const CHALLENGE = `OAuth realm="${SIGNED_ORIGIN}"`;
/** The body every uniform 401 of the token endpoints carries. */
export const TOKEN_ENDPOINT_401 = 'oauth_problem=unauthorized';
export const CREDENTIAL = /^[0-9a-z]{32}$/;

// ---------------------------------------------------------------------------------------------
// Callback listeners on loopback

export interface ReceivedCallback {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  form: URLSearchParams;
}

export type CallbackHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface CallbackListener {
  port: number;
  /** http://127.0.0.1:<port><path> */
  url(path?: string): string;
  received: ReceivedCallback[];
  handler: CallbackHandler;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1:0 recording every request; answers 200 "ok" by default. */
export async function startListener(
  handler: CallbackHandler = (_request, response) => response.end('ok'),
): Promise<CallbackListener> {
  const received: ReceivedCallback[] = [];
  const open = new Set<ServerResponse>();
  const listener: CallbackListener = {
    port: 0,
    url: (path = '/callback') => `http://127.0.0.1:${listener.port}${path}`,
    received,
    handler,
    close: () => closeServer(server, open),
  };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
        form: new URLSearchParams(body),
      });
      open.add(response);
      response.on('close', () => open.delete(response));
      listener.handler(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  listener.port = (server.address() as AddressInfo).port;
  return listener;
}

function closeServer(server: Server, open: Set<ServerResponse>): Promise<void> {
  for (const response of open) response.destroy();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A raw TCP server that only counts connections: proves no connection was attempted. */
export async function startConnectionCounter(
  host = '127.0.0.1',
): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  let count = 0;
  const server: TcpServer = createTcpServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------
// Admin side

export const ACTIVATE_EXCHANGE = /* GraphQL */ `
  mutation Activate($id: ID!, $currentPassword: String!) {
    integrationActivate(id: $id, currentPassword: $currentPassword) {
      integration { id status hasAccessToken }
      credentials { consumerKey consumerSecret accessToken accessTokenSecret }
      tokenExchange { identityLinkUrl consumerKey expiresAt }
      errors { code field message }
    }
  }
`;

export const REAUTHORIZE_EXCHANGE = /* GraphQL */ `
  mutation Reauthorize($id: ID!, $currentPassword: String!) {
    integrationReauthorize(id: $id, currentPassword: $currentPassword) {
      integration { id status hasAccessToken }
      credentials { consumerKey consumerSecret accessToken accessTokenSecret }
      tokenExchange { identityLinkUrl consumerKey expiresAt }
      errors { code field message }
    }
  }
`;

export const INTEGRATION_STATUS = /* GraphQL */ `
  query Integration($id: ID!) {
    integration(id: $id) { id name status hasAccessToken lastUsedAt resources consumerKey }
  }
`;

export interface AdminApp {
  t: TestApp;
  token: string;
}

export async function adminApp(env: Record<string, string> = {}): Promise<AdminApp> {
  const t = await createTestApp(env);
  await t.createAdmin('admin');
  return { t, token: await t.signIn() };
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

export async function activate({ t, token }: AdminApp, id: string) {
  const response = await t.gql(
    ACTIVATE_EXCHANGE,
    { id, currentPassword: ADMIN_PASSWORD },
    { token },
  );
  expect(response.errors).toBeUndefined();
  return response.data?.integrationActivate;
}

export async function reauthorize({ t, token }: AdminApp, id: string) {
  const response = await t.gql(
    REAUTHORIZE_EXCHANGE,
    { id, currentPassword: ADMIN_PASSWORD },
    { token },
  );
  expect(response.errors).toBeUndefined();
  return response.data?.integrationReauthorize;
}

export interface ExchangeCallback {
  consumerKey: string;
  consumerSecret: string;
  storeBaseUrl: string;
  verifier: string;
}

/** Activates (or re-opens) the exchange and returns the fields the listener received. */
export async function openExchange(
  admin: AdminApp,
  listener: CallbackListener,
  id: string,
): Promise<ExchangeCallback> {
  const before = listener.received.length;
  const payload = await activate(admin, id);
  expect(payload.errors).toEqual([]);
  expect(listener.received).toHaveLength(before + 1);
  return callbackFields(listener.received[before] as ReceivedCallback);
}

export function callbackFields(received: ReceivedCallback): ExchangeCallback {
  const { form } = received;
  return {
    consumerKey: form.get('oauth_consumer_key') ?? '',
    consumerSecret: form.get('oauth_consumer_secret') ?? '',
    storeBaseUrl: form.get('store_base_url') ?? '',
    verifier: form.get('oauth_verifier') ?? '',
  };
}

export async function updateSettings({ t, token }: AdminApp, change: Record<string, boolean>) {
  const response = await t.gql(
    /* GraphQL */ `
      mutation Settings($input: SecuritySettingsUpdateInput!) {
        securitySettingsUpdate(input: $input) { errors { code message } }
      }
    `,
    { input: { ...change, currentPassword: ADMIN_PASSWORD } },
    { token },
  );
  expect(response.errors).toBeUndefined();
  expect(response.data?.securitySettingsUpdate.errors).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Client side

export interface FormResponse {
  status: number;
  headers: Headers;
  text: string;
  form: URLSearchParams;
}

/** A uniform 401 of the token endpoints: same body, form encoded, with the OAuth challenge. */
export function expectUnauthorized(response: FormResponse, label?: string): void {
  expect(response.status, label).toBe(401);
  expect(response.text, label).toBe(TOKEN_ENDPOINT_401);
  expect(response.headers.get('content-type'), label).toBe(FORM_TYPE);
  expect(response.headers.get('www-authenticate'), label).toBe(CHALLENGE);
}

/** A 400 of the token endpoints: a rejected parameter, form encoded, no challenge. */
export function expectBadRequest(response: FormResponse, label?: string): void {
  expect(response.status, label).toBe(400);
  expect(response.headers.get('content-type'), label).toBe(FORM_TYPE);
  expect(response.form.get('oauth_problem'), label).toBe('parameter_rejected');
  expect(response.headers.get('www-authenticate'), label).toBeNull();
}

export interface SignOptions {
  method?: ClientMethod;
  extra?: Record<string, string>;
}

/** The server clock in whole seconds, as an oauth_timestamp value. */
export const serverSeconds = (t: TestApp) => Math.floor(t.clock.now.getTime() / 1000);

export async function postForm(
  t: TestApp,
  path: string,
  init: { authorization?: string; method?: string; query?: string; body?: string } = {},
): Promise<FormResponse> {
  const headers: Record<string, string> = {};
  if (init.authorization) headers.authorization = init.authorization;
  if (init.body !== undefined) headers['content-type'] = FORM_TYPE;
  const response = await t.app.yoga.fetch(`${FETCH_ORIGIN}${path}${init.query ?? ''}`, {
    method: init.method ?? 'POST',
    headers,
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    form: new URLSearchParams(text),
  };
}

export function signRequestToken(
  credentials: ClientCredentials,
  options: SignOptions = {},
): string {
  return oauthHeader(
    { consumerKey: credentials.consumerKey, consumerSecret: credentials.consumerSecret },
    { url: `${SIGNED_ORIGIN}${REQUEST_TOKEN_PATH}`, method: 'POST' },
    options,
  );
}

export function requestToken(
  t: TestApp,
  credentials: ClientCredentials,
  options: SignOptions = {},
) {
  return postForm(t, REQUEST_TOKEN_PATH, {
    authorization: signRequestToken(credentials, options),
  });
}

export function signAccessToken(
  credentials: ClientCredentials,
  verifier: string | null,
  options: SignOptions = {},
): string {
  return oauthHeader(
    credentials,
    { url: `${SIGNED_ORIGIN}${ACCESS_TOKEN_PATH}`, method: 'POST' },
    {
      ...options,
      extra: { ...(verifier === null ? {} : { oauth_verifier: verifier }), ...options.extra },
    },
  );
}

export function accessToken(
  t: TestApp,
  credentials: ClientCredentials,
  verifier: string | null,
  options: SignOptions = {},
) {
  return postForm(t, ACCESS_TOKEN_PATH, {
    authorization: signAccessToken(credentials, verifier, options),
  });
}

export interface Handshake {
  integrationId: string;
  callback: ExchangeCallback;
  /** Consumer plus access token: what signed API calls use. */
  credentials: Required<ClientCredentials>;
}

/** Runs activate → /oauth/token/request → /oauth/token/access and checks each step succeeded. */
export async function completeHandshake(
  admin: AdminApp,
  listener: CallbackListener,
  id: string,
): Promise<Handshake> {
  const callback = await openExchange(admin, listener, id);
  const consumer = { consumerKey: callback.consumerKey, consumerSecret: callback.consumerSecret };
  const issued = await requestToken(admin.t, consumer);
  expect(issued.status).toBe(200);
  const exchanged = await accessToken(
    admin.t,
    {
      ...consumer,
      token: issued.form.get('oauth_token') ?? '',
      tokenSecret: issued.form.get('oauth_token_secret') ?? '',
    },
    callback.verifier,
  );
  expect(exchanged.status).toBe(200);
  return {
    integrationId: id,
    callback,
    credentials: {
      ...consumer,
      token: exchanged.form.get('oauth_token') ?? '',
      tokenSecret: exchanged.form.get('oauth_token_secret') ?? '',
    },
  };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  text: string;
  json: { data?: Record<string, any> | null; errors?: { message: string; extensions?: any }[] };
}

async function toJson(response: Response): Promise<JsonResponse> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
}

/** A signed JSON POST to /graphql; `authorization` overrides the signed header. */
export function signGraphqlPost(credentials: ClientCredentials, options: SignOptions = {}): string {
  return oauthHeader(credentials, { url: `${SIGNED_ORIGIN}/graphql`, method: 'POST' }, options);
}

export async function postGraphql(
  t: TestApp,
  body: string,
  headers: Record<string, string>,
): Promise<JsonResponse> {
  return toJson(
    await t.app.yoga.fetch(`${FETCH_ORIGIN}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    }),
  );
}

export function signedGraphql(
  t: TestApp,
  credentials: ClientCredentials,
  query: string,
  options: SignOptions = {},
): Promise<JsonResponse> {
  return postGraphql(t, JSON.stringify({ query }), {
    authorization: signGraphqlPost(credentials, options),
  });
}

export async function getGraphql(
  t: TestApp,
  search: string,
  headers: Record<string, string>,
): Promise<JsonResponse> {
  return toJson(
    await t.app.yoga.fetch(`${FETCH_ORIGIN}/graphql${search}`, { method: 'GET', headers }),
  );
}

/** Directly-activated integration (no URLs): credentials come from integrationActivate. */
export async function directIntegration(
  admin: AdminApp,
  input: Record<string, unknown> = {},
): Promise<{ id: string; credentials: Required<ClientCredentials> }> {
  const { id } = await createIntegrationWith(admin, input);
  const payload = await activate(admin, id);
  expect(payload.errors).toEqual([]);
  const c = payload.credentials;
  return {
    id,
    credentials: {
      consumerKey: c.consumerKey,
      consumerSecret: c.consumerSecret,
      token: c.accessToken,
      tokenSecret: c.accessTokenSecret,
    },
  };
}

/** Every token row of the integration's consumer. */
export async function tokenRowsOf(
  t: TestApp,
  integrationId: string,
  type?: 'verifier' | 'request' | 'access',
) {
  const consumer = await consumerRow(t, integrationId);
  const consumerId = consumer?.id ?? -1;
  return t.database.db
    .select()
    .from(oauthTokens)
    .where(
      type
        ? and(eq(oauthTokens.consumerId, consumerId), eq(oauthTokens.type, type))
        : eq(oauthTokens.consumerId, consumerId),
    );
}
