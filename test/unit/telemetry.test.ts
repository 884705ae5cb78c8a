import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { startTracing } from '../../src/core/otel';
import { withSpan } from '../../src/core/telemetry';

describe('OpenTelemetry', () => {
  const bodies: Buffer[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  afterAll(() => {
    trace.disable();
    server.close();
  });

  it('exports pipeline spans to the configured OTLP endpoint, nested and named', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const shutdown = startTracing({ endpoint: `http://127.0.0.1:${port}`, serviceName: 'attest-test' });
    await withSpan('answer', { 'attest.corpus': 'c1' }, () => withSpan('answer.retrieve', { 'attest.k': 8 }, async () => 1));
    await expect(withSpan('answer.generate', {}, async () => Promise.reject(new Error('provider down')))).rejects.toThrow('provider down');
    await shutdown();
    const exported = Buffer.concat(bodies).toString('utf8');
    expect(bodies.length).toBeGreaterThan(0);
    for (const name of ['answer', 'answer.retrieve', 'answer.generate', 'attest-test']) expect(exported).toContain(name);
  });
});
