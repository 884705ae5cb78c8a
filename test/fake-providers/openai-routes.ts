/**
 * OpenAI wire format: POST /v1/chat/completions (JSON, or SSE `data:` chunks ending
 * in `data: [DONE]`, with a usage chunk when stream_options.include_usage) and
 * POST /v1/embeddings (float arrays, or base64 little-endian float32 as the SDK asks by default).
 *
 * As strict as the service where strictness finds bugs: every request body is
 * checked against the published OpenAPI schema (openai-spec.ts) and refused with
 * OpenAI's 400 when it does not conform; embeddings enforce the published limits
 * (2048 inputs, 300,000 tokens per request, 8,192 per input, counted with
 * cl100k_base as the service does; no empty input; `dimensions` only for the
 * text-embedding-3 models); chat answers name the dated model (a request for
 * gpt-4o-mini is answered by gpt-4o-mini-2024-07-18), and the fake checks its own
 * answers against the response schemas.
 */
import { countTokens as cl100kCount } from 'gpt-tokenizer/encoding/cl100k_base';
import { describeSpecErrors, openAISpec, type OpenAIOperation } from './openai-spec';
import {
  brokenJson,
  estimateTokens,
  hashVector,
  isRecord,
  jsonReply,
  pieces,
  sseReply,
  textOf,
  wireAnswer,
  type Behaviour,
  type Rejection,
  type Ending,
  type Reply,
  type RouteHandler,
  type SuccessRequest,
} from './behaviours';

const NATIVE_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** The snapshots the aliases pointed at when this was written; the API answers with these. */
export const DATED_MODELS: Readonly<Record<string, string>> = {
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
  'gpt-4o': 'gpt-4o-2024-08-06',
  'gpt-4.1': 'gpt-4.1-2025-04-14',
  'gpt-4.1-mini': 'gpt-4.1-mini-2025-04-14',
  'gpt-4.1-nano': 'gpt-4.1-nano-2025-04-14',
};

export const datedModel = (model: string): string => DATED_MODELS[model] ?? model;

/** OpenAI's published embedding limits. */
export const EMBEDDING_LIMITS = { inputs: 2048, tokensPerRequest: 300_000, tokensPerInput: 8192 } as const;

/** OpenAI's 429 for an account out of credit: not a rate limit, waiting does not help. */
export const INSUFFICIENT_QUOTA: Behaviour = {
  status: 429,
  errorType: 'insufficient_quota',
  message: 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
};

