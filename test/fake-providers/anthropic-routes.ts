/**
 * Anthropic wire format: POST /v1/messages, JSON or SSE (`event:` + `data:` lines:
 * message_start, content_block_start, ping, content_block_delta, content_block_stop,
 * message_delta, message_stop; an `error` event mid-stream). Shapes follow the
 * @anthropic-ai/sdk types.
 *
 * Two answer modes, as a model following our prompt answers them:
 * - tool mode (the request forces a tool): the answer is that tool's input
 *   (`input_json_delta`s when streamed);
 * - citations mode (no tools; `search_result` or plain-text `document` blocks with
 *   `citations: {enabled: true}`): the answer is text blocks, each sentence one block
 *   carrying `search_result_location` / `char_location` citations whose `cited_text`
 *   is the cited content, as the service guarantees; a refusal is `REFUSED: <reason>`.
 *   A quote found in no block is cited as the quote itself (a citation the service
 *   would not send: it lets tests show that every quote is still verified).
 *
 * Prompt caching is simulated as the service does it (prompt-cache.ts), unless a
 * behaviour fixes `cachedTokens` (then that many tokens are cache reads).
 */
import type { GeneratedAnswer } from '../../src/core/providers/ports';
import {
  brokenJson,
  estimateTokens,
  isRecord,
  jsonReply,
  pieces,
  sseReply,
  textOf,
  wireAnswer,
  type Reply,
  type RouteHandler,
  type SuccessRequest,
} from './behaviours';
import type { AnthropicCacheUsage, PromptCache } from './prompt-cache';

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

/** The second answer block of a `two_tool_uses` reply: a different, valid answer. */
export const SECOND_TOOL_ANSWER: GeneratedAnswer = { refused: true, refusalReason: 'the second tool_use block', sentences: [] };
const INVALID_TOOL_INPUT = { refused: 'perhaps', sentences: 'none' };

interface PromptBlock {
  text: string;
  cached: boolean;
}

/** The prompt in the order the service caches it: tools, system blocks, then the messages' blocks. */
function promptBlocks(body: Record<string, unknown>): PromptBlock[] {
  const toBlocks = (value: unknown): PromptBlock[] => {
    if (typeof value === 'string') return [{ text: value, cached: false }];
    if (!Array.isArray(value)) return [];
    return value.map((block: unknown) => ({
      text: isRecord(block) && block['type'] === 'document' ? documentText(block) : textOf(block),
      cached: isRecord(block) && isRecord(block['cache_control']),
    }));
  };
  const tools = Array.isArray(body['tools']) && body['tools'].length > 0 ? [{ text: JSON.stringify(body['tools']), cached: false }] : [];
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  return [
    ...tools,
    ...toBlocks(body['system']),
    ...messages.flatMap((message: unknown) => (isRecord(message) ? toBlocks(message['content']) : [])),
  ];
}

function usageFor(body: Record<string, unknown>, model: string, cachedTokens: number | undefined, cache: PromptCache): AnthropicCacheUsage {
  const blocks = promptBlocks(body);
  const total = estimateTokens(blocks.map((block) => block.text).join(''));
  if (cachedTokens !== undefined) {
    const read = Math.min(cachedTokens, total);
    return { input_tokens: total - read, cache_creation_input_tokens: 0, cache_read_input_tokens: read };
  }
  const lastCached = blocks.map((block) => block.cached).lastIndexOf(true);
  const prefix = blocks.slice(0, lastCached + 1).map((block) => block.text).join('');
  return cache.anthropic(model, prefix, total);
}

function forcedTool(body: Record<string, unknown>): string | undefined {
  const choice = body['tool_choice'];
  return isRecord(choice) && typeof choice['name'] === 'string' ? choice['name'] : undefined;
}

// ---- content blocks of a reply -------------------------------------------------------------------

interface ToolBlock {
  type: 'tool_use';
  /** The input as the non-streamed reply carries it. */
  input: unknown;
  /** The input's JSON text as the stream sends it. */
  json: string;
}

interface TextBlock {
  type: 'text';
  text: string;
  citations: Record<string, unknown>[];
}

type Block = ToolBlock | TextBlock;

const toolBlock = (input: unknown, json = JSON.stringify(input)): ToolBlock => ({ type: 'tool_use', input, json });

/** The user turn's citable sources in request order: search results and plain-text documents. */
interface Citables {
  searchResults: { source: string; title: string; blocks: string[] }[];
  documents: { title: string | null; text: string }[];
}

