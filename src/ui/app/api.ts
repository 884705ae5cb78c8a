import { readSse } from './sse';
import type { Alert, AnswerBody, Build, CanaryRun, Chunk, Citation, Conversation, ConversationThread, ConversationTurn, Corpus, DocumentSummary, Job, SiteSource, SiteSourceSync, Source, TextWindow, UploadResult } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface AnswerHandlers {
  onRetrieval?(sources: Source[]): void;
  onDelta?(text: string): void;
  /** Discard the text streamed so far: a failed attempt's; the next deltas start over. */
  onReset?(): void;
  onCitation?(citation: Citation): void;
}

interface RequestOptions {
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function errorFrom(response: Response): Promise<ApiError> {
  let code = `HTTP_${response.status}`;
  let message = response.statusText || `request failed with ${response.status}`;
  let details: unknown;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
    details = body.error?.details;
  } catch {
    // Not JSON (a proxy's error page): keep the status line.
  }
  return new ApiError(response.status, code, message, details);
}

const enc = encodeURIComponent;

/** The v1 API with one tenant's key. Every call sends `Authorization: Bearer <key>`. */
export class Api {
  /** Called on any 401, so the page can return to sign-in. */
  onUnauthorized: (() => void) | undefined;

  constructor(
    readonly key: string,
    private readonly base = '',
  ) {}

