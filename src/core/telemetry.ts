import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

/**
 * OpenTelemetry spans for pipeline stages and provider calls. Without a
 * registered SDK (the default) these are no-ops; src/core/otel.ts registers an
 * OTLP exporter when OTEL_EXPORTER_OTLP_ENDPOINT is set. Attributes carry ids
 * and sizes, never question or document text.
 */
const tracer = trace.getTracer('attest');

export async function withSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      const result = await work();
      span.setStatus({ code: SpanStatusCode.OK });
      return result;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
