import type { Config } from '../config';
import {
  CircuitBreaker,
  FallbackChain,
  ResilientEmbedder,
  ResilientReranker,
  type CircuitBreakerOptions,
  type FallbackEntry,
  type RetryPolicy,
} from '../resilience';
import { AnthropicGenerator } from './anthropic-generator';
import { CohereEmbedder } from './cohere-embedder';
import { CohereReranker } from './cohere-reranker';
import { LocalLexicalReranker } from './local-reranker';
import { OpenAIEmbedder } from './openai-embedder';
import { OpenAIGenerator } from './openai-generator';
import type { EmbeddingProvider, Generator, QuestionRewriteModel, Reranker } from './ports';
import { OpenAIRewriter } from './openai-rewriter';
import { AnthropicRewriter } from './anthropic-rewriter';
import { LocalExtractiveGenerator } from '../../query/local-generator';
import { floorsFor, LexicalRelevanceScorer, RELEVANCE_FLOORS, RerankerRelevanceScorer, type RelevanceFloors, type RelevanceScorer } from '../../query/relevance';

/**
 * Builds provider adapters from config: only the composition root calls this.
 * A provider without its key is simply not configured; naming it in
 * GENERATORS or RERANKER then fails the start with the variable to set.
 */
export interface Providers {
  embedders: EmbeddingProvider[];
  reranker: Reranker;
  /** Relevance for the answerability gate, the extractive answerer and claim support. */
  relevance: { scorer: RelevanceScorer; floors: RelevanceFloors };
  chain: FallbackChain;
  breakers: CircuitBreaker[];
  /** The follow-up rewrite's model and its own breaker (REWRITER); none: the local rewrite. */
  rewriter?: { model: QuestionRewriteModel; breaker: CircuitBreaker; timeoutMs: number; maxOutputTokens: number };
}

export const DEFAULT_REWRITE_MODELS = { openai: 'gpt-4.1-nano', anthropic: 'claude-haiku-4-5' } as const;

function missingKey(variable: string, forSetting: string): Error {
  return new Error(`Invalid configuration: ${variable} is required when ${forSetting}`);
}

/**
 * Resilience settings that are not configuration (tests and benchmarks shorten
 * them): merged into every retry policy and circuit breaker built here.
 * PROVIDER_MAX_RETRIES still sets maxRetries unless `retry.maxRetries` is given.
 */
export interface ProviderOverrides {
  retry?: Omit<RetryPolicy, 'maxRetries'> & { maxRetries?: number };
  breaker?: Omit<CircuitBreakerOptions, 'name'>;
}

