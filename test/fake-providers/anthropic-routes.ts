/**
 * Anthropic wire format: POST /v1/messages, JSON or SSE (`event:` + `data:` lines:
 * message_start, content_block_start (tool_use), ping, content_block_delta
 * (input_json_delta), content_block_stop, message_delta, message_stop). The answer
 * is the input of the tool the request forces. Prompt caching is simulated: the
 * text up to the last block marked cache_control counts as cache_read_input_tokens.
 */
import {
  brokenJson,
  estimateTokens,
  isRecord,
  jsonReply,
  pieces,
  sseReply,
  textOf,
  wireAnswer,
  type RouteHandler,
  type SuccessRequest,
} from './behaviours';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

function anthropicError(status: number, message: string, errorType?: string) {
  return { type: 'error', error: { type: errorType ?? ERROR_TYPES[status] ?? 'api_error', message } };
}

/** Blocks of the prompt in order: system blocks, then the user turns' blocks. */
function promptBlocks(body: Record<string, unknown>): { text: string; cached: boolean }[] {
  const toBlocks = (value: unknown): { text: string; cached: boolean }[] => {
    if (typeof value === 'string') return [{ text: value, cached: false }];
    if (!Array.isArray(value)) return [];
    return value.map((block: unknown) => ({
      text: textOf(block),
      cached: isRecord(block) && isRecord(block['cache_control']),
    }));
  };
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  return [
    ...toBlocks(body['system']),
    ...messages.flatMap((message: unknown) => (isRecord(message) ? toBlocks(message['content']) : [])),
  ];
}

function usageFor(body: Record<string, unknown>, cachedTokens: number | undefined) {
  const blocks = promptBlocks(body);
  const lastCached = blocks.map((block) => block.cached).lastIndexOf(true);
  const total = blocks.reduce((sum, block) => sum + estimateTokens(block.text), 0);
  const prefix = blocks.slice(0, lastCached + 1).reduce((sum, block) => sum + estimateTokens(block.text), 0);
  const cacheRead = Math.min(cachedTokens ?? prefix, total);
  return { input_tokens: total - cacheRead, cache_creation_input_tokens: 0, cache_read_input_tokens: cacheRead };
}

function toolName(body: Record<string, unknown>): string {
  const choice = body['tool_choice'];
  return isRecord(choice) && typeof choice['name'] === 'string' ? choice['name'] : 'answer';
}

function messagesReply({ body, answer, cachedTokens, malformed }: SuccessRequest) {
  const model = String(body['model'] ?? 'claude-fake');
  const name = toolName(body);
  const id = 'msg_fake_01';
  const toolId = 'toolu_fake_01';
  const promptUsage = usageFor(body, cachedTokens);
  if (body['stream'] !== true) {
    // A JSON body cannot carry invalid JSON: malformed here means a schema-invalid tool input.
    const input = malformed ? { refused: 'perhaps', sentences: 'none' } : wireAnswer(answer);
    const outputTokens = estimateTokens(JSON.stringify(input));
    return jsonReply({
      id,
      type: 'message',
      role: 'assistant',
      model,
      container: null,
      stop_details: null,
      content: [{ type: 'tool_use', id: toolId, name, input, caller: { type: 'direct' } }],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { ...promptUsage, output_tokens: outputTokens, service_tier: 'standard' },
    });
  }
  const json = malformed ? brokenJson(answer) : JSON.stringify(wireAnswer(answer));
  const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  return sseReply([
    event('message_start', {
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        container: null,
        stop_details: null,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...promptUsage, output_tokens: 1, service_tier: 'standard' },
      },
    }),
    event('content_block_start', { index: 0, content_block: { type: 'tool_use', id: toolId, name, input: {}, caller: { type: 'direct' } } }),
    event('ping', {}),
    ...pieces(json, 16).map((partial) =>
      event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: partial } }),
    ),
    event('content_block_stop', { index: 0 }),
    event('message_delta', {
      delta: { stop_reason: 'tool_use', stop_sequence: null, stop_details: null },
      usage: { ...promptUsage, output_tokens: estimateTokens(json) },
    }),
    event('message_stop', {}),
  ]);
}

export const anthropicRoutes: RouteHandler[] = [
  { route: 'anthropic.messages', path: '/v1/messages', success: messagesReply, errorBody: anthropicError },
];
