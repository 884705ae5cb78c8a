/** A Reranker under a resilience policy (retry → breaker → timeout). */
import type { Reranker, RerankCandidate, RerankResult } from '../providers/ports';
import { callWithPolicy, type ResiliencePolicy } from './resilience-policy';

export class ResilientReranker implements Reranker {
  readonly provider: string;
  readonly modelId: string;
  private readonly inner: Reranker;
  private readonly policy: ResiliencePolicy;

  /** policy.timeoutMs defaults to 10 000. */
  constructor(inner: Reranker, policy: ResiliencePolicy = {}) {
    this.inner = inner;
    this.policy = { ...policy, timeoutMs: policy.timeoutMs ?? 10_000 };
    this.provider = inner.provider;
    this.modelId = inner.modelId;
  }

  rerank(query: string, candidates: readonly RerankCandidate[], options: { topK: number; signal?: AbortSignal }): Promise<RerankResult[]> {
    return callWithPolicy(this.policy, { signal: options.signal, provider: this.provider }, (signal) =>
      this.inner.rerank(query, candidates, { topK: options.topK, ...(signal ? { signal } : {}) }),
    );
  }
}
