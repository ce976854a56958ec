import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { App } from '../app.js';
import type { Limits } from '../config/limits.js';
import type { TrustedProxyRange } from '../config/trusted-proxies.js';
import { isConnectionError, isPoolExhausted } from '../db/driver-errors.js';
import type { Logger } from '../logging/logger.js';
import { createAdmission, type Ticket, UNLIMITED } from './admission.js';
import { clientAddressResolver } from './client-address.js';
import {
  DATABASE_UNAVAILABLE_MESSAGE,
  DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS,
} from './mask-error.js';
import { throttledLog } from './throttled-log.js';
import { type FrontContext, requestIdFrom } from './use-request-meta.js';

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
/** How often Node looks for requests past HTTP_HEADERS_TIMEOUT_MS or HTTP_REQUEST_TIMEOUT_MS. */
const TIMEOUT_CHECK_INTERVAL_MS = 500;
const ABORT_LOG_WINDOW_MS = 60_000;

class BodyTooLarge extends Error {}
/** The body stopped arriving: the client went away, or its socket was closed under it. */
class BodyAborted extends Error {}

/** Reads a request body, refusing it as soon as it exceeds `max` bytes (chunked bodies too). */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > max) throw new BodyTooLarge();
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    throw error instanceof BodyTooLarge ? error : new BodyAborted();
  }
  return Buffer.concat(chunks);
}

const errorBody = (code: string, message: string) =>
  JSON.stringify({ errors: [{ message, extensions: { code } }] });
const overloaded = errorBody('SERVICE_UNAVAILABLE', 'The server is busy; retry shortly.');
const tooLarge = errorBody('PAYLOAD_TOO_LARGE', 'The request body is too large.');
const databaseUnavailable = errorBody('SERVICE_UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE);

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
    ...headers,
  });
  res.end(body);
}

/**
 * 503 with Retry-After, closing the connection: whatever of the body is still on its way is not
 * waited for, and a refused client does not keep a socket.
 */
const answerBusy = (res: ServerResponse) =>
  answer(res, 503, { 'retry-after': '1', connection: 'close' }, overloaded);

const hasBody = (req: IncomingMessage) => req.method !== 'GET' && req.method !== 'HEAD';

/**
 * The HTTP front of the gateway: tags every response with X-Request-Id, bounds bodies (413 before
 * any parsing), concurrency (see createAdmission; 503 with Retry-After beyond it, a GET of
 * /health and /metrics excepted) and time (503 after REQUEST_DEADLINE_MS, which also frees the
 * slot and closes the socket), then hands a buffered request to Yoga and writes its response.
 */
function createRequestHandler(app: App, options: FrontOptions, isClosing: () => boolean) {
  const { limits, logger } = options;
  const admission = createAdmission(limits);
  const clientOf = clientAddressResolver(options.trustedProxies);
  // A client hanging up mid-upload (or cut off by a timeout) is no fault of the server, and a
  // flood of them must not flood the log.
  const logAbort = throttledLog(
    logger,
    'info',
    'request body cut short: the client left or timed out',
    ABORT_LOG_WINDOW_MS,
  );

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const clientIp = clientOf(req);
    // While draining, every answer closes its keep-alive socket, so clients reconnect elsewhere.
    if (isClosing()) res.setHeader('connection', 'close');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const ticket: Ticket | null =
      ALWAYS_ANSWERED.has(path) && !hasBody(req)
        ? UNLIMITED
        : admission.admit(clientIp ?? 'unknown');
    if (!ticket) return answerBusy(res);

    let expired = false;
    const deadline = setTimeout(() => {
      expired = true;
      ticket.release();
      answerBusy(res);
    }, limits.REQUEST_DEADLINE_MS);
    try {
      let body: Buffer | undefined;
      if (hasBody(req)) {
        // By the next turn of the event loop the parser has handed over the body bytes that came
        // with the headers: a body already here needs no upload slot, so drips cannot block it.
        await nextTurn();
        if (!req.complete && !ticket.startUpload()) return answerBusy(res);
        body = await readBody(req, limits.MAX_BODY_BYTES);
      }
      if (!ticket.startWork()) return answerBusy(res);
      // Yoga's Node adapter takes an already-read body from `req.body`, as behind body-parser.
      if (body) (req as IncomingMessage & { body?: Buffer }).body = body;
      const context: FrontContext = { req, res, requestId, clientIp };
      const response = await app.yoga.handleNodeRequestAndResponse(req, res, context);
      const payload = Buffer.from(await response.arrayBuffer());
      if (res.headersSent) return;
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(payload);
    } catch (error) {
      if (expired) return;
      if (error instanceof BodyTooLarge) {
        answer(res, 413, { connection: 'close' }, tooLarge);
        req.destroy();
      } else if (error instanceof BodyAborted) {
        logAbort({ requestId, clientIp, path });
      } else if (isPoolExhausted(error)) {
        answer(res, 503, { 'retry-after': '1' }, overloaded);
      } else if (isConnectionError(error)) {
        // Authentication reads the database before GraphQL runs; Yoga's masking never sees this.
        logger.warn({ err: error, requestId }, 'database unreachable before GraphQL handling');
        const retryAfter = String(DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS);
        answer(res, 503, { 'retry-after': retryAfter }, databaseUnavailable);
      } else {
        logger.error({ err: error, requestId }, 'request failed before GraphQL handling');
        answer(res, 500, {}, errorBody('INTERNAL_SERVER_ERROR', 'Unexpected error.'));
      }
    } finally {
      clearTimeout(deadline);
      ticket.release();
    }
  };
}

const PARSER_REFUSALS: Record<string, [status: number, code: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'The request headers are too large.'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'PAYLOAD_TOO_LARGE', 'The chunk extensions are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time.'],
};

/**
 * Node's own answers (malformed HTTP, headers too large, HTTP_HEADERS_TIMEOUT_MS or
 * HTTP_REQUEST_TIMEOUT_MS passed), in the front's shape and with an X-Request-Id: the request's
 * own when its handler had begun, else a new one.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // Node's default handler writes nothing over a response already under way, nor to a peer gone.
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, code, message] = PARSER_REFUSALS[error.code ?? ''] ?? [
    400,
    'BAD_REQUEST',
    'The request is not valid HTTP.',
  ];
  const body = errorBody(code, message);
  const requestId = inFlight?.getHeader('x-request-id') ?? randomUUID();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'connection: close\r\n' +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      'x-content-type-options: nosniff\r\n' +
      `x-request-id: ${String(requestId)}\r\n\r\n${body}`,
  );
  socket.destroySoon();
}

export async function startHttpServer(
  app: App,
  options: FrontOptions & { host: string; port: number },
): Promise<RunningServer> {
  const { limits } = options;
  let closing = false;
  const handler = createRequestHandler(app, options, () => closing);
  const server = createServer(
    {
      maxHeaderSize: limits.HTTP_MAX_HEADER_BYTES,
      requestTimeout: limits.HTTP_REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    (req, res) => void handler(req, res),
  );
  server.headersTimeout = limits.HTTP_HEADERS_TIMEOUT_MS;
  server.on('clientError', answerClientError);
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
