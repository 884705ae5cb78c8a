/**
 * EmbeddingProvider over Cohere v2 embed (embed-v4.0): input_type search_document
 * or search_query, float embeddings, output_dimension 256 | 512 | 1024 | 1536.
 */
import { z } from 'zod';
import type { CohereClientV2, Cohere } from 'cohere-ai';
import { AppError } from '../errors';
import { cl100kTokens } from './embedding-tokens';
import { cohereRequestOptions, createCohereClient, type CohereClientOptions } from './cohere-client';
import type { EmbeddingInputType, EmbeddingProvider } from './ports';
import { toProviderError } from './provider-errors';

const V4_DIMENSIONS = [256, 512, 1024, 1536] as const;

/**
 * Tokens one input may hold: embed-v4 reads 128K tokens; the v3 models 512. Cohere
 * would silently cut a longer input (truncate defaults to END), so requests say
 * truncate NONE and the core splits long texts instead (ingestion/embed.ts).
 */
export function cohereTokensPerInput(model: string): number {
  // An unknown model gets the smaller window: a needless split costs a call, a silent cut costs recall.
  return model.startsWith('embed-v4') ? 128_000 : 512;
}

/** Cohere documents 128K tokens over all inputs of one embed-v4 call; the v3 models are bound by 96 × 512. */
const COHERE_TOKENS_PER_CALL = 128_000;

export type CohereEmbedderOptions = CohereClientOptions & {
  /** e.g. 'embed-v4.0' */
  model: string;
  /** embed-v4 output_dimension; default 1536. */
  dimensions?: number;
  /** Per-request SDK timeout. Default 30 s. */
  timeoutMs?: number;
};

const embedResponseSchema = z.object({
  embeddings: z.object({ float: z.array(z.array(z.number())) }),
});

const INPUT_TYPES = {
  document: 'search_document',
  query: 'search_query',
} as const satisfies Record<EmbeddingInputType, Cohere.EmbedInputType>;

export class CohereEmbedder implements EmbeddingProvider {
  readonly provider = 'cohere';
  readonly modelId: string;
  readonly dimensions: number;
  /** Cohere's per-call limit on texts. */
  readonly maxEmbeddingsPerCall = 96;
  readonly maxTokensPerCall = COHERE_TOKENS_PER_CALL;
  readonly maxTokensPerInput: number;
  readonly fingerprint: string;
  private readonly client: CohereClientV2;
  private readonly timeoutMs: number;

  constructor(options: CohereEmbedderOptions) {
    const dimensions = options.dimensions ?? 1536;
    if (!(V4_DIMENSIONS as readonly number[]).includes(dimensions)) {
      throw new AppError('CONFIG_INVALID', `Cohere embedding dimensions must be one of ${V4_DIMENSIONS.join(', ')}, got ${dimensions}`);
    }
    this.client = createCohereClient(options);
    this.modelId = options.model;
    this.dimensions = dimensions;
    this.maxTokensPerInput = cohereTokensPerInput(options.model);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fingerprint = `cohere:${this.modelId}:${this.dimensions}`;
  }

  /**
   * Cohere's tokenizer is not published as a package; cl100k_base stands in. The
   * core fills calls and inputs to two thirds of the limits, which absorbs the
   * difference (ingestion/embed.ts).
   */
  countTokens(text: string): number {
    return cl100kTokens(text);
  }

  async embed(texts: readonly string[], options: { inputType: EmbeddingInputType; signal?: AbortSignal }): Promise<number[][]> {
    if (texts.length === 0) return [];
    if (texts.length > this.maxEmbeddingsPerCall) {
      throw new AppError('BAD_REQUEST', `at most ${this.maxEmbeddingsPerCall} texts per embedding call, got ${texts.length}`);
    }
    const request = {
      model: this.modelId,
      texts: [...texts],
      inputType: INPUT_TYPES[options.inputType],
      embeddingTypes: ['float'],
      outputDimension: this.dimensions,
      // An over-long input is an error, never a silent cut: the core splits texts to fit.
      truncate: 'NONE',
    } satisfies Cohere.V2EmbedRequest;
    let response: unknown;
    try {
      response = await this.client.embed(request, cohereRequestOptions(this.timeoutMs, options.signal));
    } catch (error) {
      throw toProviderError(error, { provider: this.provider, signal: options.signal });
    }
    const parsed = embedResponseSchema.safeParse(response);
    if (!parsed.success) throw this.badOutput('the embed response has no float embeddings');
    const vectors = parsed.data.embeddings.float;
    if (vectors.length !== texts.length) throw this.badOutput(`got ${vectors.length} embeddings for ${texts.length} texts`);
    const wrong = vectors.find((vector) => vector.length !== this.dimensions);
    if (wrong) throw this.badOutput(`embedding has ${wrong.length} dimensions, expected ${this.dimensions}`);
    return vectors;
  }

  private badOutput(message: string): AppError {
    return new AppError('PROVIDER_BAD_OUTPUT', `cohere: ${message}`, { details: { provider: this.provider, model: this.modelId } });
  }
}
