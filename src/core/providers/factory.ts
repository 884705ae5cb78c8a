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
import { LocalLexicalReranker } from './local-reranker';
import type { EmbeddingProvider, Generator, QuestionRewriteModel, Reranker } from './ports';
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

/**
 * The adapters of each provider whose key is set, and only those: the SDKs are large (cohere-ai is 729 CommonJS
 * files; with @anthropic-ai/sdk and openai, about 1 s of every start), and the embedded default uses none.
 */
interface AdapterModules {
  openai?: typeof import('./openai-embedder') & typeof import('./openai-generator') & typeof import('./openai-rewriter');
  cohere?: typeof import('./cohere-embedder') & typeof import('./cohere-reranker');
  anthropic?: typeof import('./anthropic-generator') & typeof import('./anthropic-rewriter');
}

async function loadAdapters(config: Config): Promise<AdapterModules> {
  const [openai, cohere, anthropic] = await Promise.all([
    config.OPENAI_API_KEY ? Promise.all([import('./openai-embedder'), import('./openai-generator'), import('./openai-rewriter')]).then((parts) => Object.assign({}, ...parts) as AdapterModules['openai']) : undefined,
    config.COHERE_API_KEY ? Promise.all([import('./cohere-embedder'), import('./cohere-reranker')]).then((parts) => Object.assign({}, ...parts) as AdapterModules['cohere']) : undefined,
    config.ANTHROPIC_API_KEY ? Promise.all([import('./anthropic-generator'), import('./anthropic-rewriter')]).then((parts) => Object.assign({}, ...parts) as AdapterModules['anthropic']) : undefined,
  ]);
  return { ...(openai ? { openai } : {}), ...(cohere ? { cohere } : {}), ...(anthropic ? { anthropic } : {}) };
}

export async function createProviders(config: Config, overrides: ProviderOverrides = {}): Promise<Providers> {
  const { openai, cohere, anthropic } = await loadAdapters(config);
  const retry: RetryPolicy = { maxRetries: config.PROVIDER_MAX_RETRIES, ...overrides.retry };
  const breakers: CircuitBreaker[] = [];
  const breaker = (name: string) => {
    const created = new CircuitBreaker({ ...overrides.breaker, name });
    breakers.push(created);
    return created;
  };
  const policy = (name: string) => ({ breaker: breaker(name), timeoutMs: config.PROVIDER_TIMEOUT_MS, retry });

  const embedders: EmbeddingProvider[] = [];
  if (config.OPENAI_API_KEY && openai) {
    embedders.push(
      new ResilientEmbedder(
        new openai.OpenAIEmbedder({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, model: config.OPENAI_EMBEDDING_MODEL, dimensions: config.OPENAI_EMBEDDING_DIMENSIONS }),
        policy('openai-embeddings'),
      ),
    );
  }
  if (config.COHERE_API_KEY && cohere) {
    embedders.push(new ResilientEmbedder(new cohere.CohereEmbedder({ apiKey: config.COHERE_API_KEY, baseURL: config.COHERE_BASE_URL, model: config.COHERE_EMBEDDING_MODEL }), policy('cohere-embeddings')));
  }

  let reranker: Reranker = new LocalLexicalReranker();
  if (config.RERANKER === 'cohere') {
    if (!config.COHERE_API_KEY || !cohere) throw missingKey('COHERE_API_KEY', 'RERANKER=cohere');
    reranker = new ResilientReranker(new cohere.CohereReranker({ apiKey: config.COHERE_API_KEY, baseURL: config.COHERE_BASE_URL, model: config.COHERE_RERANK_MODEL }), policy('cohere-rerank'));
  }

  const relevance = relevanceFrom(config, reranker);
  const entries: FallbackEntry[] = config.GENERATORS.map((name): FallbackEntry => {
    switch (name) {
      case 'openai': {
        if (!config.OPENAI_API_KEY || !openai) throw missingKey('OPENAI_API_KEY', 'GENERATORS includes openai');
        const generator: Generator = new openai.OpenAIGenerator({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, model: config.OPENAI_MODEL });
        return { generator, breaker: breaker('openai'), timeoutMs: config.PROVIDER_TIMEOUT_MS };
      }
      case 'anthropic': {
        if (!config.ANTHROPIC_API_KEY || !anthropic) throw missingKey('ANTHROPIC_API_KEY', 'GENERATORS includes anthropic');
        const generator: Generator = new anthropic.AnthropicGenerator({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL, model: config.ANTHROPIC_MODEL, citations: config.ANTHROPIC_CITATIONS });
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
  const rewriteModel = rewriterFrom(config, { openai, anthropic });
  const rewriter = rewriteModel ? { model: rewriteModel, breaker: breaker(`${rewriteModel.provider}-rewrite`), timeoutMs: config.REWRITE_TIMEOUT_MS, maxOutputTokens: config.REWRITE_MAX_OUTPUT_TOKENS } : undefined;
  return { embedders, reranker, relevance, chain: new FallbackChain(entries, { timeoutMs: config.PROVIDER_TIMEOUT_MS, retry }), breakers, ...(rewriter ? { rewriter } : {}) };
}

/** REWRITER: `auto` follows GENERATORS' first provider; the local rewrite needs no model. */
function rewriterFrom(config: Config, { openai, anthropic }: AdapterModules): QuestionRewriteModel | undefined {
  const name = config.REWRITER === 'auto' ? config.GENERATORS.find((generator) => generator !== 'local') : config.REWRITER;
  switch (name) {
    case undefined:
    case 'local':
      return undefined;
    case 'openai':
      if (!config.OPENAI_API_KEY || !openai) throw missingKey('OPENAI_API_KEY', 'REWRITER is openai');
      return new openai.OpenAIRewriter({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, model: config.REWRITE_MODEL ?? DEFAULT_REWRITE_MODELS.openai, timeoutMs: config.REWRITE_TIMEOUT_MS });
    case 'anthropic':
      if (!config.ANTHROPIC_API_KEY || !anthropic) throw missingKey('ANTHROPIC_API_KEY', 'REWRITER is anthropic');
      return new anthropic.AnthropicRewriter({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL, model: config.REWRITE_MODEL ?? DEFAULT_REWRITE_MODELS.anthropic, timeoutMs: config.REWRITE_TIMEOUT_MS });
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