function documentText(block: Record<string, unknown>): string {
  const source = block['source'];
  return isRecord(source) && typeof source['data'] === 'string' ? source['data'] : '';
}

function citables(body: Record<string, unknown>): Citables | undefined {
  const result: Citables = { searchResults: [], documents: [] };
  let enabled = false;
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  for (const message of messages) {
    const content = isRecord(message) && Array.isArray(message['content']) ? message['content'] : [];
    for (const block of content) {
      if (!isRecord(block)) continue;
      const citations = block['citations'];
      if (isRecord(citations) && citations['enabled'] === true) enabled = true;
      if (block['type'] === 'search_result') {
        const blocks = Array.isArray(block['content']) ? block['content'].map(textOf) : [];
        result.searchResults.push({ source: String(block['source'] ?? ''), title: String(block['title'] ?? ''), blocks });
      } else if (block['type'] === 'document') {
        result.documents.push({ title: typeof block['title'] === 'string' ? block['title'] : null, text: documentText(block) });
      }
    }
  }
  return enabled ? result : undefined;
}

/** The citation a model following the sources would attach for `quote` from source label `n`. */
function citationFor(found: Citables, n: number, quote: string): Record<string, unknown> {
  const result = found.searchResults[n - 1];
  if (result) {
    const index = result.blocks.findIndex((block) => block.includes(quote));
    const base = { type: 'search_result_location', search_result_index: n - 1, source: result.source, title: result.title };
    // The service cites whole blocks: cited_text is the blocks' text, never part of one.
    if (index >= 0) return { ...base, cited_text: result.blocks[index], start_block_index: index, end_block_index: index + 1 };
    return { ...base, cited_text: quote, start_block_index: 0, end_block_index: 1 };
  }
  const document = found.documents[n - 1];
  const at = document ? document.text.indexOf(quote) : -1;
  return {
    type: 'char_location',
    cited_text: quote,
    document_index: n - 1,
    document_title: document?.title ?? null,
    start_char_index: Math.max(0, at),
    end_char_index: Math.max(0, at) + quote.length,
    file_id: null,
  };
}

/** The answer as text blocks: one block per sentence with its citations, a space between sentences. */
function textBlocks(answer: GeneratedAnswer, found: Citables): TextBlock[] {
  if (answer.refused) return [{ type: 'text', text: `REFUSED: ${answer.refusalReason ?? 'the sources do not say'}`, citations: [] }];
  return answer.sentences.flatMap((sentence, index) => {
    const cited: TextBlock = {
      type: 'text',
      text: sentence.text,
      citations: sentence.citations.map((citation) => citationFor(found, citation.source, citation.quote)),
    };
    return index === 0 ? [cited] : [{ type: 'text', text: ' ', citations: [] }, cited];
  });
}

interface Plan {
  blocks: Block[];
  stopReason: string;
  /** Streamed: an error event of this type after the first deltas, and no message_stop. */
  midStreamError?: string;
}

function plan({ body, answer, output, malformed, ending }: SuccessRequest, streaming: boolean): Plan | Reply {
  const found = citables(body);
  const tool = forcedTool(body);
  const whole = (): Block[] => {
    if (tool === undefined && found) return textBlocks(answer, found);
    if (!malformed) return [toolBlock(output !== undefined ? output : wireAnswer(answer))];
    // A JSON body cannot carry invalid JSON: not streamed, malformed is a schema-invalid tool input.
    return [streaming ? toolBlock(undefined, brokenJson(answer)) : toolBlock(INVALID_TOOL_INPUT)];
  };
  switch (ending) {
    case undefined:
      return { blocks: whole(), stopReason: tool === undefined ? 'end_turn' : 'tool_use' };
    case 'two_tool_uses':
      return { blocks: [toolBlock(wireAnswer(answer)), toolBlock(wireAnswer(SECOND_TOOL_ANSWER))], stopReason: 'tool_use' };
    case 'first_tool_use_invalid':
      return { blocks: [toolBlock(INVALID_TOOL_INPUT), toolBlock(wireAnswer(answer))], stopReason: 'tool_use' };
    case 'truncated': {
      if (tool === undefined) {
        const [first] = whole();
        const text = first?.type === 'text' ? first.text.slice(0, Math.ceil(first.text.length / 2)) : '';
        return { blocks: [{ type: 'text', text, citations: [] }], stopReason: 'max_tokens' };
      }
      const json = JSON.stringify(wireAnswer(answer));
      // Not streamed, the cut input arrives leniently parsed: here the answer's first sentence alone, a valid-looking answer.
      const partial = { ...wireAnswer(answer), sentences: answer.sentences.slice(0, 1) };
      return { blocks: [toolBlock(partial, json.slice(0, Math.floor(json.length / 2)))], stopReason: 'max_tokens' };
    }
    case 'refusal': {
      // The classifier stops the output part-way: what was written so far arrives, then stop_reason refusal.
      const json = JSON.stringify(wireAnswer(answer));
      return { blocks: streaming ? [toolBlock(undefined, json.slice(0, Math.floor(json.length / 3)))] : [], stopReason: 'refusal' };
    }
    case 'overloaded_mid_stream':
      if (!streaming) return { status: 529, headers: { 'content-type': 'application/json' }, parts: [JSON.stringify(anthropicError(529, 'Overloaded'))] };
      return { blocks: whole(), stopReason: 'tool_use', midStreamError: 'overloaded_error' };
    case 'content_filter':
      throw new Error('fake anthropic: content_filter is an OpenAI ending');
    default: {
      const unknown: never = ending;
      throw new Error(`fake anthropic: unknown ending ${String(unknown)}`);
    }
  }
}

