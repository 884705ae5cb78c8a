import { ANALYZER_VERSION, analyzeForIndex, analyzeQuery, termFrequencies } from '../../../indexes/analyzer';
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

/** 1 + ln(count) for the counts most features have (the same doubles): two logarithms per feature were a fifth of embedding. */
const COUNT_WEIGHTS = Float64Array.from({ length: 256 }, (_, count) => 1 + Math.log(count));

function countWeight(count: number): number {
  return count < 256 ? COUNT_WEIGHTS[count]! : 1 + Math.log(count);
}

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

/**
 * Feature counts in first-seen order, in typed arrays reused from text to text.
 * Order matters: the vector is a float sum taken in that order, and it must stay
 * the same bit for bit (stored vectors carry this fingerprint). A Map did the
 * same at about four times the cost per feature.
 */
class FeatureCounts {
  hashes = new Uint32Array(256);
  counts = new Float64Array(256);
  size = 0;
  /** Open addressing over positions in hashes/counts (+1; 0 = empty), 2^(32 - shift) slots. */
  private slots = new Int32Array(512);
  private shift = 32 - 9;

  /** Fibonacci hashing: the product's top bits, since FNV's low bits are weak. */
  private home(hash: number): number {
    return Math.imul(hash, 0x9e3779b1) >>> this.shift;
  }

  add(hash: number, times: number): void {
    const mask = this.slots.length - 1;
    for (let slot = this.home(hash); ; slot = (slot + 1) & mask) {
      const at = this.slots[slot]!;
      if (at === 0) {
        if (this.size === this.hashes.length) this.growEntries();
        this.hashes[this.size] = hash;
        this.counts[this.size] = times;
        this.slots[slot] = ++this.size;
        if (this.size * 2 > this.slots.length) this.rehash();
        return;
      }
      if (this.hashes[at - 1] === hash) {
        this.counts[at - 1]! += times;
        return;
      }
    }
  }

  clear(): void {
    this.size = 0;
    this.slots.fill(0);
  }

  private growEntries(): void {
    const hashes = new Uint32Array(this.hashes.length * 2);
    hashes.set(this.hashes);
    const counts = new Float64Array(this.counts.length * 2);
    counts.set(this.counts);
    this.hashes = hashes;
    this.counts = counts;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.shift -= 1;
    const mask = this.slots.length - 1;
    for (let at = 0; at < this.size; at++) {
      let slot = this.home(this.hashes[at]!);
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = at + 1;
    }
  }
}

/** What a term contributes, whatever text it is in: its hashes, and its char-grams counted within it in first-seen order. */
interface TermFeatures {
  unigram: number;
  /** The bigram hash state after this term as the left word and the separator. */
  bigramLeft: number;
  grams: Uint32Array;
  gramCounts: Uint32Array;
}

/** Terms whose features are kept (a few hundred bytes each); the cache starts over when full, as the analyzer's does. */
const TERM_CACHE_SIZE = 20_000;

export class LocalHashEmbedder implements EmbeddingProvider {
  readonly provider = 'local';
  readonly modelId = 'local-hash';
  readonly dimensions: number;
  readonly maxEmbeddingsPerCall = 256;
  /** Hashing has no context window: a text of any length embeds whole. */
  readonly maxTokensPerCall = Number.POSITIVE_INFINITY;
  readonly maxTokensPerInput = Number.POSITIVE_INFINITY;
  readonly fingerprint: string;
  /**
   * It mostly repeats BM25's evidence with more noise. On SciFact (400 train queries, full corpus, one
   * ingest) hybrid+rerank nDCG@10 was 0.6998 at vector weight 0.2, 0.7094 at 0.1 and 0.7080 at 0.05,
   * against BM25 alone 0.6982: 0.1 it is.
   */
  readonly fusionWeight = 0.1;
  private readonly familySeeds: { unigram: number; bigram: number; charGram: number };
  private readonly terms = new Map<string, TermFeatures>();
  /** Scratch, reused: embedding is synchronous, so one per embedder is safe. */
  private readonly features = new FeatureCounts();
  private readonly gramScratch = new FeatureCounts();

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

