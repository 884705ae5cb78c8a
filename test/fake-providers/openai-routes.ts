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

function chatReply({ body, answer, cachedTokens, malformed }: SuccessRequest) {
  const model = String(body['model'] ?? 'gpt-fake');
  const content = malformed ? brokenJson(answer) : JSON.stringify(wireAnswer(answer));
  const promptTokens = estimateTokens(textOf(body['messages']));
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: estimateTokens(content),
    total_tokens: promptTokens + estimateTokens(content),
    prompt_tokens_details: { cached_tokens: Math.min(cachedTokens ?? 0, promptTokens), audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
  const id = `chatcmpl-fake-${promptTokens}`;
  const created = 1_700_000_000;
  if (body['stream'] !== true) {
    return jsonReply({
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
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
  const chunks: unknown[] = [
    chunk({ role: 'assistant', content: '', refusal: null }, null),
    ...pieces(content, 16).map((piece) => chunk({ content: piece }, null)),
    chunk({}, 'stop'),
  ];
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