// ---- rendering -----------------------------------------------------------------------------------

const MESSAGE_ID = 'msg_fake_01';
const toolId = (index: number) => `toolu_fake_${String(index + 1).padStart(2, '0')}`;

function jsonBlock(block: Block, index: number, name: string): Record<string, unknown> {
  if (block.type === 'text') return { type: 'text', text: block.text, citations: block.citations.length > 0 ? block.citations : null };
  return { type: 'tool_use', id: toolId(index), name, input: block.input, caller: { type: 'direct' } };
}

function outputTokens(blocks: readonly Block[]): number {
  // cited_text is not counted as output, as the service bills it.
  return Math.max(1, estimateTokens(blocks.map((block) => (block.type === 'text' ? block.text : block.json)).join('')));
}

function messagesReply(request: SuccessRequest): Reply {
  const { body, cachedTokens } = request;
  const streaming = body['stream'] === true;
  const planned = plan(request, streaming);
  if ('status' in planned) return planned;
  const model = String(body['model'] ?? 'claude-fake');
  const name = forcedTool(body) ?? 'answer';
  const promptUsage = usageFor(body, model, cachedTokens, request.promptCache);
  const { blocks, stopReason } = planned;
  if (!streaming) {
    return jsonReply({
      id: MESSAGE_ID,
      type: 'message',
      role: 'assistant',
      model,
      container: null,
      stop_details: null,
      content: blocks.map((block, index) => jsonBlock(block, index, name)),
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { ...promptUsage, output_tokens: outputTokens(blocks), service_tier: 'standard' },
    });
  }
  const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const events: string[] = [
    event('message_start', {
      message: {
        id: MESSAGE_ID,
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
  ];
  for (const [index, block] of blocks.entries()) {
    if (block.type === 'text') {
      events.push(event('content_block_start', { index, content_block: { type: 'text', text: '', citations: null } }));
      for (const piece of pieces(block.text, 16)) events.push(event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }));
      for (const citation of block.citations) events.push(event('content_block_delta', { index, delta: { type: 'citations_delta', citation } }));
    } else {
      events.push(event('content_block_start', { index, content_block: { type: 'tool_use', id: toolId(index), name, input: {}, caller: { type: 'direct' } } }));
      if (index === 0) events.push(event('ping', {}));
      for (const partial of pieces(block.json, 16)) events.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: partial } }));
    }
    if (planned.midStreamError) {
      // The service sends an error event and ends the stream: no block stop, no message_delta, no message_stop.
      const kept = Math.max(3, Math.floor(events.length / 2));
      events.length = kept;
      events.push(event('error', { error: { type: planned.midStreamError, message: 'Overloaded' } }));
      return sseReply(events);
    }
    events.push(event('content_block_stop', { index }));
  }
  events.push(
    event('message_delta', {
      delta: { stop_reason: stopReason, stop_sequence: null, stop_details: null, container: null },
      usage: { ...promptUsage, output_tokens: outputTokens(blocks) },
    }),
    event('message_stop', {}),
  );
  return sseReply(events);
}

export const anthropicRoutes: RouteHandler[] = [
  { route: 'anthropic.messages', path: '/v1/messages', success: messagesReply, errorBody: anthropicError },
];
