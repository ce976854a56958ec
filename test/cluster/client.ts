import { oauthHeader } from '../support/oauth-client.js';

export const PUBLIC_BASE_URL = 'https://cluster.test';
export const ADMIN_PASSWORD = 'cluster suite password 1';
const REQUEST_DEADLINE_MS = 15_000;

/** Markers that must never reach a client: driver errors, SQL, stack frames, internal paths. */
const INTERNALS =
  /\bER_[A-Z]|ECONN|PROTOCOL_|WSREP|Drizzle|SELECT |INSERT |mysql|\/src\/|at \w+ \(/;

type GqlJson = {
  data?: any;
  errors?: { message: string; extensions?: { code?: string } }[];
};

export interface Answer {
  status: number;
  json: GqlJson;
  text: string;
}

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

/** The first top-level error code of an answer ('' when none). */
export const codeOf = (answer: Answer) => answer.json.errors?.[0]?.extensions?.code ?? '';

/**
 * Every request a mode of the suite sends goes through one recorder, which counts what must
 * never happen on a cluster (a 500, a masked "Unexpected error.", a deadlock or another internal
 * in a body, a request hung past the deadline) and tallies the failures by status and message.
 */
export class Recorder {
  requests = 0;
  ok = 0;
  serverErrors = 0;
  masked = 0;
  deadlocks = 0;
  hung = 0;
  noConnection = 0;
  truncated = 0;
  readonly leaked: string[] = [];
  readonly failures = new Map<string, number>();

  async send(
    origin: string,
    path: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    this.requests += 1;
    const started = Date.now();
    try {
      const response = await fetch(`${origin}${path}`, {
        method: init.method ?? 'POST',
        headers: init.headers,
        body: init.body,
        signal: AbortSignal.timeout(REQUEST_DEADLINE_MS),
      });
      const text = await response.text();
      if (INTERNALS.test(text)) this.leaked.push(text.slice(0, 200));
      if (/deadlock/i.test(text)) this.deadlocks += 1;
      if (response.status >= 500 && response.status !== 503) this.serverErrors += 1;
      if (text.includes('Unexpected error.')) this.masked += 1;
      let json: GqlJson = {};
      try {
        json = JSON.parse(text);
      } catch {
        if (path === '/graphql') this.truncated += 1;
      }
      if (response.ok && !json.errors) this.ok += 1;
      else {
        const key = `${response.status} ${json.errors?.[0]?.message ?? ''}`.slice(0, 90);
        this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
      }
      return { status: response.status, json, text };
    } catch {
      if (Date.now() - started >= REQUEST_DEADLINE_MS) this.hung += 1;
      else this.noConnection += 1;
      return { status: 0, json: {}, text: '' };
    }
  }

  gql(
    origin: string,
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    return this.send(origin, '/graphql', {
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
  }

  /** A GraphQL request signed with OAuth 1.0a for the public origin (a fresh nonce). */
  signed(origin: string, query: string, credentials: Credentials): Promise<Answer> {
    return this.send(origin, '/graphql', signedInit(query, credentials));
  }
}

/** The request init of one signed GraphQL request: sending it twice replays its nonce. */
export function signedInit(query: string, credentials: Credentials) {
  return {
    headers: {
      'content-type': 'application/json',
      authorization: oauthHeader(credentials, {
        url: `${PUBLIC_BASE_URL}/graphql`,
        method: 'POST',
      }),
    },
    body: JSON.stringify({ query }),
  };
}

export const VIEWER = '{ viewerIntegration { id } }';
export const PRODUCTS = '{ products(first: 1) { nodes { sku } } }';
export const LOGIN = `mutation($u: String!, $p: String!) { adminLogin(input: { username: $u, password: $p }) { token } }`;
export const CREATE = `mutation($i: IntegrationCreateInput!) { integrationCreate(input: $i) { integration { id } errors { code } } }`;
export const UPDATE = `mutation($id: ID!, $i: IntegrationUpdateInput!) { integrationUpdate(id: $id, input: $i) { integration { id } errors { code } } }`;
export const DELETE = `mutation($id: ID!, $p: String!) { integrationDelete(id: $id, currentPassword: $p) { deletedId errors { code } } }`;
const CREDENTIALS = 'credentials { consumerKey consumerSecret accessToken accessTokenSecret }';
export const ACTIVATE = `mutation($id: ID!, $p: String!) { integrationActivate(id: $id, currentPassword: $p) { ${CREDENTIALS} errors { code } } }`;
export const REAUTHORIZE = `mutation($id: ID!, $p: String!) { integrationReauthorize(id: $id, currentPassword: $p) { ${CREDENTIALS} errors { code } } }`;
export const SETTINGS = `mutation($on: Boolean!, $p: String!) { securitySettingsUpdate(input: { allowAnonymousGuestAccess: $on, currentPassword: $p }) { securitySettings { allowAnonymousGuestAccess } errors { code } } }`;

/** Credentials as an activation or a rotation answers them, or null. */
export function credentialsFrom(payload: any): Credentials | null {
  const c = payload?.credentials;
  if (!c?.accessToken) return null;
  return {
    consumerKey: c.consumerKey,
    consumerSecret: c.consumerSecret,
    token: c.accessToken,
    tokenSecret: c.accessTokenSecret,
  };
}