function openAIError(status: number, message: string, errorType?: string) {
  const type = errorType ?? (status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error');
  return { error: { message, type, param: null, code: type } };
}

function rejection(message: string, detail: { type?: string; code?: string | null; param?: string | null } = {}): Rejection {
  const body = { error: { message, type: detail.type ?? 'invalid_request_error', param: detail.param ?? null, code: detail.code ?? null } };
  return { status: 400, message, body };
}

function checkSchema(operation: OpenAIOperation, body: Record<string, unknown>): Rejection | undefined {
  const errors = openAISpec().request(operation, body);
  if (!errors) return undefined;
  const { message, param } = describeSpecErrors(errors);
  return rejection(message, { param, code: message.startsWith('Unrecognized') ? null : 'invalid_value' });
}

/** Fails the test loudly when the fake itself answers outside the published response schema. */
function conforming(operation: OpenAIOperation, value: unknown): unknown {
  const errors = openAISpec().response(operation, value);
  if (errors) throw new Error(`fake ${operation} response breaks OpenAI's schema: ${JSON.stringify(errors.slice(0, 3))}`);
  return value;
}

const asText = { disallowedSpecial: new Set<string>() };
const tokensOf = (text: string): number => (text.length === 0 ? 0 : cl100kCount(text, asText));

function validateEmbeddings(body: Record<string, unknown>): Rejection | undefined {
  const schema = checkSchema('createEmbedding', body);
  if (schema) return schema;
  const model = String(body['model']);
  const input = body['input'];
  const texts = typeof input === 'string' ? [input] : Array.isArray(input) && input.every((item) => typeof item === 'string') ? (input as string[]) : undefined;
  if (body['dimensions'] !== undefined && !model.startsWith('text-embedding-3')) {
    return rejection('This model does not support specifying dimensions.', { param: 'dimensions' });
  }
  if (!texts) return undefined;
  if (texts.some((text) => text.length === 0)) {
    return rejection("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", { param: 'input' });
  }
  let total = 0;
  for (const text of texts) {
    const tokens = tokensOf(text);
    if (tokens > EMBEDDING_LIMITS.tokensPerInput) {
      return rejection(
        `This model's maximum context length is ${EMBEDDING_LIMITS.tokensPerInput} tokens, however you requested ${tokens} tokens (${tokens} in your prompt; 0 for the completion). Please reduce your prompt; or completion length.`,
      );
    }
    total += tokens;
  }
  if (total > EMBEDDING_LIMITS.tokensPerRequest) {
    return rejection(`Requested ${total} tokens, max ${EMBEDDING_LIMITS.tokensPerRequest} tokens per request`, {
      type: 'max_tokens_per_request',
      code: 'max_tokens_per_request',
    });
  }
  return undefined;
}

export const OPENAI_REFUSAL_TEXT = "I'm sorry, I can't help with that.";

/** What the choice carries for an ending (Ending in behaviours.ts): content, refusal and finish_reason. */
function chatEnding(ending: Ending | undefined, content: string): { content: string | null; refusal: string | null; finishReason: string } {
  switch (ending) {
    case undefined:
    case 'overloaded_mid_stream':
      return { content, refusal: null, finishReason: 'stop' };
    case 'truncated':
      return { content: content.slice(0, Math.floor(content.length / 2)), refusal: null, finishReason: 'length' };
    case 'content_filter':
      return { content: content.slice(0, Math.floor(content.length / 3)), refusal: null, finishReason: 'content_filter' };
    case 'refusal':
      return { content: null, refusal: OPENAI_REFUSAL_TEXT, finishReason: 'stop' };
    default:
      throw new Error(`fake openai: ${ending} is an Anthropic ending`);
  }
}

function chatReply({ body, answer, output, cachedTokens, malformed, ending, promptCache }: SuccessRequest): Reply {
  const requested = String(body['model'] ?? 'gpt-fake');
  // The API answers with the dated id of the model it ran.
  const model = datedModel(requested);
  const ended = chatEnding(ending, malformed ? brokenJson(answer) : JSON.stringify(output !== undefined ? output : wireAnswer(answer)));
  const content = ended.content ?? '';
  const streaming = body['stream'] === true;
  if (ending === 'overloaded_mid_stream' && !streaming) {
    return { status: 503, headers: { 'content-type': 'application/json' }, parts: [JSON.stringify(openAIError(503, 'The server is overloaded'))] };
  }
  const promptText = textOf(body['messages']);
  const promptTokens = estimateTokens(promptText);
  const cached = cachedTokens ?? promptCache.openai(requested, promptText);
  const outputTokens = estimateTokens(content + (ended.refusal ?? ''));
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: outputTokens,
    total_tokens: promptTokens + outputTokens,
    prompt_tokens_details: { cached_tokens: Math.min(cached, promptTokens), audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
  const id = `chatcmpl-fake-${promptTokens}`;
  const created = 1_700_000_000;
  if (!streaming) {
    return jsonReply(
      conforming('createChatCompletion', {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: ended.content, refusal: ended.refusal }, finish_reason: ended.finishReason, logprobs: null }],
      usage,
    }),
    );
  }
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    usage: null,
  });
  const deltas = ended.refusal === null ? pieces(content, 16).map((piece) => ({ content: piece })) : pieces(ended.refusal, 8).map((piece) => ({ refusal: piece }));
  const chunks: unknown[] = [chunk({ role: 'assistant', content: '', refusal: null }, null), ...deltas.map((delta) => chunk(delta, null))];
  if (ending === 'overloaded_mid_stream') {
    // An error object in the stream after the first deltas; the stream ends there.
    chunks.length = Math.max(2, Math.floor(chunks.length / 2));
    chunks.push(openAIError(503, 'The server is overloaded'));
    return sseReply(chunks.map((value) => `data: ${JSON.stringify(value)}\n\n`));
  }
  chunks.push(chunk({}, ended.finishReason));
  const options = body['stream_options'];
  if (isRecord(options) && options['include_usage'] === true) {
    chunks.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
  }
  for (const value of chunks) {
    const errors = openAISpec().streamChunk(value);
    if (errors) throw new Error(`fake chat stream chunk breaks OpenAI's schema: ${JSON.stringify(errors.slice(0, 3))}`);
  }
  return sseReply([...chunks.map((value) => `data: ${JSON.stringify(value)}\n\n`), 'data: [DONE]\n\n']);
}

function embeddingsReply({ body, malformed }: SuccessRequest) {
  const model = String(body['model'] ?? 'text-embedding-3-small');
  const input = body['input'];
  const texts = Array.isArray(input) ? input.map(String) : [String(input ?? '')];
  const requested = typeof body['dimensions'] === 'number' ? body['dimensions'] : NATIVE_DIMENSIONS[model] ?? 1536;
  const dimensions = malformed ? requested - 1 : requested;
  const vectors = texts.map((text, index) => ({ object: 'embedding', index, embedding: hashVector(text, dimensions) }));
  const tokens = texts.reduce((sum, text) => sum + tokensOf(text), 0);
  // The schema describes float vectors; base64 is the same list sent as little-endian float32 bytes.
  const list = conforming('createEmbedding', { object: 'list', data: vectors, model, usage: { prompt_tokens: tokens, total_tokens: tokens } }) as { data: typeof vectors };
  if (body['encoding_format'] !== 'base64') return jsonReply(list);
  const data = vectors.map((item) => ({ ...item, embedding: Buffer.from(new Float32Array(item.embedding).buffer).toString('base64') }));
  return jsonReply({ ...list, data });
}

export const openAIRoutes: RouteHandler[] = [
  { route: 'openai.chat', path: '/v1/chat/completions', success: chatReply, errorBody: openAIError, validate: (body) => checkSchema('createChatCompletion', body) },
  { route: 'openai.embeddings', path: '/v1/embeddings', success: embeddingsReply, errorBody: openAIError, validate: validateEmbeddings },
];
