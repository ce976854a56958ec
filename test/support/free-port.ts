import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A loopback port free at the moment of asking, for a process that must know its port up front. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once a process accepts connections on 127.0.0.1:`port`; rejects after `timeoutMs`. */
export async function accepting(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(true)).on('error', () =>
        resolve(false),
      );
      socket.unref();
      socket.once('connect', () => socket.end());
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`nothing accepted on port ${port} in ${timeoutMs} ms`);
    await sleep(50);
  }
}
