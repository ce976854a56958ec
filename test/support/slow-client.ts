import { connect } from 'node:net';

export interface SlowClient {
  /** The status of the server's answer, or null when it closed the connection without one. */
  status: Promise<number | null>;
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfterMs: Promise<number>;
  /** Everything the server sent so far. */
  received(): string;
  /** Stops sending and closes the connection. */
  stop(): void;
}

/**
 * A slowloris client on a raw socket: it sends `head` at once (or one byte per tick with
 * `dripHead`), then one body byte per `everyMs` for ever, until the server answers or closes.
 */
export async function slowClient(
  url: string,
  options: { head: string; everyMs: number; dripHead?: boolean; localAddress?: string },
): Promise<SlowClient> {
  const { hostname, port } = new URL(url);
  const socket = connect({
    host: hostname.replace(/^\[|\]$/g, ''),
    port: Number(port),
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  // Writes racing the server's close fail with EPIPE or ECONNRESET; the close is what we observe.
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const started = performance.now();
  const pending = options.dripHead ? [...options.head] : [];
  if (!options.dripHead) socket.write(options.head);
  const ticker = setInterval(() => {
    if (!socket.destroyed) socket.write(pending.shift() ?? 'a');
  }, options.everyMs);

  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  const closedAfterMs = new Promise<number>((resolve) =>
    socket.once('close', () => {
      clearInterval(ticker);
      resolve(performance.now() - started);
    }),
  );
  const status = new Promise<number | null>((resolve) => {
    const look = () => {
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(received);
      if (match) resolve(Number(match[1]));
    };
    socket.on('data', look);
    socket.once('close', () => resolve(null));
  });
  return {
    status,
    closedAfterMs,
    received: () => received,
    stop: () => {
      clearInterval(ticker);
      socket.destroy();
    },
  };
}

/** The head of a POST /graphql that announces `contentLength` bytes of JSON. */
export const postHead = (contentLength: number, headers: Record<string, string> = {}) =>
  'POST /graphql HTTP/1.1\r\nHost: gateway.test\r\nContent-Type: application/json\r\n' +
  `Content-Length: ${contentLength}\r\n` +
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('') +
  '\r\n';
