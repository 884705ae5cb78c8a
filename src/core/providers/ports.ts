/**
 * Provider ports. Type-only: no SDK import here. Adapters live beside this file
 * and receive their client, base URL and keys through their constructor.
 */

export type EmbeddingInputType = 'document' | 'query';

export interface EmbeddingProvider {
  /** 'local' | 'openai' | 'cohere' */
  readonly provider: string;
  readonly modelId: string;
  readonly dimensions: number;
  /** Batching is done once, in the core, from this capability. */
  readonly maxEmbeddingsPerCall: number;
  /** The provider's limit on tokens summed over one call's texts (Infinity: none). */
  readonly maxTokensPerCall: number;
  /** The model's limit on one text's tokens (Infinity: none); the core splits a longer text (ingestion/embed.ts). */
  readonly maxTokensPerInput: number;
  /** A text's tokens as the model counts them (its tokenizer, or a count that does not undercount it). */
  countTokens(text: string): number;
  /** Stable identity of (provider, model, dimensions, params); vectors are only compared within one. */
  readonly fingerprint: string;
  /**
   * Weight of this model's vector list in rank fusion against BM25's 1 (default 1).
   * Tuned per model on SciFact train: a lexical embedder repeats BM25 and earns little.
   */
  readonly fusionWeight?: number;
  embed(texts: readonly string[], options: { inputType: EmbeddingInputType; signal?: AbortSignal }): Promise<number[][]>;
}

export interface RerankCandidate {
  id: string;
  text: string;
  title?: string;
}

export interface RerankResult {
  id: string;
  score: number;
}

export interface Reranker {
  readonly provider: string;
  readonly modelId: string;
  /** Returns candidates ordered best first, at most topK. */
  rerank(query: string, candidates: readonly RerankCandidate[], options: RerankOptions): Promise<RerankResult[]>;
}

export interface RerankOptions {
  topK: number;
  signal?: AbortSignal;
  /**
   * First-stage score per candidate id (e.g. the fused RRF score), higher is
   * better. Rerankers that can blend it in (the local lexical one) keep the
   * first-stage signal; model rerankers may ignore it.
   */
  priors?: ReadonlyMap<string, number>;
}

/**
 * Scores how relevant each passage is to a question, higher is more relevant,
 * one number per passage in the order given. Each implementation documents its
 * scale (a cosine in [-1, 1], a cross-encoder's raw logit, …): compare scores
 * from one scorer only.
 */
export interface RelevanceScorer {
  /** Model behind the scores (scores from different models are not comparable). */
  readonly modelId: string;
  score(question: string, passages: readonly string[], options?: { signal?: AbortSignal }): Promise<number[]>;
}

/** One source the generator may cite, labelled [n] in the prompt. */
export interface GenerationSource {
  n: number;
  title: string;
  page: number | null;
  text: string;
}

export interface GenerationMessage {
  role: 'system' | 'user';
  content: string;
  /** Marks the stable prefix for provider prompt caching (Anthropic cache_control). */
  cacheable?: boolean;
}

export interface GenerationRequest {
  /** system = stable prefix (never document text); user = sources + question. */
  messages: GenerationMessage[];
  /** Parsed sources, for generators that work on them directly (local extractive). */
  sources: GenerationSource[];
  question: string;
  maxOutputTokens: number;
  /**
   * The messages' input tokens as the context assembler counted them (cl100k, an upper bound within a few
   * tokens). Providers report their own; a generator without a bill of its own (local) reports this rather
   * than counting the whole prompt again on every answer.
   */
  inputTokens?: number;
  signal?: AbortSignal;
  /**
   * Groups requests that share a cacheable prefix (one prompt, one tenant) for providers that route by it
   * (OpenAI `prompt_cache_key`); opaque, at most 64 characters.
   */
  promptCacheKey?: string;
  /** Called with text as it streams in (best-effort; the final output is authoritative). */
  onDelta?: (text: string) => void;
  /**
   * Called before every attempt after the first (a retry, or the next provider
   * of a fallback chain): deltas streamed so far belong to an attempt that
   * failed, and the next one starts its text from the beginning.
   */
  onRestart?: () => void;
}

/** The narrow schema every generator produces (validated with zod in src/query/generate). */
export interface GeneratedAnswer {
  refused: boolean;
  refusalReason?: string;
  sentences: { text: string; citations: { source: number; quote: string }[] }[];
}

export interface GenerationUsage {
  /** Every prompt token: uncached, written to the prompt cache, and read from it. */
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens read from the provider's prompt cache. */
  cachedTokens: number;
  /** Prompt tokens written to the provider's prompt cache (Anthropic cache_creation_input_tokens; OpenAI: none). */
  cacheWriteTokens?: number;
}

export interface GenerationResult {
  output: GeneratedAnswer;
  usage: GenerationUsage;
  provider: string;
  model: string;
}

export interface Generator {
  readonly provider: string;
  readonly modelId: string;
  generate(request: GenerationRequest): Promise<GenerationResult>;
}

/** One small structured call that rewrites a follow-up into a question that stands alone (src/conversations). */
export interface QuestionRewriteRequest {
  /** Stable instructions (cacheable across turns and tenants). */
  system: string;
  /** The earlier turns and the follow-up, escaped. */
  user: string;
  maxOutputTokens: number;
  signal?: AbortSignal;
}

export interface QuestionRewriteResult {
  standaloneQuestion: string;
  usage: GenerationUsage;
  provider: string;
  /** The model id the provider answered with (a dated snapshot, for pricing). */
  model: string;
}

export interface QuestionRewriteModel {
  readonly provider: string;
  readonly modelId: string;
  rewrite(request: QuestionRewriteRequest): Promise<QuestionRewriteResult>;
}
