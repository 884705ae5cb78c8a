/**
 * EmbeddingProvider over OpenAI embeddings (text-embedding-3-small / -large with
 * `dimensions`). The SDK requests base64 and decodes it; the decoded response is
 * validated here (count, order, dimension) before anyone sees a vector.
 */
import { z } from 'zod';
import type OpenAI from 'openai';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { AppError } from '../errors';
import { cl100kTokens } from './embedding-tokens';
import { createOpenAIClient, openAIRequestOptions, type OpenAIClientOptions } from './openai-client';
import type { EmbeddingInputType, EmbeddingProvider } from './ports';
import { toProviderError } from './provider-errors';

/** Native sizes; the text-embedding-3 models can be shortened with `dimensions`. */
const NATIVE_DIMENSIONS: Readonly<Record<string, { dimensions: number; shortenable: boolean }>> = {
  'text-embedding-3-small': { dimensions: 1536, shortenable: true },
  'text-embedding-3-large': { dimensions: 3072, shortenable: true },
  'text-embedding-ada-002': { dimensions: 1536, shortenable: false },
};

export type OpenAIEmbedderOptions = OpenAIClientOptions & {
  model: string;
  /** Output size; defaults to the model's native size. Required for models not listed above. */
  dimensions?: number;
  /** Per-request SDK timeout (until the response arrives). Default 30 s. */
  timeoutMs?: number;
};

const embeddingResponseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
});

function resolveDimensions(model: string, requested: number | undefined): { dimensions: number; sendDimensions: boolean } {
  const native = NATIVE_DIMENSIONS[model];
  if (requested === undefined) {
    if (!native) throw new AppError('CONFIG_INVALID', `OpenAI embedding model ${model} needs explicit dimensions`);
    return { dimensions: native.dimensions, sendDimensions: false };
  }
  if (!Number.isInteger(requested) || requested < 1) {
    throw new AppError('CONFIG_INVALID', `OpenAI embedding dimensions must be a positive integer, got ${requested}`);
  }
  if (native && (requested > native.dimensions || (!native.shortenable && requested !== native.dimensions))) {
    throw new AppError('CONFIG_INVALID', `OpenAI embedding model ${model} cannot produce ${requested} dimensions`);
  }
  return { dimensions: requested, sendDimensions: native ? native.shortenable : true };
}

/**
 * OpenAI's published limits for every embedding model: at most 2048 inputs and
 * 300,000 tokens summed over one request, and 8,192 tokens per input (cl100k_base).
 */
export const OPENAI_EMBEDDING_LIMITS = { inputsPerCall: 2048, tokensPerCall: 300_000, tokensPerInput: 8192 } as const;

export class OpenAIEmbedder implements EmbeddingProvider {
  readonly provider = 'openai';
  readonly modelId: string;
  readonly dimensions: number;
  readonly maxEmbeddingsPerCall = OPENAI_EMBEDDING_LIMITS.inputsPerCall;
  readonly maxTokensPerCall = OPENAI_EMBEDDING_LIMITS.tokensPerCall;
  readonly maxTokensPerInput = OPENAI_EMBEDDING_LIMITS.tokensPerInput;
  readonly fingerprint: string;
  private readonly client: OpenAI;
  private readonly timeoutMs: number;
  private readonly sendDimensions: boolean;

  constructor(options: OpenAIEmbedderOptions) {
    this.client = createOpenAIClient(options);
    this.modelId = options.model;
    const { dimensions, sendDimensions } = resolveDimensions(options.model, options.dimensions);
    this.dimensions = dimensions;
    this.sendDimensions = sendDimensions;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fingerprint = `openai:${this.modelId}:${this.dimensions}`;
  }

  countTokens(text: string): number {
    return cl100kTokens(text);
  }

  /** OpenAI embeddings have no query/document distinction; inputType is accepted and unused. */
  async embed(texts: readonly string[], options: { inputType: EmbeddingInputType; signal?: AbortSignal }): Promise<number[][]> {
    if (texts.length === 0) return [];
    if (texts.length > this.maxEmbeddingsPerCall) {
      throw new AppError('BAD_REQUEST', `at most ${this.maxEmbeddingsPerCall} texts per embedding call, got ${texts.length}`);
    }
    const body = {
      model: this.modelId,
      input: [...texts],
      ...(this.sendDimensions ? { dimensions: this.dimensions } : {}),
    } satisfies EmbeddingCreateParams;
    let response: unknown;
    try {
      response = await this.client.embeddings.create(body, openAIRequestOptions(this.timeoutMs, options.signal));
    } catch (error) {
      throw toProviderError(error, { provider: this.provider, signal: options.signal });
    }
    return this.toVectors(response, texts.length);
  }

  private toVectors(response: unknown, expected: number): number[][] {
    const parsed = embeddingResponseSchema.safeParse(response);
    if (!parsed.success) throw this.badOutput('the embedding response does not match the expected shape');
    const vectors: (number[] | undefined)[] = new Array<number[] | undefined>(expected);
    for (const item of parsed.data.data) {
      if (item.index >= expected || vectors[item.index]) throw this.badOutput(`unexpected embedding index ${item.index}`);
      if (item.embedding.length !== this.dimensions) {
        throw this.badOutput(`embedding has ${item.embedding.length} dimensions, expected ${this.dimensions}`);
      }
      vectors[item.index] = item.embedding;
    }
    return Array.from(vectors, (vector, index) => {
      if (!vector) throw this.badOutput(`missing embedding for input ${index}`);
      return vector;
    });
  }

  private badOutput(message: string): AppError {
    return new AppError('PROVIDER_BAD_OUTPUT', `openai: ${message}`, { details: { provider: this.provider, model: this.modelId } });
  }
}