export function createProviders(config: Config, overrides: ProviderOverrides = {}): Providers {
  const retry: RetryPolicy = { maxRetries: config.PROVIDER_MAX_RETRIES, ...overrides.retry };
  const breakers: CircuitBreaker[] = [];
  const breaker = (name: string) => {
    const created = new CircuitBreaker({ ...overrides.breaker, name });
    breakers.push(created);
    return created;
  };
  const policy = (name: string) => ({ breaker: breaker(name), timeoutMs: config.PROVIDER_TIMEOUT_MS, retry });

  const embedders: EmbeddingProvider[] = [];
  if (config.OPENAI_API_KEY) {
    embedders.push(
      new ResilientEmbedder(
        new OpenAIEmbedder({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, model: config.OPENAI_EMBEDDING_MODEL, dimensions: config.OPENAI_EMBEDDING_DIMENSIONS }),
        policy('openai-embeddings'),
      ),
    );
  }
  if (config.COHERE_API_KEY) {
    embedders.push(new ResilientEmbedder(new CohereEmbedder({ apiKey: config.COHERE_API_KEY, baseURL: config.COHERE_BASE_URL, model: config.COHERE_EMBEDDING_MODEL }), policy('cohere-embeddings')));
  }

  let reranker: Reranker = new LocalLexicalReranker();
  if (config.RERANKER === 'cohere') {
    if (!config.COHERE_API_KEY) throw missingKey('COHERE_API_KEY', 'RERANKER=cohere');
    reranker = new ResilientReranker(new CohereReranker({ apiKey: config.COHERE_API_KEY, baseURL: config.COHERE_BASE_URL, model: config.COHERE_RERANK_MODEL }), policy('cohere-rerank'));
  }

  const relevance = relevanceFrom(config, reranker);
  const entries: FallbackEntry[] = config.GENERATORS.map((name): FallbackEntry => {
    switch (name) {
      case 'openai': {
        if (!config.OPENAI_API_KEY) throw missingKey('OPENAI_API_KEY', 'GENERATORS includes openai');
        const generator: Generator = new OpenAIGenerator({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, model: config.OPENAI_MODEL });
        return { generator, breaker: breaker('openai'), timeoutMs: config.PROVIDER_TIMEOUT_MS };
      }
      case 'anthropic': {
        if (!config.ANTHROPIC_API_KEY) throw missingKey('ANTHROPIC_API_KEY', 'GENERATORS includes anthropic');
        const generator: Generator = new AnthropicGenerator({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL, model: config.ANTHROPIC_MODEL, citations: config.ANTHROPIC_CITATIONS });
        return { generator, breaker: breaker('anthropic'), timeoutMs: config.PROVIDER_TIMEOUT_MS };
      }
      case 'local':
        // The local extractive generator is the degraded fallback unless it is the only one.
        return { generator: new LocalExtractiveGenerator({ scorer: relevance.scorer, minRelevance: relevance.floors.extractive }), degraded: config.GENERATORS.length > 1, retry: { maxRetries: 0 } };
      default: {
        const unknown: never = name;
        throw new Error(`unknown generator ${String(unknown)}`);
      }
    }
  });
  const rewriteModel = rewriterFrom(config);
  const rewriter = rewriteModel ? { model: rewriteModel, breaker: breaker(`${rewriteModel.provider}-rewrite`), timeoutMs: config.REWRITE_TIMEOUT_MS, maxOutputTokens: config.REWRITE_MAX_OUTPUT_TOKENS } : undefined;
  return { embedders, reranker, relevance, chain: new FallbackChain(entries, { timeoutMs: config.PROVIDER_TIMEOUT_MS, retry }), breakers, ...(rewriter ? { rewriter } : {}) };
}

/** REWRITER: `auto` follows GENERATORS' first provider; the local rewrite needs no model. */
function rewriterFrom(config: Config): QuestionRewriteModel | undefined {
  const name = config.REWRITER === 'auto' ? config.GENERATORS.find((generator) => generator !== 'local') : config.REWRITER;
  switch (name) {
    case undefined:
    case 'local':
      return undefined;
    case 'openai':
      if (!config.OPENAI_API_KEY) throw missingKey('OPENAI_API_KEY', 'REWRITER is openai');
      return new OpenAIRewriter({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, model: config.REWRITE_MODEL ?? DEFAULT_REWRITE_MODELS.openai, timeoutMs: config.REWRITE_TIMEOUT_MS });
    case 'anthropic':
      if (!config.ANTHROPIC_API_KEY) throw missingKey('ANTHROPIC_API_KEY', 'REWRITER is anthropic');
      return new AnthropicRewriter({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL, model: config.REWRITE_MODEL ?? DEFAULT_REWRITE_MODELS.anthropic, timeoutMs: config.REWRITE_TIMEOUT_MS });
    default: {
      const unknown: never = name;
      throw new Error(`unknown rewriter ${String(unknown)}`);
    }
  }
}

/**
 * The reranker scores relevance when floors are calibrated for it (RELEVANCE_FLOORS: a cross-encoder once
 * its floors are measured); otherwise the lexical stand-in, whose floors are. An uncalibrated scorer's
 * scores could not be judged, and a provider reranker would cost a call per answer for nothing.
 */
function relevanceFrom(config: Config, reranker: Reranker): Providers['relevance'] {
  const wrapped = new RerankerRelevanceScorer(reranker);
  const scorer: RelevanceScorer = RELEVANCE_FLOORS[wrapped.id] ? wrapped : new LexicalRelevanceScorer();
  const floors = floorsFor(scorer, {
    ...(config.GATE_RELEVANCE_FLOOR === undefined ? {} : { gate: config.GATE_RELEVANCE_FLOOR }),
    ...(config.EXTRACTIVE_RELEVANCE_FLOOR === undefined ? {} : { extractive: config.EXTRACTIVE_RELEVANCE_FLOOR }),
    ...(config.CLAIM_SUPPORT_FLOOR === undefined ? {} : { support: config.CLAIM_SUPPORT_FLOOR }),
  });
  return { scorer, floors };
}
