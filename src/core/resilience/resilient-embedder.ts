/**
 * An EmbeddingProvider under a resilience policy (retry → breaker → timeout). Same
 * identity as the wrapped one: there is no fallback, because vectors from another
 * model are not comparable.
 */
import type { EmbeddingInputType, EmbeddingProvider } from '../providers/ports';
import { callWithPolicy, type ResiliencePolicy } from './resilience-policy';

export class ResilientEmbedder implements EmbeddingProvider {
  readonly provider: string;
  readonly modelId: string;
  readonly dimensions: number;
  readonly maxEmbeddingsPerCall: number;
  readonly maxTokensPerCall: number;
  readonly maxTokensPerInput: number;
  readonly fingerprint: string;
  private readonly inner: EmbeddingProvider;
  private readonly policy: ResiliencePolicy;

  /** policy.timeoutMs defaults to 30 000. */
  constructor(inner: EmbeddingProvider, policy: ResiliencePolicy = {}) {
    this.inner = inner;
    this.policy = { ...policy, timeoutMs: policy.timeoutMs ?? 30_000 };
    this.provider = inner.provider;
    this.modelId = inner.modelId;
    this.dimensions = inner.dimensions;
    this.maxEmbeddingsPerCall = inner.maxEmbeddingsPerCall;
    this.maxTokensPerCall = inner.maxTokensPerCall;
    this.maxTokensPerInput = inner.maxTokensPerInput;
    this.fingerprint = inner.fingerprint;
  }

  countTokens(text: string): number {
    return this.inner.countTokens(text);
  }

  embed(texts: readonly string[], options: { inputType: EmbeddingInputType; signal?: AbortSignal }): Promise<number[][]> {
    return callWithPolicy(this.policy, { signal: options.signal, provider: this.provider }, (signal) =>
      this.inner.embed(texts, { inputType: options.inputType, ...(signal ? { signal } : {}) }),
    );
  }
}
