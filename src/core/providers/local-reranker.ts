import { LRUCache } from 'lru-cache';
import { analyze, analyzeQuery } from '../../../indexes/analyzer';
import type { RerankCandidate, RerankOptions, RerankResult, Reranker } from './ports';

/**
 * Offline reranker: re-scores first-stage candidates with lexical evidence
 * that a bag-of-words first stage cannot see, and blends it with the
 * first-stage score instead of replacing it. It is not a cross-encoder: it
 * knows nothing about meaning, only where and how the query's terms occur.
 *
 * Signals, each in [0, 1] and IDF-weighted with IDF computed within the
 * candidate set (a term every candidate contains cannot tell them apart):
 * - coverage:  share of the query's term weight the candidate contains;
 * - proximity: the largest query-term weight found inside one window of
 *   max(10, 2 × query terms) consecutive positions, i.e. the densest passage.
 *   (The span covering ALL matched terms was tried first: one stray distant
 *   match ruins it, and alone it scored 0.40 nDCG@10 on SciFact where the
 *   densest window scores 0.65.)
 * - phrase:    share of the query's adjacent term pairs found adjacent in the
 *   candidate, 1 when the whole query occurs as a phrase;
 * - title:     share of the query's term weight found in the title.
 *
 * Final score = priorWeight · prior + (1 − priorWeight) · lexical, where prior
 * is the first-stage score min-max scaled over the candidates (0 when absent).
 * The blend is monotone in both parts, so with equal lexical evidence the
 * first-stage order is kept. Ties are broken by id, so results are
 * reproducible.
 */

export interface LocalLexicalRerankerOptions {
  /** Weight of the first-stage prior in the blend, when priors are given. */
  priorWeight?: number;
  /** Relative weights of the lexical signals; normalised to sum to 1. */
  signalWeights?: Partial<SignalWeights>;
  /** Analysed candidates kept between calls, least recently used evicted (default 5,000; 0: none). */
  analysisEntries?: number;
}

export interface SignalWeights {
  coverage: number;
  proximity: number;
  phrase: number;
  title: number;
}

/**
 * Defaults measured on SciFact train (809 claims, RRF(bm25, vector 0.2) top 30),
 * and stable across its odd/even halves. Proximity carries most of the signal;
 * coverage adds little beyond it, because the prior already encodes it.
 */
const DEFAULT_SIGNAL_WEIGHTS: SignalWeights = { coverage: 0.1, proximity: 1, phrase: 0.5, title: 0.5 };
const DEFAULT_PRIOR_WEIGHT = 0.3;
/** Proximity window: about two positions per query term, at least 10 (a short clause). */
const PROXIMITY_MIN_WIDTH = 10;
const PROXIMITY_WIDTH_PER_TERM = 2;
/** Keeps a proximity window from spanning the title/body boundary. */
const TITLE_BODY_GAP = 1_000;

/** A candidate as one query sees it: only the query's terms are looked up, so only they are kept. */
interface AnalyzedCandidate {
  id: string;
  /** Query term → its positions, title first then body (offset by TITLE_BODY_GAP), ascending. */
  positions: Map<string, number[]>;
  /** The query terms found in the title. */
  titleTerms: Set<string>;
}

/** A candidate's analysed text, the same for every query. */
interface CandidateTerms {
  text: string;
  title: string | undefined;
  titleTerms: string[];
  bodyTerms: string[];
}

export class LocalLexicalReranker implements Reranker {
  readonly provider = 'local';
  readonly modelId = 'local-lexical-v1';
  private readonly priorWeight: number;
  private readonly weights: SignalWeights;
  private readonly analysis: LRUCache<string, CandidateTerms> | undefined;

  constructor(options: LocalLexicalRerankerOptions = {}) {
    this.priorWeight = options.priorWeight ?? DEFAULT_PRIOR_WEIGHT;
    const analysisEntries = options.analysisEntries ?? 5_000;
    this.analysis = analysisEntries > 0 ? new LRUCache({ max: analysisEntries }) : undefined;
    if (!(this.priorWeight >= 0 && this.priorWeight <= 1)) throw new RangeError(`priorWeight must be in [0, 1], got ${this.priorWeight}`);
    const merged = { ...DEFAULT_SIGNAL_WEIGHTS, ...options.signalWeights };
    const values = [merged.coverage, merged.proximity, merged.phrase, merged.title];
    const total = sum(values);
    if (!values.every((value) => value >= 0) || !(total > 0)) throw new RangeError('signal weights must be ≥ 0 and sum to more than 0');
    this.weights = {
      coverage: merged.coverage / total,
      proximity: merged.proximity / total,
      phrase: merged.phrase / total,
      title: merged.title / total,
    };
  }

