import net from 'node:net';

/**
 * A TCP forwarder in front of a real service (PostgreSQL in the fault tests),
 * so a test can break the network under a running process: cut() drops every
 * live connection, refuse(true) stops listening (new connections get
 * ECONNREFUSED, as from a server that is down), restore() listens again on the
 * same port.
 */
export interface TcpProxy {
  port: number;
  /** Live client connections. */
  connections(): number;
  cut(): void;
  /**
   * Stops forwarding bytes on live connections without closing them (a partition that drops packets); cut()
   * ends it. New connections stall too, unless `existingOnly` (a connection whose path died while the server
   * stays reachable, e.g. a NAT or firewall entry dropped).
   */
  stall(options?: { existingOnly?: boolean }): void;
  refuse(on: boolean): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  /** Each client socket with its upstream socket. */
  const live = new Map<net.Socket, net.Socket>();
  let stalled = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    live.set(client, upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      live.delete(client);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
    if (stalled) {
      client.pause();
      upstream.pause();
    }
  });
  const listen = (port: number) =>
    new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolveListen();
      });
    });
  await listen(0);
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('tcp proxy: no TCP address');
  const port = address.port;
  const stopListening = () => new Promise<void>((resolveClose) => (server.listening ? server.close(() => resolveClose()) : resolveClose()));
  const proxy: TcpProxy = {
    port,
    connections: () => live.size,
    stall(options = {}) {
      stalled = !options.existingOnly;
      for (const [client, upstream] of live) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    cut() {
      stalled = false;
      for (const [client, upstream] of live) {
        client.destroy();
        upstream.destroy();
      }
      live.clear();
    },
    async refuse(on) {
      if (on) {
        // close() only stops accepting; the callback waits for live connections, which a cut() may still be ending.
        if (server.listening) server.close();
        return;
      }
      if (!server.listening) await listen(port);
    },
    restore: () => proxy.refuse(false),
    async close() {
      proxy.cut();
      await stopListening();
    },
  };
  return proxy;
}
