/**
 * Raw bytes over a real socket: what app.inject cannot send because it builds
 * well-formed HTTP itself. Request lines with raw non-ASCII and control bytes,
 * header values in Latin-1 and invalid UTF-8, broken chunked encoding, bodies
 * shorter or longer than their Content-Length, oversized headers.
 * Property: the server answers every one within REQUEST_TIMEOUT_MS (or closes
 * the connection, for input that is not HTTP), never with a 5xx, and any error
 * body it sends is a catalogued `{error:{code,message}}`.
 */
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isErrorCode } from '../../src/core/errors';
import { sharedStore } from '../helpers/answers';
import { createTestApp } from '../helpers/app';
import { createCorpus } from '../helpers/ingestion';
import { fuzzSettings, REQUEST_TIMEOUT_MS } from './support';

const shared = await sharedStore();
const t = await createTestApp({ store: shared.store, env: { RATE_LIMIT_ADMIN_PER_MINUTE: '1000000', RATE_LIMIT_QUERY_PER_MINUTE: '1000000', RATE_LIMIT_INGEST_PER_MINUTE: '1000000' } });
await createCorpus(t, 'raw');
await t.app.listen({ port: 0, host: '127.0.0.1' });
const address = t.app.server.address();
if (address === null || typeof address === 'string') throw new Error('the app is not listening on a TCP port');
const PORT = address.port;
/** Answers per kind of request, printed at the end: shows what the server made of each. */
const tally = new Map<string, number>();
afterAll(async () => {
  console.log([...tally].sort(([a], [b]) => a.localeCompare(b)).map(([key, count]) => `${key}: ${count}`).join('\n'));
  await t.close();
  await shared.close();
});

interface RawAnswer {
  /** Undefined when the server closed the connection without a response. */
  status?: number;
  headers: Record<string, string>;
  body: string;
}

/** Longer than the upload route's parser-stall watchdog (2 s), shorter than the request deadline. */
const HALF_CLOSE_AFTER_MS = 3_000;

/** Sends bytes, reads until the server closes (every request says Connection: close) or the deadline passes. */
function exchange(bytes: Buffer, what: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: PORT });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${what}: no complete answer in ${REQUEST_TIMEOUT_MS} ms (got ${Buffer.concat(chunks).toString('latin1').slice(0, 200)})`));
    }, REQUEST_TIMEOUT_MS);
    socket.on('data', (chunk) => chunks.push(chunk));
    // A reset after the answer was written (the server closing on unread body bytes) is not a failure.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseAnswer(Buffer.concat(chunks)));
    });
    // Half-closing at once would abort requests the server is still reading (it drops them unanswered);
    // a request left incomplete on purpose (a short chunk) gets its end of input after a while instead.
    socket.write(bytes);
    const eof = setTimeout(() => socket.end(), HALF_CLOSE_AFTER_MS);
    socket.on('close', () => clearTimeout(eof));
  });
}

function parseAnswer(raw: Buffer): RawAnswer {
  const text = raw.toString('utf8');
  const headerEnd = text.indexOf('\r\n\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/u.exec(text);
  if (!match || headerEnd === -1) return { headers: {}, body: text };
  const headers: Record<string, string> = {};
  for (const line of text.slice(0, headerEnd).split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = text.slice(headerEnd + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    let decoded = '';
    for (let rest = body; ; ) {
      const lineEnd = rest.indexOf('\r\n');
      const size = Number.parseInt(rest.slice(0, lineEnd), 16);
      if (!(size > 0)) break;
      decoded += rest.slice(lineEnd + 2, lineEnd + 2 + size);
      rest = rest.slice(lineEnd + 2 + size + 2);
    }
    body = decoded;
  }
  return { status: Number(match[1]), headers, body };
}

/** The UI's deliberate 503 while `npm run build:ui` has not run (see isUiNotBuiltPage in ./support). */
const isUiNotBuilt = (answer: RawAnswer): boolean => answer.status === 503 && (answer.headers['content-type'] ?? '').startsWith('text/html') && answer.body.includes('has not been built');

function errorCodeOf(answer: RawAnswer): string {
  try {
    return String((JSON.parse(answer.body) as { error?: { code?: unknown } }).error?.code);
  } catch {
    return 'not JSON';
  }
}

function expectAnswered(answer: RawAnswer, what: string): void {
  // Bytes that are not HTTP may be answered by closing the connection; that is not a hang.
  if (answer.status === undefined || isUiNotBuilt(answer)) return;
  expect(answer.status, `${what}: ${answer.body.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status < 400) return;
  expect(answer.headers['content-type'] ?? '', `${what}: error ${answer.status} ${answer.body.slice(0, 300)}`).toMatch(/^application\/json/);
  const body = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.message, `${what}: ${answer.body.slice(0, 300)}`).toBe('string');
  expect(isErrorCode(String(body.error?.code)), `${what}: code ${String(body.error?.code)} is not in ERROR_CATALOG`).toBe(true);
}

const bytes = (...parts: (string | Buffer | Uint8Array)[]) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

