import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../app.js';
import type { Limits } from '../config/limits.js';
import type { TrustedProxyRange } from '../config/trusted-proxies.js';
import { isPoolExhausted } from '../db/errors.js';
import type { Logger } from '../logging/logger.js';
import { clientAddressResolver } from './client-address.js';
import { type FrontContext, requestIdFrom } from './request-meta.js';

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting, lets in-flight requests finish within `drainMs`, then drops what is left. */
  close(drainMs?: number): Promise<void>;
}

export interface FrontOptions {
  limits: Limits;
  trustedProxies: readonly TrustedProxyRange[];
  logger: Logger;
}

const ALWAYS_ANSWERED = new Set(['/health', '/metrics']);

class BodyTooLarge extends Error {}

/** Reads a request body, refusing it as soon as it exceeds `max` bytes (chunked bodies too). */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function answer(
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
  body = '',
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-content-type-options': 'nosniff',
    ...(status === 413 ? { connection: 'close' } : {}),
    ...headers,
  });
  res.end(body);
}

const overloaded = JSON.stringify({
  errors: [
    { message: 'The server is busy; retry shortly.', extensions: { code: 'SERVICE_UNAVAILABLE' } },
  ],
});
const tooLarge = JSON.stringify({
  errors: [
    { message: 'The request body is too large.', extensions: { code: 'PAYLOAD_TOO_LARGE' } },
  ],
});

/**
 * The HTTP front of the gateway: bounds bodies (413 before any parsing), concurrency (503 with
 * Retry-After beyond MAX_IN_FLIGHT_REQUESTS, /health excepted) and time (503 after
 * REQUEST_DEADLINE_MS), then hands a buffered request to Yoga and writes its response.
 */
export function createRequestHandler(app: App, options: FrontOptions, isClosing: () => boolean) {
  const { limits, logger } = options;
  const clientOf = clientAddressResolver(options.trustedProxies);
  let inFlight = 0;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const clientIp = clientOf(req);
    // While draining, every answer closes its keep-alive socket, so clients reconnect elsewhere.
    if (isClosing()) res.setHeader('connection', 'close');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const exempt = ALWAYS_ANSWERED.has(path);
    if (!exempt && inFlight >= limits.MAX_IN_FLIGHT_REQUESTS) {
      answer(res, 503, { 'retry-after': '1' }, overloaded);
      req.resume();
      return;
    }
    if (!exempt) inFlight += 1;
    const deadline = setTimeout(
      () => answer(res, 503, { 'retry-after': '1' }, overloaded),
      limits.REQUEST_DEADLINE_MS,
    );
    try {
      const method = req.method ?? 'GET';
      const body =
        method === 'GET' || method === 'HEAD'
          ? undefined
          : await readBody(req, limits.MAX_BODY_BYTES);
      // Yoga's Node adapter takes an already-read body from `req.body`, as behind body-parser.
      if (body) (req as IncomingMessage & { body?: Buffer }).body = body;
      const context: FrontContext = { req, res, requestId, clientIp };
      const response = await app.yoga.handleNodeRequestAndResponse(req, res, context);
      const payload = Buffer.from(await response.arrayBuffer());
      if (res.headersSent) return;
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(payload);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        answer(res, 413, {}, tooLarge);
        req.destroy();
      } else if (isPoolExhausted(error)) {
        answer(res, 503, { 'retry-after': '1' }, overloaded);
      } else {
        logger.error({ err: error, requestId }, 'request failed before GraphQL handling');
        answer(res, 500, {}, JSON.stringify({ errors: [{ message: 'Unexpected error.' }] }));
      }
    } finally {
      clearTimeout(deadline);
      if (!exempt) inFlight -= 1;
    }
  };
}

export async function startHttpServer(
  app: App,
  options: FrontOptions & { host: string; port: number },
): Promise<RunningServer> {
  const { limits } = options;
  let closing = false;
  const handler = createRequestHandler(app, options, () => closing);
  const server = createServer(
    { maxHeaderSize: limits.HTTP_MAX_HEADER_BYTES, requestTimeout: limits.HTTP_REQUEST_TIMEOUT_MS },
    (req, res) => void handler(req, res),
  );
  server.headersTimeout = limits.HTTP_HEADERS_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${hostForUrl}:${address.port}`,
    close: (drainMs = 10_000) =>
      new Promise<void>((resolve) => {
        closing = true;
        const forceTimer = setTimeout(() => server.closeAllConnections(), drainMs);
        forceTimer.unref();
        server.close(() => {
          clearTimeout(forceTimer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
