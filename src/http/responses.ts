/** A GraphQL-shaped error response for requests refused before execution. */
export function graphqlErrorResponse(
  Response: typeof globalThis.Response,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** RFC 5849 §3.5.1: every 401 names the realm of the protected resources. */
export function oauthChallenge(publicBaseUrl: string): Record<string, string> {
  return { 'www-authenticate': `OAuth realm="${publicBaseUrl}"` };
}
