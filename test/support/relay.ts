import { connect, createServer, type Socket } from 'node:net';
import type { OfficeDbConfig } from '../../main/db/postgres/connection.ts';

/**
 * A TCP relay to the office's server that a test can cut (a network outage: every connection
 * closed, new ones refused), freeze (a PC gone dark: nothing passes any more, nothing is closed,
 * new connections hang) and mend.
 */
export async function relay(target: OfficeDbConfig) {
  let cut = false;
  let frozen = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (cut) return client.destroy();
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    // Bytes pass only while not frozen: a frozen link swallows them, as a dead network does.
    client.on('data', (data) => void (frozen || upstream.write(data)));
    upstream.on('data', (data) => void (frozen || client.write(data)));
    // A dark network carries no close either: the other end finds out by itself, or never.
    client.on('close', () => void (frozen || upstream.destroy()));
    upstream.on('close', () => void (frozen || client.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    config: { ...target, host: '127.0.0.1', port: address.port, connectTimeoutMs: 1000 },
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    freeze() {
      frozen = true;
    },
    mend() {
      cut = false;
      frozen = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
