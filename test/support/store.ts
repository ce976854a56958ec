import { expect } from 'vitest';
import { seedDemoStore } from '../../src/seed/demo-store.js';
import { type AdminApp, adminApp, directIntegration } from './admin-client.js';
import type { ClientCredentials } from './oauth-client.js';
import { type JsonResponse, postGraphql, signGraphqlPost } from './oauth-flow.js';
import type { GraphQLResponse } from './test-app.js';

/** A fresh app over the deterministic demo store, with a signed-in admin. */
export async function demoStoreApp(env: Record<string, string> = {}): Promise<AdminApp> {
  const admin = await adminApp(env);
  expect(await seedDemoStore(admin.t.database.db)).toBe(true);
  return admin;
}

/** An ACTIVE integration (activated directly) granted `resources`, or every resource with 'ALL'. */
export async function integrationGranted(
  admin: AdminApp,
  resources: string[] | 'ALL',
): Promise<{ id: string; credentials: Required<ClientCredentials> }> {
  return directIntegration(
    admin,
    resources === 'ALL'
      ? { resourceAccess: 'ALL', resources: [] }
      : { resourceAccess: 'CUSTOM', resources },
  );
}

/** A signed JSON POST to /graphql with variables. */
export function signedGql(
  admin: AdminApp,
  credentials: ClientCredentials,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<JsonResponse> {
  return postGraphql(admin.t, JSON.stringify({ query, variables }), {
    authorization: signGraphqlPost(credentials),
  });
}

type Errors = GraphQLResponse['errors'] | JsonResponse['json']['errors'];

/** The path of an error joined by dots (`orders.nodes.0.customer`); '' for none. */
export const pathOf = (error: { message: string }): string =>
  ((error as { path?: (string | number)[] }).path ?? []).join('.');

/** Expects exactly one FORBIDDEN error per path, each naming `resource` as the missing one. */
export function expectForbidden(errors: Errors, paths: string[], resource: string): void {
  const list = errors ?? [];
  expect(list.map((error) => (error as { path?: unknown[] }).path?.join('.')).sort()).toEqual(
    [...paths].sort(),
  );
  for (const error of list) {
    expect(error.extensions?.code).toBe('FORBIDDEN');
    expect(error.extensions?.requiredResources).toEqual([resource]);
  }
}

/** Expects every error to be UNAUTHENTICATED and returns their paths. */
export function unauthenticatedPaths(errors: Errors): string[] {
  const list = errors ?? [];
  for (const error of list) expect(error.extensions?.code).toBe('UNAUTHENTICATED');
  return list.map((error) => (error as { path?: unknown[] }).path?.join('.') ?? '').sort();
}
