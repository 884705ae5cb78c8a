/**
 * Generator over Anthropic messages. The answer comes back as the input of one
 * forced tool, `answer`, whose input_schema is the answer schema. The system
 * prompt is sent as text blocks, with `cache_control: ephemeral` on cacheable
 * ones. With `onDelta`, the message is streamed (`stream: true`, the SDK's raw
 * event stream) and each `input_json_delta` is forwarded; the concatenated JSON
 * is parsed at the end, exactly like the non-streamed tool input.
 */
import { z } from 'zod';
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { AppError } from '../errors';
import { ANSWER_SCHEMA_NAME, answerJsonSchema, parseWireAnswer, parseWireAnswerText } from './answer-schema';
import { anthropicRequestOptions, createAnthropicClient, type AnthropicClientOptions } from './anthropic-client';
import type { GeneratedAnswer, GenerationMessage, GenerationRequest, GenerationResult, GenerationUsage, Generator } from './ports';
import { toProviderError } from './provider-errors';

export type AnthropicGeneratorOptions = AnthropicClientOptions & {
  model: string;
  /** Per-request SDK timeout (until the response headers arrive). Default 60 s. */
  timeoutMs?: number;
};

const answerTool = {
  name: ANSWER_SCHEMA_NAME,
  description: 'Record the answer: sentences, each citing sources [n] with short verbatim quotes; or a refusal with its reason.',
  input_schema: { ...answerJsonSchema, required: [...answerJsonSchema.required] },
} satisfies Tool;

const usageSchema = z.object({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});
type WireUsage = z.infer<typeof usageSchema>;

const messageSchema = z.object({
  model: z.string(),
  stop_reason: z.string().nullable(),
  content: z.array(z.object({ type: z.string(), name: z.string().optional(), input: z.unknown().optional() })),
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

function textBlock(message: GenerationMessage): TextBlockParam {
  return message.cacheable
    ? { type: 'text', text: message.content, cache_control: { type: 'ephemeral' } }
    : { type: 'text', text: message.content };
}

/** inputTokens counts every prompt token (uncached + cache writes + cache reads), like OpenAI's prompt_tokens. */
function toUsage(usage: WireUsage): GenerationUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  return {
    inputTokens: (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + cacheRead,
    outputTokens: usage.output_tokens ?? 0,
    cachedTokens: cacheRead,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
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

export class AnthropicGenerator implements Generator {
  readonly provider = 'anthropic';
  readonly modelId: string;
  private readonly client: Anthropic;
  private readonly timeoutMs: number;

  constructor(options: AnthropicGeneratorOptions) {
    this.client = createAnthropicClient(options);
    this.modelId = options.model;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  async generate(request: GenerationRequest): Promise<GenerationResult> {
    const userBlocks = request.messages.filter((message) => message.role === 'user').map(textBlock);
    const body = {
      model: this.modelId,
      max_tokens: request.maxOutputTokens,
      system: request.messages.filter((message) => message.role === 'system').map(textBlock),
      messages: [{ role: 'user', content: userBlocks }],
      tools: [answerTool],
      tool_choice: { type: 'tool', name: ANSWER_SCHEMA_NAME },
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
    const toolUse = content.find((block) => block.type === 'tool_use' && block.name === ANSWER_SCHEMA_NAME);
    const output = this.checkStop(stopReason) ?? (toolUse ? parseWireAnswer(toolUse.input, this.provider) : undefined);
    if (!output) throw this.badOutput('the message has no answer tool call');
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
    let answerIndex: number | undefined;
    let json = '';
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
          if (current.content_block.type === 'tool_use' && current.content_block.name === ANSWER_SCHEMA_NAME) {
            answerIndex = current.index;
          }
          break;
        case 'content_block_delta':
          if (current.index === answerIndex && current.delta.type === 'input_json_delta' && current.delta.partial_json) {
            json += current.delta.partial_json;
            onDelta(current.delta.partial_json);
          }
          break;
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
    const output = this.checkStop(stopReason) ?? (answerIndex === undefined ? undefined : parseWireAnswerText(json, this.provider));
    if (!output) throw this.badOutput('the streamed message has no answer tool call');
    return { output, usage: toUsage(usage), provider: this.provider, model };
  }

  /** A refusal stop is an answer; a max_tokens stop means the tool input is cut off. */
  private checkStop(stopReason: string | null): GeneratedAnswer | undefined {
    if (stopReason === 'refusal') {
      return { refused: true, refusalReason: 'The model declined to answer.', sentences: [] };
    }
    if (stopReason === 'max_tokens') throw this.badOutput('the answer was cut off at the output token limit');
    return undefined;
  }

  private badOutput(message: string): AppError {
    return new AppError('PROVIDER_BAD_OUTPUT', `anthropic: ${message}`, { details: { provider: this.provider, model: this.modelId } });
  }
}