const TARGETS = ['/v1/corpora', '/v1/corpora/raw', '/v1/corpora/raw/search', '/v1/corpora/raw/documents', '/v1/jobs/x', '/healthz', '/', '/v1/admin/keys'];
const rawPathByte = fc.oneof(fc.integer({ min: 0x80, max: 0xff }), fc.integer({ min: 0x00, max: 0x1f }), fc.constantFrom(0x20, 0x7f, 0x25, 0x3f, 0x23, 0x5c));
const latin1Value = fc.uint8Array({ minLength: 1, maxLength: 40 }).map((value) => Buffer.from(value.map((byte) => (byte === 0x0d || byte === 0x0a ? 0x41 : byte))));

interface RawRequest {
  bytes: Buffer;
  describe: string;
}
const described = (bytesOut: Buffer, label: string): RawRequest => {
  const describe = `${label}: ${JSON.stringify(bytesOut.toString('latin1').slice(0, 240))}`;
  return Object.assign({ bytes: bytesOut, describe }, { [fc.toStringMethod]: () => describe });
};

const rawRequest: fc.Arbitrary<RawRequest> = fc.oneof(
  fc.tuple(fc.constantFrom(...TARGETS), fc.array(rawPathByte, { minLength: 1, maxLength: 8 }), fc.constantFrom('GET', 'POST', 'DELETE')).map(([target, extra, method]) =>
    described(bytes(`${method} ${target}/`, Buffer.from(extra), ` HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`), 'raw bytes in the path'),
  ),
  fc.tuple(fc.constantFrom(...TARGETS), fc.constantFrom('Authorization', 'Idempotency-Key', 'Content-Type', 'Accept', 'X-Request-Id', 'Cookie'), latin1Value).map(([target, name, value]) =>
    described(bytes(`POST ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\n${name}: `, value, '\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}'), `Latin-1 bytes in ${name}`),
  ),
  fc.tuple(fc.constantFrom(...TARGETS), fc.uint8Array({ maxLength: 200 }), fc.constantFrom('5\r\nhello\r\n0\r\n\r\n', 'zz\r\n', 'ffffffffffffffff\r\n', '3\r\nab', '-1\r\n', '1;ext=\u00ff\r\nx\r\n0\r\n\r\n')).map(([target, junk, chunked]) =>
    described(bytes(`POST ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunked}`, junk), 'chunked encoding'),
  ),
  fc.tuple(fc.constantFrom(...TARGETS), fc.uint8Array({ maxLength: 300 }), fc.integer({ min: -3, max: 3 })).map(([target, body, skew]) =>
    described(
      bytes(`POST ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\nContent-Type: application/json\r\nContent-Length: ${Math.max(0, body.length + Math.min(skew, 0))}\r\nConnection: close\r\n\r\n`, body),
      `invalid UTF-8 body with a Content-Length ${skew < 0 ? 'shorter than' : 'matching'} the bytes`,
    ),
  ),
  fc.tuple(fc.constantFrom(...TARGETS), fc.integer({ min: 17_000, max: 70_000 })).map(([target, size]) =>
    described(bytes(`GET ${target} HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(size)}\r\nConnection: close\r\n\r\n`), `an oversized header (${size} bytes)`),
  ),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((junk) => described(bytes(junk, '\r\n\r\n'), 'not HTTP at all')),
  fc.tuple(fc.constantFrom('GET', 'G\u00c9T', 'PATCH', 'PROPFIND', 'CONNECT', 'TRACE'), fc.constantFrom(...TARGETS), fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9', 'XYZ')).map(([method, target, version]) =>
    described(bytes(`${method} ${target} ${version}\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\nConnection: close\r\n\r\n`), 'odd method or version'),
  ),
);

describe('raw HTTP fuzzing', () => {
  it('every request is answered in time, never with a 5xx, errors catalogued', async () => {
    await fc.assert(
      fc.asyncProperty(rawRequest, async (request) => {
        const answer = await exchange(request.bytes, request.describe);
        const key = `${request.describe.slice(0, request.describe.search(/[:(]/u)).trim()} → ${answer.status ?? 'closed'}${answer.status !== undefined && answer.status >= 400 ? ` ${isUiNotBuilt(answer) ? 'UI not built' : errorCodeOf(answer)}` : ''}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
        expectAnswered(answer, request.describe);
      }),
      fuzzSettings(40),
    );
  }, 300_000);

  it('input that is not HTTP gets the catalogued error body (was fastify\'s {"error":"Bad Request","message":"Client Error"})', async () => {
    const answer = await exchange(bytes('POST /v1/corpora HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n'), 'broken chunked encoding');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    const oversized = await exchange(bytes(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(20_000)}\r\nConnection: close\r\n\r\n`), 'oversized header');
    expect(oversized.status).toBe(431);
    expect(JSON.parse(oversized.body).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('over a real socket too, a >16 KB part with a bare line feed in its file name is refused instead of left hanging', async () => {
    const boundary = 'fuzzboundary';
    const body = bytes(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="\n"\r\nContent-Type: text/plain\r\n\r\n`, 'The router blinks twice. '.repeat(2_000), `\r\n--${boundary}--\r\n`);
    const answer = await exchange(
      bytes(`POST /v1/corpora/raw/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, body),
      'bare line feed in a file name',
    );
    expect(answer.status, answer.body).toBe(400);
    expect(JSON.parse(answer.body).error.code).toBe('BAD_REQUEST');
  });
});
