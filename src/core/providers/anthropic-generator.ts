/**
 * Generator over Anthropic messages. The answer comes back as the input of one
 * forced tool, `answer`, whose input_schema is the answer schema; parallel tool
 * use is disabled, and should a reply still hold several answer blocks, the first
 * whose input is a valid answer wins (their inputs are never joined). The system
 * prompt is sent as text blocks, with `cache_control: ephemeral` on cacheable
 * ones. With `onDelta`, the message is streamed (`stream: true`, the SDK's raw
 * event stream) and the first answer block's `input_json_delta`s are forwarded;
 * each block's JSON is parsed at the end, exactly like the non-streamed tool input.
 *
 * How a reply ends decides the outcome: stop_reason `refusal` is a refusal
 * (`provider_refusal`); `max_tokens` / `model_context_window_exceeded` is
 * PROVIDER_OUTPUT_TRUNCATED unless an answer block before the cut one is whole;
 * an `error` event mid-stream (e.g. `overloaded_error`) is a provider error
 * (provider-errors.ts), and the fallback chain takes the streamed deltas back.
 */
import { z } from 'zod';
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { AppError } from '../errors';
import { ANSWER_SCHEMA_NAME, answerJsonSchema, parseWireAnswer, parseWireAnswerText, providerRefusal } from './answer-schema';
import { anthropicRequestOptions, createAnthropicClient, type AnthropicClientOptions } from './anthropic-client';
import type { GeneratedAnswer, GenerationMessage, GenerationRequest, GenerationResult, GenerationUsage, Generator } from './ports';
import { outputTruncated, toProviderError } from './provider-errors';
import { answerFromCitedText, CITATIONS_MODE_INSTRUCTIONS, citedTextBlockSchema, searchResultBlocks, textCitationSchema, type CitedTextBlock } from './anthropic-citations';

export type AnthropicGeneratorOptions = AnthropicClientOptions & {
  model: string;
  /** Per-request SDK timeout (until the response headers arrive). Default 60 s. */
  timeoutMs?: number;
  /** Native citations (ANTHROPIC_CITATIONS): sources as search_result blocks, quotes from the citations (anthropic-citations.ts). */
  citations?: boolean;
};

const answerTool = {
  name: ANSWER_SCHEMA_NAME,
  description: 'Record the answer: sentences, each citing sources [n] with short verbatim quotes; or a refusal with its reason.',
  input_schema: { ...answerJsonSchema, required: [...answerJsonSchema.required] },
} satisfies Tool;

export const usageSchema = z.object({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});
type WireUsage = z.infer<typeof usageSchema>;

const messageSchema = z.object({
  model: z.string(),
  stop_reason: z.string().nullable(),
  content: z.array(z.object({ type: z.string(), name: z.string().optional(), input: z.unknown().optional() }).passthrough()),
  usage: usageSchema,
});

/** The stream events this adapter reads; any other event type is skipped. */
const streamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message_start'), message: z.object({ model: z.string(), usage: usageSchema }) }),
  z.object({
    type: z.literal('content_block_start'),
    index: z.number(),
    content_block: z.object({ type: z.string(), name: z.string().optional() }),
  }),
  z.object({
    type: z.literal('content_block_delta'),
    index: z.number(),
    delta: z.object({ type: z.string(), partial_json: z.string().optional() }),
  }),
  z.object({ type: z.literal('message_delta'), delta: z.object({ stop_reason: z.string().nullish() }), usage: usageSchema }),
]);
const READ_EVENTS = new Set(['message_start', 'content_block_start', 'content_block_delta', 'message_delta']);

export function textBlock(message: GenerationMessage): TextBlockParam {
  return message.cacheable
    ? { type: 'text', text: message.content, cache_control: { type: 'ephemeral' } }
    : { type: 'text', text: message.content };
}

/** inputTokens counts every prompt token (uncached + cache writes + cache reads), like OpenAI's prompt_tokens. */
export function toUsage(usage: WireUsage): GenerationUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: (usage.input_tokens ?? 0) + cacheWrite + cacheRead,
    outputTokens: usage.output_tokens ?? 0,
    cachedTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}

/** Later usage figures are cumulative totals: overwrite the ones present. */
function mergeUsage(current: WireUsage, next: WireUsage): WireUsage {
  const merged: WireUsage = { ...current };
  for (const key of Object.keys(next) as (keyof WireUsage)[]) {
    const value = next[key];
    if (value !== null && value !== undefined) merged[key] = value;
  }
  return merged;
}

/** Stop reasons that mean the output was cut before the model finished it. */
const TRUNCATED_STOPS = new Set(['max_tokens', 'model_context_window_exceeded']);

/**
 * The first candidate that parses as a valid answer. When none does, the first
 * candidate's error (so a single malformed block reads as before); undefined when
 * there is no candidate at all.
 */