  /** Never consulted while both limits are infinite; a length bound for callers that ask. */
  countTokens(text: string): number {
    return text.length;
  }

  /** Terms whose features are kept (for tests of what a question leaves behind). */
  get cachedTerms(): number {
    return this.terms.size;
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
    let terms: readonly string[] = inputType === 'query' ? analyzeQuery(text) : analyzeForIndex(text);
    // Text made only of stopwords or symbols still deserves a non-zero vector;
    // only empty or whitespace-only text maps to the zero vector.
    if (terms.length === 0) terms = text.normalize('NFKC').toLowerCase().split(/\s+/).filter((term) => term.length > 0);
    const vector = new Float32Array(this.dimensions);
    if (terms.length === 0) return vector;
    // Each distinct term's features are hashed once (and kept for later texts), counted as often as it occurs:
    // the same counts, first seen in the same order, so the same vector bit for bit.
    const occurrences = termFrequencies(terms);
    const remember = inputType !== 'query';
    const features = this.features;
    features.clear();
    for (const [term, times] of occurrences) features.add(this.termFeatures(term, remember).unigram, times);
    this.accumulate(vector, features, FAMILY_WEIGHTS.unigram);
    features.clear();
    for (let index = 0; index + 1 < terms.length; index++) features.add(fnv1a(this.termFeatures(terms[index]!, remember).bigramLeft, terms[index + 1]!), 1);
    this.accumulate(vector, features, FAMILY_WEIGHTS.bigram);
    features.clear();
    for (const [term, times] of occurrences) {
      const { grams, gramCounts } = this.termFeatures(term, remember);
      for (let index = 0; index < grams.length; index++) features.add(grams[index]!, gramCounts[index]! * times);
    }
    this.accumulate(vector, features, FAMILY_WEIGHTS.charGram);
    normalize(vector);
    return vector;
  }

  /** `remember`: keep them for later texts. A question's own terms (ids, typos) mostly never come back, as in analyzeQuery. */
  private termFeatures(term: string, remember: boolean): TermFeatures {
    let cached = this.terms.get(term);
    if (cached) return cached;
    const grams = this.gramScratch;
    grams.clear();
    const marked = `<${term}>`;
    for (let size = CHAR_GRAM_MIN; size <= CHAR_GRAM_MAX; size++) {
      for (let start = 0; start + size <= marked.length; start++) grams.add(fnv1a(this.familySeeds.charGram, marked, start, start + size), 1);
    }
    cached = {
      unigram: fnv1a(this.familySeeds.unigram, term),
      bigramLeft: fnv1a(fnv1a(this.familySeeds.bigram, term), '\u0000'),
      grams: grams.hashes.slice(0, grams.size),
      gramCounts: Uint32Array.from(grams.counts.subarray(0, grams.size)),
    };
    if (!remember) return cached;
    if (this.terms.size >= TERM_CACHE_SIZE) this.terms.clear();
    this.terms.set(term, cached);
    return cached;
  }

  /** Adds one family, scaled to unit norm and then by its weight. */
  private accumulate(vector: Float32Array, features: FeatureCounts, weight: number): void {
    if (features.size === 0) return;
    const { hashes, counts, size } = features;
    let squared = 0;
    for (let at = 0; at < size; at++) squared += countWeight(counts[at]!) ** 2;
    const scale = weight / Math.sqrt(squared);
    for (let at = 0; at < size; at++) {
      const mixed = mix(hashes[at]!);
      const index = mixed % this.dimensions;
      const sign = mix(mixed ^ 0x9e3779b9) & 1 ? 1 : -1;
      vector[index] = (vector[index] ?? 0) + sign * scale * countWeight(counts[at]!);
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
