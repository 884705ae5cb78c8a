import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';
import { memoryStore } from '../helpers/stores';

/** Opens a raw connection and records what comes back and when it closes. */
function rawConnection(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const opened = Date.now();
    const closed = new Promise<number>((done) => socket.once('close', () => done(Date.now() - opened)));
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms).unref())]);

describe('inbound HTTP timeouts', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    const store = await memoryStore();
    t = await createTestApp({ store, env: { HTTP_BODY_IDLE_TIMEOUT_MS: '600', HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '8000' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => t?.close());

  it('closes a connection whose body stops after 9 of 100 bytes (it was held open for 400+ s), answering 408', async () => {
    const { socket, received, closed } = await rawConnection(port);
    socket.write('POST /v1/corpora HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"');
    const elapsed = await within(closed, 5_000);
    expect(elapsed).not.toBe('still open');
    expect(elapsed as number).toBeLessThan(3_000);
    expect(received()).toMatch(/^HTTP\/1\.1 408 /u);
  });

  it('does not cut a slow body that keeps arriving, even past the idle limit in total', async () => {
    const { socket, received, closed } = await rawConnection(port);
    const body = Buffer.from(JSON.stringify({ name: 'slow-but-steady-upload-of-a-corpus-name' }));
    socket.write(`POST /v1/corpora HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
    // 2.4 s in all, 300 ms between pieces: four times the idle limit, never idle for it.
    for (let offset = 0; offset < body.length; offset += 5) {
      socket.write(body.subarray(offset, offset + 5));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await within(closed, 5_000);
    // Unauthenticated: the request was read whole and answered by the app (401), not cut (408).
    expect(received()).toMatch(/^HTTP\/1\.1 401 /u);
  });

  it('closes a connection whose headers never finish', async () => {
    const { socket, received, closed } = await rawConnection(port);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const elapsed = await within(closed, 6_000);
    expect(elapsed).not.toBe('still open');
    expect(received()).toMatch(/^HTTP\/1\.1 408 /u);
  });

  it('closes a stalled body the app answered without reading (Node keeps such a connection for its keep-alive timeout, 72 s)', async () => {
    const { socket, received, closed } = await rawConnection(port);
    // No Content-Type: 415 at once, with 91 bytes of body still owed.
    socket.write('POST /v1/corpora HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"name":"');
    const elapsed = await within(closed, 5_000);
    expect(elapsed).not.toBe('still open');
    expect(received()).toMatch(/^HTTP\/1\.1 415 /u);
  });

  it('keeps answering /healthz while 200 connections stall mid-body, and closes them all', async () => {
    const stalled = await Promise.all(Array.from({ length: 200 }, () => rawConnection(port)));
    for (const { socket } of stalled) socket.write('POST /v1/corpora HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const closedAfter = await Promise.all(stalled.map(({ closed }) => within(closed, 5_000)));
    expect(closedAfter.filter((value) => value === 'still open')).toEqual([]);
  });
});
