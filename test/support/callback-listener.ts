import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { onTestFinished } from 'vitest';

// Servers on loopback that stand in for an integrator's callback URL. Start them in a test or a
// beforeEach: each closes by itself when that test finishes.

export interface ReceivedCallback {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  form: URLSearchParams;
}

type CallbackHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface CallbackListener {
  port: number;
  /** http(s)://127.0.0.1:<port><path> */
  url(path?: string): string;
  received: ReceivedCallback[];
  /** Answers each request once its body has arrived; replace it to change the answer. */
  handler: CallbackHandler;
  /** Closes early; closing twice is harmless. */
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1:0 recording every request; answers 200 "ok" by default.
 * With `tls` (a key and certificate) it serves HTTPS instead.
 */
export async function startListener(
  handler: CallbackHandler = (_request, response) => response.end('ok'),
  options: { tls?: SecureContextOptions } = {},
): Promise<CallbackListener> {
  const received: ReceivedCallback[] = [];
  const open = new Set<ServerResponse>();
  const record = (request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
        form: new URLSearchParams(body),
      });
      open.add(response);
      response.on('close', () => open.delete(response));
      listener.handler(request, response);
    });
  };
  const server = options.tls ? createHttpsServer(options.tls, record) : createServer(record);
  const scheme = options.tls ? 'https' : 'http';
  let closed: Promise<void> | undefined;
  const listener: CallbackListener = {
    port: 0,
    url: (path = '/callback') => `${scheme}://127.0.0.1:${listener.port}${path}`,
    received,
    handler,
    close: () => {
      closed ??= closeServer(server, open);
      return closed;
    },
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  listener.port = (server.address() as AddressInfo).port;
  onTestFinished(() => listener.close());
  return listener;
}

function closeServer(server: Server | HttpsServer, open: Set<ServerResponse>): Promise<void> {
  for (const response of open) response.destroy();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A raw TCP server that only counts connections: proves no connection was attempted. */
export async function startConnectionCounter(
  host = '127.0.0.1',
): Promise<{ port: number; connections: () => number }> {
  let count = 0;
  const server = createTcpServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, connections: () => count };
}
