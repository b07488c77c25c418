import { connect, createServer, type Socket } from 'node:net';
import type { OfficeDbConfig } from '../../main/db/postgres/connection.ts';

/** A TCP relay to the office's server that a test can cut (a network outage) and mend. */
export async function relay(target: OfficeDbConfig) {
  let cut = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (cut) return client.destroy();
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
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
    mend() {
      cut = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
