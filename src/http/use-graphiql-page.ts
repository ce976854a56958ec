import { createHash } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Plugin } from 'graphql-yoga';
import { CSRF_HEADER } from './session-cookie.js';

/** The document GraphiQL opens with: how to sign in, and where the admin console is. */
const defaultQuery = (consoleUrl: string) => `# Admins: the console is at ${consoleUrl}
# Signed in there? GraphiQL uses the same session (its cookie): run Me below.
#
# Or sign in here. With cookie: true the session is kept as a cookie GraphiQL
# sends by itself, nothing to copy. Without it, put the returned token in the
# Headers tab (kept for this page only): { "Authorization": "Bearer <token>" }
mutation SignIn {
  adminLogin(input: { username: "admin", password: "", cookie: true }) {
    token
    expiresAt
    errors { code field message }
  }
}

query Me {
  viewer { id username email }
}

mutation SignOut {
  adminLogout { loggedOut }
}
`;

/**
 * Serves GraphiQL from the bundled assets of @graphql-yoga/render-graphiql (no CDN). The page is
 * about 9 MB, so it is rendered once and revalidated with an ETag instead of sent again.
 * GraphiQL's requests send same-origin cookies and the CSRF header, so the console's session
 * cookie signs them in (src/http/session-cookie.ts).
 */
export function useGraphiQLPage(endpoint: string, consoleUrl: string): Plugin {
  let page: { html: string; etag: string } | undefined;
  const render = () => {
    const html = renderGraphiQL({
      title: 'Integrations Gateway',
      endpoint,
      defaultQuery: defaultQuery(consoleUrl),
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      credentials: 'same-origin',
      additionalHeaders: { [CSRF_HEADER]: 'graphiql' },
    });
    return { html, etag: `"${createHash('sha256').update(html).digest('base64url')}"` };
  };
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      // Whatever the query string: GraphiQL writes `?query=…` into the address bar, so a reload or
      // a bookmark must get the page back (which reads the query from there), not raw JSON.
      const wantsPage =
        request.method === 'GET' &&
        url.pathname === endpoint &&
        (request.headers.get('accept') ?? '').includes('text/html');
      if (!wantsPage) return;
      page ??= render();
      const headers = { etag: page.etag, 'cache-control': 'no-cache' };
      if (request.headers.get('if-none-match') === page.etag) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      endResponse(
        new fetchAPI.Response(page.html, {
          status: 200,
          headers: { ...headers, 'content-type': 'text/html; charset=utf-8' },
        }),
      );
    },
  };
}
