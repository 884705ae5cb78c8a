/**
 * The follow-up rewrite over Anthropic messages: one non-streamed call whose answer is the input of one
 * forced tool, `standalone_question`. Bounds (timeout, breaker, no retry) are the caller's
 * (src/conversations/provider-rewriter.ts); this adapter speaks the wire and validates it.
 */
import { z } from 'zod';
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming, Tool } from '@anthropic-ai/sdk/resources/messages';
import { AppError } from '../errors';
import { anthropicRequestOptions, createAnthropicClient, type AnthropicClientOptions } from './anthropic-client';
import { toUsage, usageSchema } from './anthropic-generator';
import type { QuestionRewriteModel, QuestionRewriteRequest, QuestionRewriteResult } from './ports';
import { outputTruncated, toProviderError } from './provider-errors';
import { parseRewrite, REWRITE_SCHEMA_NAME, rewriteJsonSchema } from './rewrite-schema';

export type AnthropicRewriterOptions = AnthropicClientOptions & { model: string; timeoutMs?: number };

const rewriteTool = {
  name: REWRITE_SCHEMA_NAME,
  description: 'Record the follow-up question rewritten so that it stands alone.',
  input_schema: { ...rewriteJsonSchema, required: [...rewriteJsonSchema.required] },
} satisfies Tool;

const messageSchema = z.object({
  model: z.string(),
  stop_reason: z.string().nullable(),
  content: z.array(z.object({ type: z.string(), name: z.string().optional(), input: z.unknown().optional() }).passthrough()),
  usage: usageSchema,
});

export class AnthropicRewriter implements QuestionRewriteModel {
  readonly provider = 'anthropic';
  readonly modelId: string;
  private readonly client: Anthropic;
  private readonly timeoutMs: number;

  constructor(options: AnthropicRewriterOptions) {
    this.client = createAnthropicClient(options);
    this.modelId = options.model;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async rewrite(request: QuestionRewriteRequest): Promise<QuestionRewriteResult> {
    const body = {
      model: this.modelId,
      max_tokens: request.maxOutputTokens,
      system: [{ type: 'text', text: request.system }],
      messages: [{ role: 'user', content: [{ type: 'text', text: request.user }] }],
      tools: [rewriteTool],
      tool_choice: { type: 'tool', name: REWRITE_SCHEMA_NAME, disable_parallel_tool_use: true },
    } satisfies MessageCreateParamsNonStreaming;
    try {
      const response: unknown = await this.client.messages.create(body, anthropicRequestOptions(this.timeoutMs, request.signal));
      const parsed = messageSchema.safeParse(response);
      if (!parsed.success) throw new AppError('PROVIDER_BAD_OUTPUT', 'anthropic: the rewrite message does not match the expected shape', { details: { provider: this.provider, model: this.modelId } });
      const { stop_reason: stopReason, content, usage, model } = parsed.data;
      if (stopReason === 'max_tokens' || stopReason === 'model_context_window_exceeded') throw outputTruncated(this.provider, this.modelId, stopReason);
      const block = content.find((candidate) => candidate.type === 'tool_use' && candidate.name === REWRITE_SCHEMA_NAME);
      if (!block) throw new AppError('PROVIDER_BAD_OUTPUT', `anthropic: no ${REWRITE_SCHEMA_NAME} tool use in the reply (stop_reason ${stopReason ?? 'none'})`, { details: { provider: this.provider, model: this.modelId } });
      return { standaloneQuestion: parseRewrite(block.input, this.provider), usage: toUsage(usage), provider: this.provider, model };
    } catch (error) {
      throw toProviderError(error, { provider: this.provider, signal: request.signal });
    }
  }
}
