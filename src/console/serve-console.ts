import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

/**
 * The admin console's static files, served from its build directory (CONSOLE_DIR, by default
 * `dist/console/`: `index.html` and hashed assets under `assets/`). Same origin as /graphql, so
 * the console is a client of the API like any other and its session cookie is SameSite=Strict.
 *
 * - Hashed assets (`assets/…`) are cached for a year (`immutable`); everything else, index.html
 *   first, is `no-cache` (revalidated with its ETag), so a new build is picked up on reload.
 * - Any other path without a file answers index.html (the console routes in the browser); a
 *   missing asset is a 404, never a page served as a script.
 * - The path is decoded once and refused (404) if any segment is `.`, `..` or hidden, contains a
 *   backslash or NUL, or resolves (symbolic links included) outside the build directory.
 * - Text files (the scripts are most of the first load) are gzipped for a client that accepts
 *   it, once per file version, with `Vary: Accept-Encoding` and an ETag of their own.
 * - No build (no index.html): 503 with a page saying how to build it.
 * - Every answer carries the console's Content-Security-Policy and the other headers below.
 */

/** The build command the 503 page names. */
const BUILD_COMMAND = 'npm run console:build';

/** Headers of every console response: no inline script or style, no framing, no referrer. */
const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; '),
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** Content types worth gzipping: text, including scripts, styles, JSON and SVG. */
const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json)|image\/svg\+xml)/;
const gzipped = promisify(gzip);
/** Compressed files kept in memory: a build has a few dozen; a rebuild starts again. */
const MAX_COMPRESSED_FILES = 256;

/** Whether an Accept-Encoding header accepts gzip (named, or `*`, with a q above 0). */
export function acceptsGzip(acceptEncoding: string | null): boolean {
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [coding = '', ...parameters] = part.split(';').map((piece) => piece.trim());
    if (coding !== 'gzip' && coding !== '*') continue;
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

const ASSETS_PREFIX = 'assets/';
const LONG_CACHE = 'public, max-age=31536000, immutable';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Admin console not built</title></head>
<body>
<h1>The admin console is not built</h1>
<p>This gateway serves the admin console from its build directory (<code>CONSOLE_DIR</code>,
by default <code>dist/console/</code> in the checkout), which has no <code>index.html</code>.</p>
<p>Build it with <code>${BUILD_COMMAND}</code>, then reload this page.</p>
</body>
</html>
`;

export interface ConsoleRequest {
  method: string;
  /** The URL path as received (percent-encoded), `basePath` itself or below it. */
  pathname: string;
  ifNoneMatch: string | null;
  acceptEncoding: string | null;
}

/** The path of a console file relative to the build directory ('' for the index), or null. */
function relativePath(pathname: string, basePath: string): string | null {
  const rest = pathname === basePath ? '' : pathname.slice(basePath.length + 1);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.'))) return null;
  return segments.join('/');
}

/** True when `path` is `dir` or inside it. */
const isInside = (dir: string, path: string) => path === dir || path.startsWith(dir + sep);

/** Whether the console's build is there (its index.html), for the startup log. */
export async function consoleIsBuilt(dir: string): Promise<boolean> {
  return (await stat(join(dir, 'index.html')).catch(() => null))?.isFile() ?? false;
}

/** Serves the console below `basePath` (e.g. `/admin`) from the build directory `dir`. */
export function createConsoleFiles(options: {
  dir: string;
  basePath: string;
  Response: typeof globalThis.Response;
}) {
  const dir = resolve(options.dir);
  const { basePath, Response } = options;
  const compressed = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

  function compressedFile(path: string, etag: string): Promise<Uint8Array<ArrayBuffer>> {
    const key = `${path} ${etag}`;
    let body = compressed.get(key);
    if (!body) {
      if (compressed.size >= MAX_COMPRESSED_FILES) compressed.clear();
      body = readFile(path).then(async (raw) => new Uint8Array(await gzipped(raw)));
      body.catch(() => compressed.delete(key));
      compressed.set(key, body);
    }
    return body;
  }

  const answer = (status: number, headers: Record<string, string>, body: BodyInit | null) =>
    new Response(body, { status, headers: { ...CONSOLE_SECURITY_HEADERS, ...headers } });
  const notFound = () =>
    answer(
      404,
      { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      'Not found.\n',
    );

  /** The file at `path` when it is a regular file inside the build directory, else null. */
  async function fileAt(
    path: string,
  ): Promise<{ path: string; size: number; mtimeMs: number } | null> {
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return null;
    const [realDir, realFile] = await Promise.all([realpath(dir), realpath(path)]);
    if (!isInside(realDir, realFile)) return null;
    return { path: realFile, size: info.size, mtimeMs: info.mtimeMs };
  }

  async function send(
    request: ConsoleRequest,
    file: { path: string; size: number; mtimeMs: number },
    cacheControl: string,
  ): Promise<Response> {
    const type = CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
    const compressible = COMPRESSIBLE.test(type);
    const gzip = compressible && acceptsGzip(request.acceptEncoding);
    const version = `${file.size.toString(16)}-${Math.trunc(file.mtimeMs).toString(16)}`;
    const etag = `"${version}${gzip ? '-gzip' : ''}"`;
    const headers = {
      'content-type': type,
      'cache-control': cacheControl,
      etag,
      ...(compressible ? { vary: 'Accept-Encoding' } : {}),
    };
    if (request.ifNoneMatch === etag) return answer(304, headers, null);
    if (gzip) {
      const body = await compressedFile(file.path, etag);
      return answer(
        200,
        { ...headers, 'content-encoding': 'gzip', 'content-length': String(body.length) },
        request.method === 'HEAD' ? null : body,
      );
    }
    const body = request.method === 'HEAD' ? null : await readFile(file.path);
    return answer(200, { ...headers, 'content-length': String(file.size) }, body);
  }

  return async function serve(request: ConsoleRequest): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return answer(
        405,
        {
          allow: 'GET, HEAD',
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': 'no-store',
        },
        'The console answers GET and HEAD only.\n',
      );
    }
    const relative = relativePath(request.pathname, basePath);
    if (relative === null) return notFound();
    const index = await fileAt(join(dir, 'index.html'));
    if (!index) {
      return answer(
        503,
        { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
        request.method === 'HEAD' ? null : NOT_BUILT_PAGE,
      );
    }
    const target = resolve(dir, relative);
    const file = relative === '' || !isInside(dir, target) ? null : await fileAt(target);
    if (file) {
      return send(request, file, relative.startsWith(ASSETS_PREFIX) ? LONG_CACHE : 'no-cache');
    }
    if (relative.startsWith(ASSETS_PREFIX)) return notFound();
    return send(request, index, 'no-cache');
  };
}