  async rerank(query: string, candidates: readonly RerankCandidate[], options: RerankOptions): Promise<RerankResult[]> {
    options.signal?.throwIfAborted();
    return this.score(query, candidates, options.priors).slice(0, Math.max(0, options.topK));
  }

  /** All candidates, best first (synchronous core; rerank() truncates to topK). */
  score(query: string, candidates: readonly RerankCandidate[], priors?: ReadonlyMap<string, number>): RerankResult[] {
    const queryTerms = analyzeQuery(query);
    const querySet = new Set(queryTerms);
    const analyzed = candidates.map((candidate) => forQuery(candidate.id, this.terms(candidate), querySet));
    const idf = candidateSetIdf(querySet, analyzed);
    const scaledPriors = priors === undefined ? undefined : minMaxScale(candidates.map((candidate) => priors.get(candidate.id)));
    const priorWeight = scaledPriors === undefined ? 0 : this.priorWeight;

    const weighted = queryWeights(queryTerms, idf);
    const results = analyzed.map((candidate, index) => {
      const lexical = this.lexicalScore(weighted, candidate, idf);
      const prior = scaledPriors?.[index] ?? 0;
      return { id: candidate.id, score: priorWeight * prior + (1 - priorWeight) * lexical };
    });
    return results.sort((left, right) => right.score - left.score || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
  }

  /**
   * The candidate's analysed title and text, kept per id (chunks recur across questions: analysing 30 of
   * them was most of a rerank). An entry is used only for the same text and title. Kept as term lists, not
   * term → positions maps: a query looks up only its own terms, and a map of every term of 5,000 chunks was
   * a large share of what survived each young-generation GC.
   */
  private terms(candidate: RerankCandidate): CandidateTerms {
    const kept = this.analysis?.get(candidate.id);
    if (kept && kept.text === candidate.text && kept.title === candidate.title) return kept;
    const terms = { text: candidate.text, title: candidate.title, titleTerms: candidate.title === undefined ? [] : analyze(candidate.title), bodyTerms: analyze(candidate.text) };
    this.analysis?.set(candidate.id, terms);
    return terms;
  }

  private lexicalScore({ terms: queryTerms, distinct, totalWeight }: QueryWeights, candidate: AnalyzedCandidate, idf: Map<string, number>): number {
    if (totalWeight === 0) return 0;
    const matched = distinct.filter((term) => candidate.positions.has(term));
    const matchedWeight = sum(matched.map((term) => idf.get(term) ?? 0));
    const titleWeight = sum(distinct.filter((term) => candidate.titleTerms.has(term)).map((term) => idf.get(term) ?? 0));

    const coverage = matchedWeight / totalWeight;
    const width = Math.max(PROXIMITY_MIN_WIDTH, PROXIMITY_WIDTH_PER_TERM * distinct.length);
    const proximity = densestWindow(matched, candidate.positions, idf, width) / totalWeight;
    const phrase = phraseScore(queryTerms, candidate.positions, idf);
    const title = titleWeight / totalWeight;
    const weights = this.weights;
    return weights.coverage * coverage + weights.proximity * proximity + weights.phrase * phrase + weights.title * title;
  }
}

function forQuery(id: string, { titleTerms, bodyTerms }: CandidateTerms, query: ReadonlySet<string>): AnalyzedCandidate {
  const positions = new Map<string, number[]>();
  const record = (term: string, position: number): void => {
    if (!query.has(term)) return;
    const list = positions.get(term);
    if (list === undefined) positions.set(term, [position]);
    else list.push(position);
  };
  titleTerms.forEach((term, index) => record(term, index));
  const offset = titleTerms.length + TITLE_BODY_GAP;
  bodyTerms.forEach((term, index) => record(term, offset + index));
  return { id, positions, titleTerms: new Set(titleTerms.filter((term) => query.has(term))) };
}

/** What scoring needs of the query, the same for every candidate. */
interface QueryWeights {
  terms: readonly string[];
  distinct: readonly string[];
  totalWeight: number;
}

function queryWeights(terms: readonly string[], idf: ReadonlyMap<string, number>): QueryWeights {
  const distinct = [...new Set(terms)];
  return { terms, distinct, totalWeight: sum(distinct.map((term) => idf.get(term) ?? 0)) };
}

/** BM25-style IDF over the candidate set, for the query's terms only. */
function candidateSetIdf(queryTerms: ReadonlySet<string>, candidates: readonly AnalyzedCandidate[]): Map<string, number> {
  const idf = new Map<string, number>();
  const total = candidates.length;
  for (const term of queryTerms) {
    const containing = candidates.filter((candidate) => candidate.positions.has(term)).length;
    idf.set(term, Math.log(1 + (total - containing + 0.5) / (containing + 0.5)));
  }
  return idf;
}

/**
 * Largest IDF weight of distinct query terms that fit in any window of `width` consecutive positions.
 * Every position holds one term, so an event is the number position × terms + term, sorted as numbers:
 * no object per position (these were most of what a rerank allocated).
 */
function densestWindow(terms: readonly string[], positions: ReadonlyMap<string, number[]>, idf: ReadonlyMap<string, number>, width: number): number {
  const count = terms.length;
  let size = 0;
  for (const term of terms) size += positions.get(term)?.length ?? 0;
  if (size === 0) return 0;
  const events = new Float64Array(size);
  let at = 0;
  terms.forEach((term, index) => {
    for (const position of positions.get(term) ?? []) events[at++] = position * count + index;
  });
  events.sort();
  const positionOf = (event: number) => Math.floor(event / count);
  const termOf = (event: number) => event - positionOf(event) * count;
  const weights = terms.map((term) => idf.get(term) ?? 0);
  const inWindow = new Int32Array(count);
  let current = 0;
  let best = 0;
  let start = 0;
  for (const event of events) {
    const term = termOf(event);
    if (inWindow[term] === 0) current += weights[term]!;
    inWindow[term]! += 1;
    const position = positionOf(event);
    for (; start < events.length && positionOf(events[start]!) <= position - width; start++) {
      const first = termOf(events[start]!);
      inWindow[first]! -= 1;
      if (inWindow[first] === 0) current -= weights[first]!;
    }
    best = Math.max(best, current);
  }
  return best;
}

/** IDF-weighted share of query bigrams found adjacent, in order; 1 for the whole query as a phrase. */
function phraseScore(queryTerms: readonly string[], positions: ReadonlyMap<string, number[]>, idf: ReadonlyMap<string, number>): number {
  if (queryTerms.length < 2) return 0;
  let total = 0;
  let found = 0;
  let chain = true;
  for (let index = 0; index + 1 < queryTerms.length; index++) {
    const left = queryTerms[index] ?? '';
    const right = queryTerms[index + 1] ?? '';
    const weight = (idf.get(left) ?? 0) + (idf.get(right) ?? 0);
    total += weight;
    if (adjacent(positions.get(left), positions.get(right), 1)) found += weight;
    else chain = false;
  }
  if (chain && wholePhrase(queryTerms, positions)) return 1;
  return total === 0 ? 0 : found / total;
}

/** Whether some position in `right` is `distance` after one in `left` (both ascending, as forQuery records them). */
function adjacent(left: readonly number[] | undefined, right: readonly number[] | undefined, distance: number): boolean {
  if (left === undefined || right === undefined) return false;
  let next = 0;
  for (const position of left) {
    const wanted = position + distance;
    while (next < right.length && right[next]! < wanted) next++;
    if (next === right.length) return false;
    if (right[next] === wanted) return true;
  }
  return false;
}

function wholePhrase(queryTerms: readonly string[], positions: ReadonlyMap<string, number[]>): boolean {
  const first = positions.get(queryTerms[0] ?? '') ?? [];
  const sets = queryTerms.map((term) => new Set(positions.get(term) ?? []));
  return first.some((start) => sets.every((set, offset) => set.has(start + offset)));
}

/** Scales to [0, 1] over the candidates; missing priors count as the minimum. */
function minMaxScale(values: readonly (number | undefined)[]): number[] {
  const present = values.filter((value): value is number => value !== undefined && Number.isFinite(value));
  if (present.length === 0) return values.map(() => 0);
  const min = Math.min(...present);
  const max = Math.max(...present);
  return values.map((value) => {
    if (value === undefined || !Number.isFinite(value)) return 0;
    return max === min ? 1 : (value - min) / (max - min);
  });
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
