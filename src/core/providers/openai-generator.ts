/**
 * Generator over OpenAI chat.completions with strict json_schema structured output.
 * With `onDelta`, the completion is streamed and the raw JSON text deltas are
 * forwarded as they arrive; the concatenated text is parsed at the end, exactly
 * like the non-streamed message content.
 */
import { z } from 'zod';
import type OpenAI from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { AppError } from '../errors';
import { answerResponseFormat, parseWireAnswerText, providerRefusal } from './answer-schema';
import { createOpenAIClient, openAIRequestOptions, type OpenAIClientOptions } from './openai-client';
import type { GenerationMessage, GenerationRequest, GenerationResult, GenerationUsage, Generator } from './ports';
import { outputTruncated, toProviderError } from './provider-errors';

export type OpenAIGeneratorOptions = OpenAIClientOptions & {
  model: string;
  /** Per-request SDK timeout (until the response headers arrive). Default 60 s. */
  timeoutMs?: number;
};

export const usageSchema = z
  .object({
    prompt_tokens: z.number(),
    completion_tokens: z.number(),
    prompt_tokens_details: z.object({ cached_tokens: z.number().nullish() }).nullish(),
  })
  .nullish();

const completionSchema = z.object({
  model: z.string(),
  choices: z
    .array(
      z.object({
        finish_reason: z.string().nullable(),
        message: z.object({ content: z.string().nullable(), refusal: z.string().nullish() }),
      }),
    )
    .min(1),
  usage: usageSchema,
});

const chunkSchema = z.object({
  model: z.string().optional(),
  choices: z.array(
    z.object({
      finish_reason: z.string().nullish(),
      delta: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }),
    }),
  ),
  usage: usageSchema,
});

/** What both the streamed and the non-streamed paths collect before parsing. */
interface RawCompletion {
  text: string;
  refusal: string;
  finishReason: string | null;
  usage: z.infer<typeof usageSchema>;
  model: string;
}

function toMessage(message: GenerationMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: message.content };
    default: {
      const unexpected: never = message.role;
      throw new AppError('INTERNAL', `unknown message role ${String(unexpected)}`);
    }
  }
}

export function toUsage(usage: z.infer<typeof usageSchema>): GenerationUsage {
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    // OpenAI caches prompts on its own and bills no writes.
    cacheWriteTokens: 0,
  };
}

export class OpenAIGenerator implements Generator {
  readonly provider = 'openai';
  readonly modelId: string;
  private readonly client: OpenAI;
  private readonly timeoutMs: number;

  constructor(options: OpenAIGeneratorOptions) {
    this.client = createOpenAIClient(options);
    this.modelId = options.model;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  async generate(request: GenerationRequest): Promise<GenerationResult> {
    const body = {
      model: this.modelId,
      messages: request.messages.map(toMessage),
      max_completion_tokens: request.maxOutputTokens,
      response_format: answerResponseFormat,
      // Keeps one tenant's requests (one cacheable prefix) on the same cache; the prefix itself keeps tenants apart.
      ...(request.promptCacheKey ? { prompt_cache_key: request.promptCacheKey } : {}),
    } satisfies ChatCompletionCreateParamsNonStreaming;
    const requestOptions = openAIRequestOptions(this.timeoutMs, request.signal);
    try {
      const raw = request.onDelta
        ? await this.streamed(body, requestOptions, request.onDelta)
        : await this.complete(body, requestOptions);
      return this.finish(raw);
    } catch (error) {
      throw toProviderError(error, { provider: this.provider, signal: request.signal });
    }
  }

  private async complete(
    body: ChatCompletionCreateParamsNonStreaming,
    requestOptions: ReturnType<typeof openAIRequestOptions>,
  ): Promise<RawCompletion> {
    const response: unknown = await this.client.chat.completions.create(body, requestOptions);
    const parsed = completionSchema.safeParse(response);
    if (!parsed.success) throw this.badOutput('the chat completion does not match the expected shape');
    const { model, choices, usage } = parsed.data;
    const choice = choices[0];
    return {
      text: choice?.message.content ?? '',
      refusal: choice?.message.refusal ?? '',
      finishReason: choice?.finish_reason ?? null,
      usage,
      model,
    };
  }

  private async streamed(
    body: ChatCompletionCreateParamsNonStreaming,
    requestOptions: ReturnType<typeof openAIRequestOptions>,
    onDelta: (text: string) => void,
  ): Promise<RawCompletion> {
    const stream = await this.client.chat.completions.create(
      { ...body, stream: true, stream_options: { include_usage: true } },
      requestOptions,
    );
    const raw: RawCompletion = { text: '', refusal: '', finishReason: null, usage: undefined, model: this.modelId };
    for await (const chunk of stream) {
      const parsed = chunkSchema.safeParse(chunk);
      if (!parsed.success) throw this.badOutput('a streamed chunk does not match the expected shape');
      if (parsed.data.model) raw.model = parsed.data.model;
      if (parsed.data.usage) raw.usage = parsed.data.usage;
      const choice = parsed.data.choices[0];
      if (!choice) continue;
      if (choice.finish_reason) raw.finishReason = choice.finish_reason;
      if (choice.delta.refusal) raw.refusal += choice.delta.refusal;
      if (choice.delta.content) {
        raw.text += choice.delta.content;
        onDelta(choice.delta.content);
      }
    }
    // The SDK ends an aborted stream quietly; a partial answer must not pass for a whole one.
    requestOptions.signal?.throwIfAborted();
    return raw;
  }

  /**
   * How the completion ended decides the outcome: a structured-output refusal (`message.refusal`) is the refusal
   * `provider_refusal`, and `finish_reason: content_filter` the refusal `content_filter` (the provider withheld the
   * output; neither is retried or routed around); `length` is PROVIDER_OUTPUT_TRUNCATED (not retried: the same
   * request is cut again; the chain moves on); anything else is parsed as the answer.
   */
  private finish(raw: RawCompletion): GenerationResult {
    const usage = toUsage(raw.usage);
    const base = { usage, provider: this.provider, model: raw.model };
    if (raw.refusal) return { ...base, output: providerRefusal('provider_refusal') };
    if (raw.finishReason === 'content_filter') return { ...base, output: providerRefusal('content_filter') };
    if (raw.finishReason === 'length') throw outputTruncated(this.provider, this.modelId, 'length');
    return { ...base, output: parseWireAnswerText(raw.text, this.provider) };
  }

  private badOutput(message: string): AppError {
    return new AppError('PROVIDER_BAD_OUTPUT', `openai: ${message}`, { details: { provider: this.provider, model: this.modelId } });
  }
}
