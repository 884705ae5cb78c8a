import { ANALYZER_VERSION, analyze, analyzeQuery, termFrequencies } from '../../../indexes/analyzer';
import { fnv1a, FNV_OFFSET } from '../fnv1a';
import { AppError } from '../errors';
import type { EmbeddingInputType, EmbeddingProvider } from './ports';

/**
 * Offline embedder: feature hashing of lexical features into a fixed-size,
 * L2-normalised vector. It needs no model, no network and no training, so the
 * embedded deployment and the tests get a real vector index end to end.
 *
 * Be honest about what it measures: cosine similarity between two of these
 * vectors is LEXICAL overlap (shared stems, adjacent word pairs and shared
 * spelling fragments), not meaning. "car" and "automobile" are unrelated to
 * it; "mutation" and "mutated" are close. It has no IDF either, so common
 * words weigh as much as rare ones. Use a provider model when semantics matter.
 *
 * Features, each family weighted separately:
 * - word unigrams: the analyzed terms (stopwords out, Porter stems);
 * - word bigrams: adjacent analyzed terms, a little word order;
 * - character n-grams (3..5) of each term with `<` `>` boundary markers, which
 *   survive inflection, typos and compound splits.
 * Each feature's count becomes 1 + ln(tf) (sublinear, so one repeated term
 * cannot dominate), each family is scaled to unit norm before its weight is
 * applied (a long word has many n-grams; that should not drown the words),
 * and the sign of each feature comes from its hash, so collisions cancel in
 * expectation instead of piling up (Weinberger et al. 2009).
 *
 * Deterministic for a given (dimensions, seed, analyzer version): the
 * fingerprint changes whenever any of those change, so vectors from different
 * parameters are never compared.
 */

export interface LocalHashEmbedderOptions {
  /** Vector size. 384 matches common small models and keeps pgvector rows small. */
  dimensions?: number;
  /** Perturbs every hash: two seeds give unrelated (incomparable) spaces. */
  seed?: string;
}

/** Bumped whenever the feature extraction changes what vectors come out. */
const EMBEDDER_VERSION = 'v1';
/**
 * Measured on SciFact train (nDCG@10, 384 dimensions): words alone 0.443,
 * + n-grams 1.5 → 0.497; bigrams at 0.5 cost 0.04 (in 384 slots they add
 * collisions faster than word order helps), so they are kept only as a
 * faint tie-breaker. Dimensions matter more: 1024 gives 0.572, 4096 0.608.
 */
const FAMILY_WEIGHTS = { unigram: 1.0, bigram: 0.1, charGram: 1.5 } as const;
const CHAR_GRAM_MIN = 3;
const CHAR_GRAM_MAX = 5;

/** murmur3's finaliser: FNV's low bits are weak, and we take index and sign from them. */
function mix(hash: number): number {
  let state = hash;
  state ^= state >>> 16;
  state = Math.imul(state, 0x85ebca6b);
  state ^= state >>> 13;
  state = Math.imul(state, 0xc2b2ae35);
  state ^= state >>> 16;
  return state >>> 0;
}

type FeatureCounts = Map<number, number>;

function count(features: FeatureCounts, hash: number, times = 1): void {
  features.set(hash, (features.get(hash) ?? 0) + times);
}

export class LocalHashEmbedder implements EmbeddingProvider {
  readonly provider = 'local';
  readonly modelId = 'local-hash';
  readonly dimensions: number;
  readonly maxEmbeddingsPerCall = 256;
  readonly fingerprint: string;
  private readonly familySeeds: { unigram: number; bigram: number; charGram: number };

  constructor(options: LocalHashEmbedderOptions = {}) {
    const dimensions = options.dimensions ?? 384;
    if (!Number.isInteger(dimensions) || dimensions < 2) {
      throw new RangeError(`dimensions must be an integer ≥ 2, got ${dimensions}`);
    }
    const seed = options.seed ?? '';
    this.dimensions = dimensions;
    const base = fnv1a(FNV_OFFSET, seed);
    // A distinct start state per family keeps "ab" the word and "ab" the n-gram apart.
    this.familySeeds = { unigram: fnv1a(base, '\u0001w'), bigram: fnv1a(base, '\u0002b'), charGram: fnv1a(base, '\u0003c') };
    const params = JSON.stringify({
      dimensions,
      seed,
      weights: FAMILY_WEIGHTS,
      charGrams: [CHAR_GRAM_MIN, CHAR_GRAM_MAX],
      analyzer: ANALYZER_VERSION,
      version: EMBEDDER_VERSION,
    });
    this.fingerprint = `local:local-hash:${dimensions}:${fnv1a(FNV_OFFSET, params).toString(16).padStart(8, '0')}`;
  }

