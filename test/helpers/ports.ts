import net from 'node:net';

/**
 * A loopback port nothing listens on (bound, read and released): for a service that is "down", or for a
 * server a test starts on it next.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
