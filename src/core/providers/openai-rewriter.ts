/**
 * The follow-up rewrite over OpenAI chat.completions: one non-streamed call with strict json_schema
 * structured output (`standalone_question`). Bounds (timeout, breaker, no retry) are the caller's
 * (src/conversations/provider-rewriter.ts); this adapter speaks the wire and validates it.
 */
import { z } from 'zod';
import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { AppError } from '../errors';
import { createOpenAIClient, openAIRequestOptions, type OpenAIClientOptions } from './openai-client';
import { toUsage, usageSchema } from './openai-generator';
import type { QuestionRewriteModel, QuestionRewriteRequest, QuestionRewriteResult } from './ports';
import { outputTruncated, toProviderError } from './provider-errors';
import { parseRewriteText, rewriteResponseFormat } from './rewrite-schema';

export type OpenAIRewriterOptions = OpenAIClientOptions & { model: string; timeoutMs?: number };

const completionSchema = z.object({
  model: z.string(),
  choices: z.array(z.object({ finish_reason: z.string().nullable(), message: z.object({ content: z.string().nullable(), refusal: z.string().nullish() }) })).min(1),
  usage: usageSchema,
});

export class OpenAIRewriter implements QuestionRewriteModel {
  readonly provider = 'openai';
  readonly modelId: string;
  private readonly client: OpenAI;
  private readonly timeoutMs: number;

  constructor(options: OpenAIRewriterOptions) {
    this.client = createOpenAIClient(options);
    this.modelId = options.model;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async rewrite(request: QuestionRewriteRequest): Promise<QuestionRewriteResult> {
    const body = {
      model: this.modelId,
      messages: [
        { role: 'system', content: request.system },
        { role: 'user', content: request.user },
      ],
      max_completion_tokens: request.maxOutputTokens,
      response_format: rewriteResponseFormat,
    } satisfies ChatCompletionCreateParamsNonStreaming;
    try {
      const response: unknown = await this.client.chat.completions.create(body, openAIRequestOptions(this.timeoutMs, request.signal));
      const parsed = completionSchema.safeParse(response);
      if (!parsed.success) throw new AppError('PROVIDER_BAD_OUTPUT', 'openai: the rewrite completion does not match the expected shape', { details: { provider: this.provider, model: this.modelId } });
      const choice = parsed.data.choices[0];
      if (choice?.message.refusal) throw new AppError('PROVIDER_BAD_OUTPUT', 'openai: the model refused to rewrite the question', { details: { provider: this.provider, model: this.modelId } });
      if (choice?.finish_reason === 'length') throw outputTruncated(this.provider, this.modelId, 'length');
      const standaloneQuestion = parseRewriteText(choice?.message.content ?? '', this.provider);
      return { standaloneQuestion, usage: toUsage(parsed.data.usage), provider: this.provider, model: parsed.data.model };
    } catch (error) {
      throw toProviderError(error, { provider: this.provider, signal: request.signal });
    }
  }
}