  private async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await fetch(`${this.base}${path}`, { method, headers, body, signal: options.signal, cache: 'no-store' });
    if (!response.ok) {
      const error = await errorFrom(response);
      if (response.status === 401) this.onUnauthorized?.();
      throw error;
    }
    return response;
  }

  private async json<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  async corpora(): Promise<Corpus[]> {
    return (await this.json<{ corpora: Corpus[] }>('GET', '/v1/corpora')).corpora;
  }

  createCorpus(name: string): Promise<Corpus> {
    return this.json('POST', '/v1/corpora', { json: { name } });
  }

  async documents(corpus: string): Promise<DocumentSummary[]> {
    return (await this.json<{ documents: DocumentSummary[] }>('GET', `/v1/corpora/${enc(corpus)}/documents?limit=500`)).documents;
  }

  upload(corpus: string, file: File): Promise<UploadResult> {
    const form = new FormData();
    form.append('file', file, file.name);
    return this.json('POST', `/v1/corpora/${enc(corpus)}/documents`, { body: form });
  }

  job(id: string): Promise<Job> {
    return this.json('GET', `/v1/jobs/${enc(id)}`);
  }

  deleteDocument(id: string): Promise<void> {
    return this.json('DELETE', `/v1/documents/${enc(id)}`);
  }

  async sources(corpus: string): Promise<SiteSource[]> {
    return (await this.json<{ sources: SiteSource[] }>('GET', `/v1/corpora/${enc(corpus)}/sources`)).sources;
  }

  createSource(corpus: string, body: { type: 'sitemap'; url: string; schedule?: string }): Promise<SiteSource> {
    return this.json('POST', `/v1/corpora/${enc(corpus)}/sources`, { json: body });
  }

  syncSource(id: string): Promise<SiteSourceSync> {
    return this.json('POST', `/v1/sources/${enc(id)}/sync`);
  }

  deleteSource(id: string): Promise<{ deletedDocuments: number }> {
    return this.json('DELETE', `/v1/sources/${enc(id)}`);
  }

  chunk(id: string): Promise<Chunk> {
    return this.json('GET', `/v1/chunks/${enc(id)}`);
  }

  versionText(versionId: string, start: number, end: number): Promise<TextWindow> {
    return this.json('GET', `/v1/versions/${enc(versionId)}/text?start=${Math.max(0, Math.floor(start))}&end=${Math.max(0, Math.ceil(end))}`);
  }

  /** The uploaded file as it was. An authenticated route, so the page fetches it (with the key) rather than linking to it. */
  async original(versionId: string): Promise<{ bytes: ArrayBuffer; type: string; fileName: string | null }> {
    const response = await this.send('GET', `/v1/versions/${enc(versionId)}/original`);
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const disposition = response.headers.get('content-disposition') ?? '';
    // filename* (RFC 6266, UTF-8) when the server sends it; the plain ASCII filename otherwise.
    const encoded = /filename\*=UTF-8''([^;]+)/u.exec(disposition)?.[1];
    let fileName: string | null = /filename="([^"]+)"/u.exec(disposition)?.[1] ?? null;
    try {
      if (encoded) fileName = decodeURIComponent(encoded);
    } catch {
      // A malformed encoding: keep the plain name.
    }
    return { bytes: await response.arrayBuffer(), type, fileName };
  }

  feedback(traceId: string, rating: 'up' | 'down', comment?: string): Promise<unknown> {
    return this.json('POST', '/v1/feedback', { json: { traceId, rating, ...(comment ? { comment } : {}) } });
  }

  async canaryRuns(corpus: string): Promise<CanaryRun[]> {
    return (await this.json<{ runs: CanaryRun[] }>('GET', `/v1/corpora/${enc(corpus)}/canary-runs?limit=100`)).runs;
  }

  runCanaries(corpus: string): Promise<CanaryRun> {
    return this.json('POST', `/v1/corpora/${enc(corpus)}/canaries/run`);
  }

  async alerts(corpus: string): Promise<Alert[]> {
    return (await this.json<{ alerts: Alert[] }>('GET', `/v1/corpora/${enc(corpus)}/alerts`)).alerts;
  }

  async builds(corpus: string): Promise<Build[]> {
    return (await this.json<{ builds: Build[] }>('GET', `/v1/corpora/${enc(corpus)}/builds`)).builds;
  }

  promote(buildId: string, force: boolean): Promise<Build> {
    return this.json('POST', `/v1/builds/${enc(buildId)}/promote${force ? '?force=true' : ''}`);
  }

  /** Streams an answer over SSE; resolves with the `done` body, rejects with the `error` event's ApiError. */
  answer(corpus: string, question: string, handlers: AnswerHandlers, signal?: AbortSignal): Promise<AnswerBody> {
    return this.streamAnswer(`/v1/corpora/${enc(corpus)}/answers`, question, handlers, signal);
  }

  async conversations(corpus: string): Promise<Conversation[]> {
    return (await this.json<{ conversations: Conversation[] }>('GET', `/v1/conversations?corpus=${enc(corpus)}&limit=100`)).conversations;
  }

  conversation(id: string): Promise<ConversationThread> {
    return this.json('GET', `/v1/conversations/${enc(id)}`);
  }

  createConversation(corpus: string): Promise<ConversationThread> {
    return this.json('POST', '/v1/conversations', { json: { corpus } });
  }

  renameConversation(id: string, title: string): Promise<Conversation> {
    return this.json('PATCH', `/v1/conversations/${enc(id)}`, { json: { title } });
  }

  deleteConversation(id: string): Promise<void> {
    return this.json('DELETE', `/v1/conversations/${enc(id)}`);
  }

  /** A conversation turn over SSE: the answer body plus its turn and the standalone question searched for; `regenerate` answers the last turn again and replaces it. */
  sendMessage(id: string, question: string, handlers: AnswerHandlers, signal?: AbortSignal, options: { regenerate?: boolean } = {}): Promise<ConversationTurn> {
    return this.streamAnswer(`/v1/conversations/${enc(id)}/messages`, question, handlers, signal, options.regenerate ? { regenerate: true } : {}) as Promise<ConversationTurn>;
  }

  private async streamAnswer(path: string, question: string, handlers: AnswerHandlers, signal?: AbortSignal, extra: Record<string, unknown> = {}): Promise<AnswerBody> {
    const response = await this.send('POST', path, {
      json: { question, ...extra },
      headers: { accept: 'text/event-stream' },
      signal,
    });
    if (!response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      // A server that didn't stream (a cache in between, say) answers with the plain body.
      return (await response.json()) as AnswerBody;
    }
    let result: AnswerBody | undefined;
    let failure: ApiError | undefined;
    await readSse(response.body, ({ event, data }) => {
      let payload: unknown;
      try {
        payload = JSON.parse(data);
      } catch {
        return;
      }
      if (event === 'retrieval') handlers.onRetrieval?.((payload as { sources: Source[] }).sources ?? []);
      else if (event === 'delta') handlers.onDelta?.((payload as { text: string }).text ?? '');
      else if (event === 'reset') handlers.onReset?.();
      else if (event === 'citation') handlers.onCitation?.(payload as Citation);
      else if (event === 'done') result = payload as AnswerBody;
      else if (event === 'error') {
        const error = payload as { code?: string; message?: string; details?: unknown };
        failure = new ApiError(502, error.code ?? 'INTERNAL', error.message ?? 'the answer failed', error.details);
      }
    });
    if (failure) throw failure;
    if (!result) throw new ApiError(502, 'STREAM_ENDED', 'the answer stream ended before the answer was complete');
    return result;
  }
}
