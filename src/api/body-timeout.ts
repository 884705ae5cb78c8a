import { STATUS_CODES } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors';

/**
 * Closes a connection whose request body stops arriving for `idleMs`. Node's own limits do not cover it: the
 * request timeout bounds the whole request, which a large upload on a slow link legitimately takes minutes over,
 * and fastify turns it off by default (a body that stopped after 9 of 100 bytes held its connection for 400+ s,
 * with no authentication). The socket's idle timer is armed only while the body is being received and put
 * back once it has arrived, so a long answer or SSE stream, which writes on its own schedule, is never cut.
 */
export function registerBodyIdleTimeout(app: FastifyInstance, idleMs: number): void {
  app.addHook('onRequest', async (request, reply) => {
    const raw = request.raw;
    const hasBody = raw.headers['transfer-encoding'] !== undefined || (raw.headers['content-length'] !== undefined && raw.headers['content-length'] !== '0');
    if (raw.complete || !hasBody) return;
    const socket = raw.socket;
    // inject() (tests) hands in a stand-in socket without timers.
    if (typeof socket?.setTimeout !== 'function') return;
    const previous = socket.timeout ?? 0;
    const onTimeout = () => {
      // The client sent nothing for idleMs in the middle of its body: answer 408 if nothing was sent yet, and close.
      if (!reply.raw.headersSent && socket.writable) {
        const text = JSON.stringify(new AppError('BAD_REQUEST', `the request body stopped arriving for ${idleMs} ms`, { status: 408 }).toBody());
        socket.write(`HTTP/1.1 408 ${STATUS_CODES[408]}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${text}`);
      }
      socket.destroy();
    };
    const disarm = () => {
      raw.off('timeout', onTimeout);
      if (!socket.destroyed) socket.setTimeout(previous);
    };
    // A listener on the request's 'timeout' replaces Node's default of destroying the socket without a word.
    raw.on('timeout', onTimeout);
    // Only the body's end: a request answered before its body was read (401, 415...) still has that body to
    // come (Node reads and drops it to keep the connection), and a stall there must close it too.
    raw.once('end', disarm);
    // Node sets the socket's keep-alive timeout (72 s) when a response finishes; while the body is still unread
    // the idle limit stays (Node's own 'finish' listener ran first, this one puts the limit back).
    reply.raw.once('finish', () => {
      if (!raw.complete && !socket.destroyed) socket.setTimeout(idleMs);
    });
    socket.setTimeout(idleMs);
  });
}
