import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths } from './schema';
export type Answer = components['schemas']['Answer'];
export type Citation = components['schemas']['Citation'];
export type ApiError = components['schemas']['Error'];

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
}

/** The typed Attest client: every path, body and response as the OpenAPI document gives them. */
export function createAttestClient(options: ClientOptions) {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

export type AttestClient = ReturnType<typeof createAttestClient>;

/** The events of a streamed answer (`Accept: text/event-stream`), as the document describes them. */
export type AnswerEvent = paths['/v1/corpora/{corpus}/answers']['post']['responses'][200]['content']['text/event-stream'];

/** Splits a Server-Sent Events byte stream into its events (`event:` name and the JSON of `data:`). */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: unknown }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) yield { event, data: JSON.parse(data.join('\n')) as unknown };
    }
  }
}

/**
 * Asks a question and streams the answer's events. openapi-fetch reads whole bodies, so the stream is
 * read here; the events' shapes are the document's (`text/event-stream` of the answers operation).
 */
export async function* streamAnswer(options: ClientOptions & { corpus: string; question: string; signal?: AbortSignal }): AsyncGenerator<AnswerEvent> {
  const doFetch = options.fetch ?? fetch;
  const response = await doFetch(`${options.baseUrl.replace(/\/+$/, '')}/v1/corpora/${encodeURIComponent(options.corpus)}/answers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ question: options.question }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => undefined)) as ApiError | undefined;
    yield { event: 'error', data: body?.error ?? { code: 'INTERNAL', message: `HTTP ${response.status}` } };
    return;
  }
  for await (const event of readEvents(response.body)) yield event as AnswerEvent;
}
