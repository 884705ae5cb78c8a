import type { IndexBuild } from '../core/db/schema';
import type { TermStatistics } from '../../indexes/ports';
import { contentTerms, decideAnswerability, DEFAULT_GATE_OPTIONS, termsToLookUp, type GateDecision } from './answerability';
import type { RelevanceFloors, RelevanceScorer } from './relevance';

/** A retrieved passage as the gate scores it. */
export interface GatePassage {
  text: string;
  title: string;
  headingPath: readonly string[];
}

export interface AnswerGateDeps {
  /** The lexical index's counts for the build the question is answered from; undefined: it cannot count. */
  statistics: (build: IndexBuild, terms: readonly string[]) => Promise<TermStatistics | undefined>;
  scorer: RelevanceScorer;
  floors: RelevanceFloors;
  /** Share of the question's weight whose absence refuses it (default 0.5). */
  missingWeightShare?: number;
}

/** How many of the best retrieved passages the gate scores. */
const GATE_PASSAGES = 8;

/**
 * The gate stage ahead of every generator: the question's content terms are looked up in the build's
 * lexical statistics, the best retrieved passages are scored by the relevance scorer, and the pure
 * decideAnswerability() decides. A refusal here costs no provider call.
 */
export class AnswerGate {
  constructor(private readonly deps: AnswerGateDeps) {}

  get scorerId(): string {
    return this.deps.scorer.id;
  }

  async check(question: string, build: IndexBuild, passages: readonly GatePassage[], signal?: AbortSignal): Promise<GateDecision> {
    const terms = contentTerms(question);
    const statistics = terms.length > 0 ? await this.deps.statistics(build, termsToLookUp(terms)) : undefined;
    const options = { missingWeightShare: this.deps.missingWeightShare ?? DEFAULT_GATE_OPTIONS.missingWeightShare, relevanceFloor: this.deps.floors.gate };
    const unscored = decideAnswerability(terms, statistics, { best: null, scorer: null }, options);
    // Absent terms decide alone: no scoring needed for a question about what the documents never mention.
    if (!unscored.answerable || passages.length === 0) return unscored;
    const head = passages.slice(0, GATE_PASSAGES);
    const scores = await this.deps.scorer.score(question, head.map(passageText), signal ? { signal } : {});
    const best = scores.reduce((top, score) => Math.max(top, score), Number.NEGATIVE_INFINITY);
    return decideAnswerability(terms, statistics, { best: Number.isFinite(best) ? Math.round(best * 10_000) / 10_000 : null, scorer: this.deps.scorer.id }, options);
  }
}

/** Headings are part of what a passage is about ("Refunds" over a paragraph that never says the word). */
function passageText(passage: GatePassage): string {
  const heading = passage.headingPath.join(' / ');
  return heading ? `${heading}\n${passage.text}` : passage.text;
}
