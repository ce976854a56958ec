import { print } from '@0no-co/graphql.web';
import type { TadaDocumentNode } from 'gql.tada';

/** The console is a client of /graphql like any other: same origin, the session cookie. */
const ENDPOINT = '/graphql';

interface ApiError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; retryAfter?: number; [key: string]: unknown };
}

/** A top-level error of the response (authentication, re-authentication, lockout, limits). */
export class TopLevelError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

type SessionListener = (reason: 'expired' | 'locked') => void;
let onSessionLost: SessionListener = () => {};

/** Called when a request finds the session gone (signed out elsewhere, expired, locked). */
export function setSessionListener(listener: SessionListener): void {
  onSessionLost = listener;
}

/**
 * Runs one document. Payload errors (`errors[]` of a mutation payload) stay in `data`; a
 * top-level error is thrown as TopLevelError. Nothing here logs or stores what was sent: the
 * variables can hold the admin's password.
 */
export async function request<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  options: { signIn?: boolean } = {},
): Promise<Result> {
  const response = await fetch(ENDPOINT, {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      // A header a cross-site form cannot send: the server requires it with the session cookie.
      'x-graphql-yoga-csrf': 'console',
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  let body: { data?: Result | null; errors?: ApiError[] };
  try {
    body = await response.json();
  } catch {
    throw new TopLevelError('HTTP_ERROR', `The server answered ${response.status}.`);
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? 'UNKNOWN';
    if (!options.signIn && code === 'UNAUTHENTICATED') onSessionLost('expired');
    if (!options.signIn && code === 'ACCOUNT_LOCKED') onSessionLost('locked');
    throw new TopLevelError(code, first.message, first.extensions?.retryAfter);
  }
  if (!body.data) throw new TopLevelError('HTTP_ERROR', `The server answered ${response.status}.`);
  return body.data;
}

/** Errors of a mutation payload, by input field (`input.name` → `name`); `''` for the whole input. */
export function errorsByField(
  errors: readonly { field: string | null; message: string }[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const error of errors) {
    const key = (error.field ?? '').replace(/^input\./, '');
    out[key] = out[key] ? `${out[key]} ${error.message}` : error.message;
  }
  return out;
}
