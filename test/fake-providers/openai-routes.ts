/**
 * OpenAI wire format: POST /v1/chat/completions (JSON, or SSE `data:` chunks ending
 * in `data: [DONE]`, with a usage chunk when stream_options.include_usage) and
 * POST /v1/embeddings (float arrays, or base64 little-endian float32 as the SDK asks by default).
 */
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

function openAIError(status: number, message: string) {
  const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message, type, param: null, code: type } };
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

function chatReply({ body, answer, cachedTokens, malformed, ending, promptCache }: SuccessRequest): Reply {
  const model = String(body['model'] ?? 'gpt-fake');
  const ended = chatEnding(ending, malformed ? brokenJson(answer) : JSON.stringify(wireAnswer(answer)));
  const content = ended.content ?? '';
  const streaming = body['stream'] === true;
  if (ending === 'overloaded_mid_stream' && !streaming) {
    return { status: 503, headers: { 'content-type': 'application/json' }, parts: [JSON.stringify(openAIError(503, 'The server is overloaded'))] };
  }
  const promptText = textOf(body['messages']);
  const promptTokens = estimateTokens(promptText);
  const cached = cachedTokens ?? promptCache.openai(model, promptText);
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
    return jsonReply({
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: ended.content, refusal: ended.refusal }, finish_reason: ended.finishReason, logprobs: null }],
      usage,
    });
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
  return sseReply([...chunks.map((value) => `data: ${JSON.stringify(value)}\n\n`), 'data: [DONE]\n\n']);
}

function embeddingsReply({ body, malformed }: SuccessRequest) {
  const model = String(body['model'] ?? 'text-embedding-3-small');
  const input = body['input'];
  const texts = Array.isArray(input) ? input.map(String) : [String(input ?? '')];
  const requested = typeof body['dimensions'] === 'number' ? body['dimensions'] : NATIVE_DIMENSIONS[model] ?? 1536;
  const dimensions = malformed ? requested - 1 : requested;
  const base64 = body['encoding_format'] === 'base64';
  const data = texts.map((text, index) => {
    const vector = hashVector(text, dimensions);
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  return jsonReply({ object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

export const openAIRoutes: RouteHandler[] = [
  { route: 'openai.chat', path: '/v1/chat/completions', success: chatReply, errorBody: openAIError },
  { route: 'openai.embeddings', path: '/v1/embeddings', success: embeddingsReply, errorBody: openAIError },
];
