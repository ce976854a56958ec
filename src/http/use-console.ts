import type { Plugin } from 'graphql-yoga';
import { createConsoleFiles } from '../console/serve-console.js';

/**
 * Serves the admin console at `basePath` (`/admin` and everything below it) from its build
 * directory; see src/console/serve-console.ts for caching, the fallback to index.html, the
 * refused paths and the security headers. Needs no database, so it answers while starting.
 */
export function useConsole(basePath: string, dir: string): Plugin {
  let serve: ReturnType<typeof createConsoleFiles> | undefined;
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return;
      serve ??= createConsoleFiles({ dir, basePath, Response: fetchAPI.Response });
      return serve({
        method: request.method,
        pathname: url.pathname,
        ifNoneMatch: request.headers.get('if-none-match'),
        acceptEncoding: request.headers.get('accept-encoding'),
      }).then(endResponse);
    },
  };
}
