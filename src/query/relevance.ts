import { analyze, analyzeQuery } from '../../indexes/analyzer';
import type { Reranker } from '../core/providers/ports';

/**
 * How well a passage answers a question, one score per passage, higher is better. The answerability gate,
 * the extractive answerer and claim support all read relevance through this port, so a cross-encoder can
 * replace today's lexical stand-in without touching them; their floors are configured per scorer
 * (`RELEVANCE_FLOORS`, keyed by `id`), because scores of different scorers are not on one scale.
 */
export interface RelevanceScorer {
  /** Names the scorer and its model: the key of its floors. */
  readonly id: string;
  score(question: string, passages: readonly string[], options?: { signal?: AbortSignal }): Promise<number[]>;
  /**
   * The same scores from passages already analysed (`analyze`'s terms, in order), for scorers that read terms:
   * a caller scoring overlapping passages (sentences and pairs of them) then analyses each sentence once.
   */
  scoreAnalyzed?(question: string, passages: readonly (readonly string[])[]): number[];
}

/** The floors one scorer's scores are judged by (all on that scorer's scale). */
export interface RelevanceFloors {
  /** Best retrieved passage under this: the gate refuses before any generator runs. */
  gate: number;
  /** Best answer span under this: the extractive answerer refuses. */
  extractive: number;
  /** A generated sentence whose (sentence, quote) support is under this is removed. */
  support: number;
}

/**
 * Per scorer, calibrated on development data only (README "Answerability"): `local-lexical-support-v1` on the
 * WLED support dev set (evals/datasets/wled-support) and 200 SQuAD 2.0 dev questions outside the QA eval's sample.
 * A scorer without an entry gets DEFAULT_FLOORS of its own scale unknown: only the term check then refuses.
 */
export const RELEVANCE_FLOORS: Readonly<Record<string, RelevanceFloors>> = {
  'local-lexical-support-v1': { gate: 0.34, extractive: 0.4, support: 0.5 },
};

/** For scorers not calibrated yet: nothing is refused on relevance (the term check still applies). */
export const UNCALIBRATED_FLOORS: RelevanceFloors = { gate: Number.NEGATIVE_INFINITY, extractive: Number.NEGATIVE_INFINITY, support: Number.NEGATIVE_INFINITY };

export function floorsFor(scorer: Pick<RelevanceScorer, 'id'>, overrides: Partial<RelevanceFloors> = {}): RelevanceFloors {
  return { ...(RELEVANCE_FLOORS[scorer.id] ?? UNCALIBRATED_FLOORS), ...overrides };
}

/** Question words carry no content: "how many", "what did", "who was". Compared after analysis. */
export const QUESTION_TERMS: ReadonlySet<string> = new Set(
  analyze('what which who whom whose when where why how many much did do does has have had were been being name'),
);

/** The question's distinct terms after analysis, question words left out. */
export function questionTerms(question: string): string[] {
  return [...new Set(analyzeQuery(question).filter((term) => !QUESTION_TERMS.has(term)))];
}

const PROXIMITY_WEIGHT = 0.2;

/** Smallest window (in terms) holding every distinct matched query term: matched / window. */
export function proximity(terms: readonly string[], matched: ReadonlySet<string>): number {
  if (matched.size <= 1) return 1;
  const counts = new Map<string, number>();
  let best = Number.POSITIVE_INFINITY;
  let left = 0;
  for (let right = 0; right < terms.length; right++) {
    const term = terms[right] ?? '';
    if (matched.has(term)) counts.set(term, (counts.get(term) ?? 0) + 1);
    while (counts.size === matched.size) {
      best = Math.min(best, right - left + 1);
      const leaving = terms[left] ?? '';
      const count = counts.get(leaving);
      if (count !== undefined) {
        if (count === 1) counts.delete(leaving);
        else counts.set(leaving, count - 1);
      }
      left++;
    }
  }
  return Number.isFinite(best) ? matched.size / best : 0;
}

/**
 * The lexical stand-in until a cross-encoder is configured: the IDF-weighted share of the question's content
 * terms a passage contains (IDF within the passages scored together), damped by how spread out they are.
 * In [0, 1]. It knows words, not meaning: "reset the Wi-Fi password" and "reset your account password"
 * look alike to it, which is why the gate also checks the corpus for the question's terms.
 */
export class LexicalRelevanceScorer implements RelevanceScorer {
  readonly id = 'local-lexical-support-v1';

  async score(question: string, passages: readonly string[]): Promise<number[]> {
    return lexicalRelevance(question, passages);
  }

  scoreAnalyzed(question: string, passages: readonly (readonly string[])[]): number[] {
    const query = questionTerms(question);
    return query.length === 0 ? passages.map(() => 0) : relevanceOfTerms(query, passages);
  }
}

export function lexicalRelevance(question: string, passages: readonly string[]): number[] {
  const query = questionTerms(question);
  // No content term to look for: every passage scores 0, and none needs analysing.
  if (query.length === 0) return passages.map(() => 0);
  return relevanceOfTerms(
    query,
    passages.map((passage) => analyze(passage)),
  );
}

/** The lexical score of each analysed passage for a question's content terms (non-empty). */
function relevanceOfTerms(query: readonly string[], terms: readonly (readonly string[])[]): number[] {
  const documentFrequency = new Map<string, number>();
  for (const list of terms) for (const term of new Set(list)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const total = terms.length;
  // A term no passage holds weighs the mean of the ones some passage holds: its rarity is unknown, and
  // weighed as the rarest it would sink every passage over one paraphrased word ("eat" for "ate").
  const present = query.filter((term) => documentFrequency.has(term));
  const idfOf = (df: number) => Math.log(1 + (total - df + 0.5) / (df + 0.5));
  const meanPresent = present.length === 0 ? 1 : present.reduce((sum, term) => sum + idfOf(documentFrequency.get(term) ?? 0), 0) / present.length;
  const idf = new Map(query.map((term) => [term, documentFrequency.has(term) ? idfOf(documentFrequency.get(term) ?? 0) : meanPresent] as const));
  const totalWeight = query.reduce((sum, term) => sum + (idf.get(term) ?? 0), 0);
  return terms.map((list) => {
    const present = new Set(list);
    const matched = new Set(query.filter((term) => present.has(term)));
    const weight = [...matched].reduce((sum, term) => sum + (idf.get(term) ?? 0), 0);
    const coverage = totalWeight > 0 ? weight / totalWeight : 0;
    return coverage * (1 - PROXIMITY_WEIGHT + PROXIMITY_WEIGHT * proximity(list, matched));
  });
}

/**
 * Any Reranker as a relevance scorer (a cross-encoder behind the reranker port): its scores put back in the
 * passages' order, without first-stage priors, so a score depends on the pair alone.
 */
export class RerankerRelevanceScorer implements RelevanceScorer {
  readonly id: string;

  constructor(private readonly reranker: Reranker) {
    this.id = `${reranker.provider}:${reranker.modelId}`;
  }

  async score(question: string, passages: readonly string[], options: { signal?: AbortSignal } = {}): Promise<number[]> {
    if (passages.length === 0) return [];
    const results = await this.reranker.rerank(
      question,
      passages.map((text, index) => ({ id: String(index), text })),
      { topK: passages.length, ...(options.signal ? { signal: options.signal } : {}) },
    );
    const scores = passages.map(() => Number.NEGATIVE_INFINITY);
    for (const result of results) scores[Number(result.id)] = result.score;
    return scores;
  }
}
