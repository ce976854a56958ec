/** A GraphQL-shaped error response for requests refused before execution. */
export function graphqlErrorResponse(
  Response: typeof globalThis.Response,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  extensions: Record<string, unknown> = {},
): Response {
  return new Response(
    JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] }),
    {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    },
  );
}

/** RFC 5849 §3.5.1: every 401 names the realm of the protected resources. */
export function oauthChallenge(publicBaseUrl: string): Record<string, string> {
  return { 'www-authenticate': `OAuth realm="${publicBaseUrl}"` };
}

/** 429 with Retry-After, in the shape of the GraphQL RATE_LIMITED error (`extensions.retryAfter`). */
export function tooManyRequests(
  Response: typeof globalThis.Response,
  retryAfterSeconds: number,
): Response {
  return graphqlErrorResponse(
    Response,
    429,
    'RATE_LIMITED',
    `Too many requests; retry in ${retryAfterSeconds} s.`,
    { 'retry-after': String(retryAfterSeconds) },
    { retryAfter: retryAfterSeconds },
  );
}
