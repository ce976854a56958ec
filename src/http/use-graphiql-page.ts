import { createHash } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Plugin } from 'graphql-yoga';

const DEFAULT_QUERY = `# Sign in, then put the token in the Headers tab:
#   { "Authorization": "Bearer <token>" }
mutation SignIn {
  adminLogin(input: { username: "admin", password: "" }) {
    token
    expiresAt
    errors { code field message }
  }
}

query Me {
  viewer { id username email }
}
`;

/**
 * Serves GraphiQL from the bundled assets of @graphql-yoga/render-graphiql (no CDN). The page is
 * about 9 MB, so it is rendered once and revalidated with an ETag instead of sent again.
 */
export function useGraphiQLPage(endpoint: string): Plugin {
  let page: { html: string; etag: string } | undefined;
  const render = () => {
    const html = renderGraphiQL({
      title: 'Integrations Gateway',
      endpoint,
      defaultQuery: DEFAULT_QUERY,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
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