function firstValidAnswer(candidates: readonly (() => GeneratedAnswer)[]): GeneratedAnswer | undefined {
  let firstError: unknown;
  for (const parse of candidates) {
    try {
      return parse();
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
  return undefined;
}

export class AnthropicGenerator implements Generator {
  readonly provider = 'anthropic';
  readonly modelId: string;
  private readonly client: Anthropic;
  private readonly timeoutMs: number;
  private readonly citations: boolean;

  constructor(options: AnthropicGeneratorOptions) {
    this.client = createAnthropicClient(options);
    this.modelId = options.model;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.citations = options.citations ?? false;
  }

  async generate(request: GenerationRequest): Promise<GenerationResult> {
    if (this.citations) {
      try {
        return await this.cited(request);
      } catch (error) {
        throw toProviderError(error, { provider: this.provider, signal: request.signal });
      }
    }
    const userBlocks = request.messages.filter((message) => message.role === 'user').map(textBlock);
    const body = {
      model: this.modelId,
      max_tokens: request.maxOutputTokens,
      system: request.messages.filter((message) => message.role === 'system').map(textBlock),
      messages: [{ role: 'user', content: userBlocks }],
      tools: [answerTool],
      // One answer per reply: without this the model may call the tool twice, and two inputs are not one answer.
      tool_choice: { type: 'tool', name: ANSWER_SCHEMA_NAME, disable_parallel_tool_use: true },
    } satisfies MessageCreateParamsNonStreaming;
    const requestOptions = anthropicRequestOptions(this.timeoutMs, request.signal);
    try {
      return request.onDelta
        ? await this.streamed(body, requestOptions, request.onDelta)
        : await this.complete(body, requestOptions);
    } catch (error) {
      throw toProviderError(error, { provider: this.provider, signal: request.signal });
    }
  }

  private async complete(
    body: MessageCreateParamsNonStreaming,
    requestOptions: ReturnType<typeof anthropicRequestOptions>,
  ): Promise<GenerationResult> {
    const response: unknown = await this.client.messages.create(body, requestOptions);
    const parsed = messageSchema.safeParse(response);
    if (!parsed.success) throw this.badOutput('the message does not match the expected shape');
    const { model, stop_reason: stopReason, content, usage } = parsed.data;
    // The last block is the one being written when the output was cut; blocks before it are whole.
    const whole = stopReason !== null && TRUNCATED_STOPS.has(stopReason) ? content.slice(0, -1) : content;
    const inputs = whole.filter((block) => block.type === 'tool_use' && block.name === ANSWER_SCHEMA_NAME).map((block) => block.input);
    const output = this.outcome(stopReason, inputs.map((input) => () => parseWireAnswer(input, this.provider)));
    return { output, usage: toUsage(usage), provider: this.provider, model };
  }

  private async streamed(
    body: MessageCreateParamsNonStreaming,
    requestOptions: ReturnType<typeof anthropicRequestOptions>,
    onDelta: (text: string) => void,
  ): Promise<GenerationResult> {
    const stream = await this.client.messages.create({ ...body, stream: true }, requestOptions);
    let model = this.modelId;
    let usage: WireUsage = {};
    let stopReason: string | null = null;
    /** Each answer tool_use block's JSON by block index, in the order the blocks started. */
    const answerBlocks = new Map<number, string>();
    let lastBlockIndex: number | undefined;
    for await (const event of stream) {
      if (!READ_EVENTS.has(event.type)) continue;
      const parsed = streamEventSchema.safeParse(event);
      if (!parsed.success) throw this.badOutput(`a ${event.type} event does not match the expected shape`);
      const current = parsed.data;
      switch (current.type) {
        case 'message_start':
          model = current.message.model;
          usage = mergeUsage(usage, current.message.usage);
          break;
        case 'content_block_start':
          lastBlockIndex = current.index;
          if (current.content_block.type === 'tool_use' && current.content_block.name === ANSWER_SCHEMA_NAME) {
            answerBlocks.set(current.index, '');
          }
          break;
        case 'content_block_delta': {
          const json = answerBlocks.get(current.index);
          if (json === undefined || current.delta.type !== 'input_json_delta' || !current.delta.partial_json) break;
          answerBlocks.set(current.index, json + current.delta.partial_json);
          // Only the first answer block is shown as it streams: a second one is another answer, not more of it.
          if (current.index === answerBlocks.keys().next().value) onDelta(current.delta.partial_json);
          break;
        }
        case 'message_delta':
          stopReason = current.delta.stop_reason ?? stopReason;
          usage = mergeUsage(usage, current.usage);
          break;
        default: {
          const unexpected: never = current;
          throw this.badOutput(`unhandled event ${JSON.stringify(unexpected)}`);
        }
      }
    }
    // The SDK ends an aborted stream quietly; a partial answer must not pass for a whole one.
    requestOptions.signal?.throwIfAborted();
    const truncated = stopReason !== null && TRUNCATED_STOPS.has(stopReason);
    const texts = [...answerBlocks].filter(([index]) => !(truncated && index === lastBlockIndex)).map(([, json]) => json);
    const output = this.outcome(stopReason, texts.map((json) => () => parseWireAnswerText(json, this.provider)));
    return { output, usage: toUsage(usage), provider: this.provider, model };
  }

  /**
   * Native citations: the same cached system prompt and the mode's instructions after it; the user turn is the
   * sources as search results, the question, and any later user message (a repair's feedback). No tool: the
   * service does not combine citations with a forced tool.
   */
  private async cited(request: GenerationRequest): Promise<GenerationResult> {
    const [, ...laterUserMessages] = request.messages.filter((message) => message.role === 'user');
    const body = {
      model: this.modelId,
      max_tokens: request.maxOutputTokens,
      system: [...request.messages.filter((message) => message.role === 'system').map(textBlock), { type: 'text' as const, text: CITATIONS_MODE_INSTRUCTIONS }],
      messages: [
        {
          role: 'user' as const,
          content: [
            ...searchResultBlocks(request.sources),
            { type: 'text' as const, text: `<question>\n${request.question}\n</question>` },
            ...laterUserMessages.map(textBlock),
          ],
        },
      ],
    } satisfies MessageCreateParamsNonStreaming;
    const requestOptions = anthropicRequestOptions(this.timeoutMs, request.signal);
    let model = this.modelId;
    let usage: WireUsage = {};
    let stopReason: string | null = null;
    let blocks: CitedTextBlock[] = [];
    if (request.onDelta) {
      const stream = await this.client.messages.create({ ...body, stream: true }, requestOptions);
      const byIndex = new Map<number, CitedTextBlock>();
      for await (const event of stream) {
        if (event.type === 'message_start') {
          model = event.message.model;
          usage = mergeUsage(usage, usageSchema.parse(event.message.usage));
        } else if (event.type === 'content_block_start' && event.content_block.type === 'text') {
          byIndex.set(event.index, { type: 'text', text: '', citations: [] });
        } else if (event.type === 'content_block_delta') {
          const block = byIndex.get(event.index);
          if (!block) continue;
          if (event.delta.type === 'text_delta') {
            block.text += event.delta.text;
            request.onDelta(event.delta.text);
          } else if (event.delta.type === 'citations_delta') {
            block.citations = [...(block.citations ?? []), textCitationSchema.parse(event.delta.citation)];
          }
        } else if (event.type === 'message_delta') {
          stopReason = event.delta.stop_reason ?? stopReason;
          usage = mergeUsage(usage, usageSchema.parse(event.usage));
        }
      }
      requestOptions.signal?.throwIfAborted();
      blocks = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
    } else {
      const parsed = messageSchema.safeParse(await this.client.messages.create(body, requestOptions));
      if (!parsed.success) throw this.badOutput('the message does not match the expected shape');
      ({ model, usage } = parsed.data);
      stopReason = parsed.data.stop_reason;
      blocks = parsed.data.content.flatMap((block) => {
        const text = citedTextBlockSchema.safeParse(block);
        return text.success ? [text.data] : [];
      });
    }
    if (stopReason === 'refusal') return { output: providerRefusal('provider_refusal'), usage: toUsage(usage), provider: this.provider, model };
    if (stopReason !== null && TRUNCATED_STOPS.has(stopReason)) throw outputTruncated(this.provider, this.modelId, stopReason);
    if (blocks.every((block) => block.text.trim() === '')) throw this.badOutput('the message has no answer text');
    return { output: answerFromCitedText(blocks, request.sources), usage: toUsage(usage), provider: this.provider, model };
  }

  /**
   * A refusal stop is an answer whatever came before it; otherwise the first valid answer block,
   * and with none, a cut-off reply is PROVIDER_OUTPUT_TRUNCATED and any other PROVIDER_BAD_OUTPUT.
   */
  private outcome(stopReason: string | null, candidates: readonly (() => GeneratedAnswer)[]): GeneratedAnswer {
    if (stopReason === 'refusal') return providerRefusal('provider_refusal');
    if (stopReason !== null && TRUNCATED_STOPS.has(stopReason)) {
      try {
        const whole = firstValidAnswer(candidates);
        if (whole) return whole;
      } catch {
        // A malformed whole block says no more than the cut: the cut is what to report.
      }
      throw outputTruncated(this.provider, this.modelId, stopReason);
    }
    const output = firstValidAnswer(candidates);
    if (!output) throw this.badOutput('the message has no answer tool call');
    return output;
  }

  private badOutput(message: string): AppError {
    return new AppError('PROVIDER_BAD_OUTPUT', `anthropic: ${message}`, { details: { provider: this.provider, model: this.modelId } });
  }
}
