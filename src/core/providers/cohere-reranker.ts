/**
 * Reranker over Cohere v2 rerank (e.g. 'rerank-v3.5'). Candidates are sent as
 * plain text (title, blank line, text); results map back to candidate ids by index.
 */
import { z } from 'zod';
import type { CohereClientV2, Cohere } from 'cohere-ai';
import { AppError } from '../errors';
import { cohereRequestOptions, createCohereClient, type CohereClientOptions } from './cohere-client';
import type { RerankCandidate, Reranker, RerankResult } from './ports';
import { toProviderError } from './provider-errors';

export type CohereRerankerOptions = CohereClientOptions & {
  /** e.g. 'rerank-v3.5' */
  model: string;
  /** Per-request SDK timeout. Default 30 s. */
  timeoutMs?: number;
  /** Longer documents are truncated by Cohere to this many tokens (Cohere's default: 4096). */
  maxTokensPerDoc?: number;
};

const rerankResponseSchema = z.object({
  results: z.array(z.object({ index: z.number().int().min(0), relevanceScore: z.number() })),
});

function documentText(candidate: RerankCandidate): string {
  return candidate.title ? `${candidate.title}\n\n${candidate.text}` : candidate.text;
}

export class CohereReranker implements Reranker {
  readonly provider = 'cohere';
  readonly modelId: string;
  private readonly client: CohereClientV2;
  private readonly timeoutMs: number;
  private readonly maxTokensPerDoc: number | undefined;

  constructor(options: CohereRerankerOptions) {
    this.client = createCohereClient(options);
    this.modelId = options.model;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxTokensPerDoc = options.maxTokensPerDoc;
  }

  async rerank(
    query: string,
    candidates: readonly RerankCandidate[],
    options: { topK: number; signal?: AbortSignal },
  ): Promise<RerankResult[]> {
    const topN = Math.min(options.topK, candidates.length);
    if (topN <= 0) return [];
    const request = {
      model: this.modelId,
      query,
      documents: candidates.map(documentText),
      topN,
      ...(this.maxTokensPerDoc === undefined ? {} : { maxTokensPerDoc: this.maxTokensPerDoc }),
    } satisfies Cohere.V2RerankRequest;
    let response: unknown;
    try {
      response = await this.client.rerank(request, cohereRequestOptions(this.timeoutMs, options.signal));
    } catch (error) {
      throw toProviderError(error, { provider: this.provider, signal: options.signal });
    }
    return this.toResults(response, candidates, topN);
  }

  private toResults(response: unknown, candidates: readonly RerankCandidate[], topN: number): RerankResult[] {
    const parsed = rerankResponseSchema.safeParse(response);
    if (!parsed.success) throw this.badOutput('the rerank response does not match the expected shape');
    const seen = new Set<number>();
    const results = parsed.data.results.map(({ index, relevanceScore }) => {
      const candidate = candidates[index];
      if (!candidate || seen.has(index)) throw this.badOutput(`unexpected rerank index ${index}`);
      seen.add(index);
      return { id: candidate.id, score: relevanceScore };
    });
    return results.sort((left, right) => right.score - left.score).slice(0, topN);
  }

  private badOutput(message: string): AppError {
    return new AppError('PROVIDER_BAD_OUTPUT', `cohere: ${message}`, { details: { provider: this.provider, model: this.modelId } });
  }
}