  /** Query and document are embedded alike: the space is symmetric. */
  async embed(texts: readonly string[], options: { inputType: EmbeddingInputType; signal?: AbortSignal }): Promise<number[][]> {
    if (texts.length > this.maxEmbeddingsPerCall) {
      // Same contract as the remote providers, so a batching bug shows up offline too.
      throw new AppError('BAD_REQUEST', `at most ${this.maxEmbeddingsPerCall} texts per call, got ${texts.length}`);
    }
    const vectors: number[][] = [];
    for (const text of texts) {
      options.signal?.throwIfAborted();
      vectors.push(Array.from(this.embedOne(text, options.inputType)));
    }
    return vectors;
  }

  /** Synchronous core, also used directly by benchmarks. */
  embedOne(text: string, inputType: EmbeddingInputType = 'document'): Float32Array {
    let terms = inputType === 'query' ? analyzeQuery(text) : analyze(text);
    // Text made only of stopwords or symbols still deserves a non-zero vector;
    // only empty or whitespace-only text maps to the zero vector.
    if (terms.length === 0) terms = text.normalize('NFKC').toLowerCase().split(/\s+/).filter((term) => term.length > 0);
    const vector = new Float32Array(this.dimensions);
    if (terms.length === 0) return vector;
    // Unigrams and char-grams are hashed once per distinct term, counted as often as it occurs: the same counts,
    // first seen in the same order, so the same vector bit for bit.
    const occurrences = termFrequencies(terms);
    this.accumulate(vector, this.unigrams(occurrences), FAMILY_WEIGHTS.unigram);
    this.accumulate(vector, this.bigrams(terms), FAMILY_WEIGHTS.bigram);
    this.accumulate(vector, this.charGrams(occurrences), FAMILY_WEIGHTS.charGram);
    normalize(vector);
    return vector;
  }

  private unigrams(occurrences: ReadonlyMap<string, number>): FeatureCounts {
    const features: FeatureCounts = new Map();
    for (const [term, times] of occurrences) count(features, fnv1a(this.familySeeds.unigram, term), times);
    return features;
  }

  private bigrams(terms: readonly string[]): FeatureCounts {
    const features: FeatureCounts = new Map();
    for (let index = 0; index + 1 < terms.length; index++) {
      const left = fnv1a(this.familySeeds.bigram, terms[index] ?? '');
      count(features, fnv1a(fnv1a(left, '\u0000'), terms[index + 1] ?? ''));
    }
    return features;
  }

  private charGrams(occurrences: ReadonlyMap<string, number>): FeatureCounts {
    const features: FeatureCounts = new Map();
    for (const [term, times] of occurrences) {
      const marked = `<${term}>`;
      for (let size = CHAR_GRAM_MIN; size <= CHAR_GRAM_MAX; size++) {
        for (let start = 0; start + size <= marked.length; start++) {
          count(features, fnv1a(this.familySeeds.charGram, marked, start, start + size), times);
        }
      }
    }
    return features;
  }

  /** Adds one family, scaled to unit norm and then by its weight. */
  private accumulate(vector: Float32Array, features: FeatureCounts, weight: number): void {
    if (features.size === 0) return;
    let squared = 0;
    for (const tf of features.values()) squared += (1 + Math.log(tf)) ** 2;
    const scale = weight / Math.sqrt(squared);
    for (const [hash, tf] of features) {
      const mixed = mix(hash);
      const index = mixed % this.dimensions;
      const sign = mix(mixed ^ 0x9e3779b9) & 1 ? 1 : -1;
      vector[index] = (vector[index] ?? 0) + sign * scale * (1 + Math.log(tf));
    }
  }
}

function normalize(vector: Float32Array): void {
  let squared = 0;
  for (const value of vector) squared += value * value;
  if (squared === 0) return;
  const inverse = 1 / Math.sqrt(squared);
  for (let index = 0; index < vector.length; index++) vector[index] = (vector[index] ?? 0) * inverse;
}
