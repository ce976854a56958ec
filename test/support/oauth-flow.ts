import { expect } from 'vitest';
import { type AdminApp, activate, adminApp } from './admin-client.js';
import {
  type CallbackListener,
  type ReceivedCallback,
  startListener,
} from './callback-listener.js';
import { type ClientCredentials, type ClientMethod, oauthHeader } from './oauth-client.js';
import type { TestApp } from './test-app.js';

// The OAuth side: the token exchange an integrator runs after activation, the token endpoints and
// signed GraphQL requests.

/** What clients sign (PUBLIC_BASE_URL) and what the tests fetch through yoga.fetch. */
export const SIGNED_ORIGIN = 'https://gateway.test';
export const FETCH_ORIGIN = 'http://gateway.test';
export const REQUEST_TOKEN_PATH = '/oauth/token/request';
export const ACCESS_TOKEN_PATH = '/oauth/token/access';
export const DONE_URL = `${SIGNED_ORIGIN}/oauth/integration/done`;
export const FORM_TYPE = 'application/x-www-form-urlencoded';
export const CHALLENGE = `OAuth realm="${SIGNED_ORIGIN}"`;
/** The body every uniform 401 of the token endpoints carries. */
const TOKEN_ENDPOINT_401 = 'oauth_problem=unauthorized';

// ---------------------------------------------------------------------------------------------
// The token exchange

/** An admin app that may post callbacks to loopback, and a listener there for them. */
export async function loopbackExchange(
  env: Record<string, string> = {},
): Promise<{ admin: AdminApp; listener: CallbackListener }> {
  const listener = await startListener();
  const admin = await adminApp({ CALLBACK_ALLOWED_HOSTS: '127.0.0.1', ...env });
  return { admin, listener };
}

export interface ExchangeCallback {
  consumerKey: string;
  consumerSecret: string;
  storeBaseUrl: string;
  verifier: string;
}

/**
 * Activates (or re-opens) the exchange, or starts a new one with `open` = reauthorize, and returns
 * the fields the listener received.
 */
export async function openExchange(
  admin: AdminApp,
  listener: CallbackListener,
  id: string,
  open: typeof activate = activate,
): Promise<ExchangeCallback> {
  const before = listener.received.length;
  const payload = await open(admin, id);
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

interface SignOptions {
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

/** The consumer key and secret of `credentials` with the token a token endpoint answered. */
export function withTokenFrom(
  { consumerKey, consumerSecret }: ClientCredentials,
  response: FormResponse,
): Required<ClientCredentials> {
  return {
    consumerKey,
    consumerSecret,
    token: response.form.get('oauth_token') ?? '',
    tokenSecret: response.form.get('oauth_token_secret') ?? '',
  };
}

/** /oauth/token/request for the consumer a callback delivered; fails the test unless it is 200. */
export async function issueRequestToken(
  t: TestApp,
  callback: ExchangeCallback,
): Promise<Required<ClientCredentials>> {
  const consumer = { consumerKey: callback.consumerKey, consumerSecret: callback.consumerSecret };
  const issued = await requestToken(t, consumer);
  expect(issued.status).toBe(200);
  return withTokenFrom(consumer, issued);
}

/** The integrator's side after the callback: a request token, then /oauth/token/access with `verifier`. */
export async function finishExchange(
  t: TestApp,
  callback: ExchangeCallback,
  verifier = callback.verifier,
): Promise<{ response: FormResponse; credentials: Required<ClientCredentials> }> {
  const request = await issueRequestToken(t, callback);
  const response = await accessToken(t, request, verifier);
  return { response, credentials: withTokenFrom(request, response) };
}

/** Runs activate → /oauth/token/request → /oauth/token/access and checks each step succeeded. */
export async function completeHandshake(
  admin: AdminApp,
  listener: CallbackListener,
  id: string,
): Promise<Handshake> {
  const callback = await openExchange(admin, listener, id);
  const { response, credentials } = await finishExchange(admin.t, callback);
  expect(response.status).toBe(200);
  return { integrationId: id, callback, credentials };
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
