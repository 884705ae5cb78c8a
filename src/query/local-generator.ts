import { analyze, analyzeQuery } from '../../indexes/analyzer';
import { countTextTokens } from './tokens';
import type { GeneratedAnswer, GenerationRequest, GenerationResult, GenerationSource, Generator } from '../core/providers/ports';
import { normalizeForMatch, splitSentences } from './text-match';

/**
 * The embedded generator (and the degraded fallback): it quotes the source
 * sentences that best support the question, verbatim, each citing its source
 * with the whole sentence as the quote, and refuses when nothing supports the
 * question well enough. It reads `request.sources` only; text inside a source
 * is scored lexically like any other text and never obeyed.
 */
export interface LocalExtractiveGeneratorOptions {
  /** Minimum support (0..1) of the best sentence; below it the generator refuses. */
  minSupport?: number;
  /** At most this many sentences in an answer (1..3 sensible). */
  maxSentences?: number;
  /** Extra sentences must reach this share of the best sentence's support. */
  relativeSupport?: number;
}

/**
 * Chosen on SQuAD 2.0 with the gold paragraph as the only source
 * (scratch/squad-local.ts): at 0.25 answer recall is 0.75-0.78 (0.90 with no
 * threshold) and 99.8% of questions put to a paragraph of another article are
 * refused. Lexical support cannot tell SQuAD's adversarial unanswerable
 * questions from answerable ones (AUC 0.49), so it refuses them at the same
 * rate as answerable ones (about 19%): the threshold's job is off-topic context.
 */
export const DEFAULT_MIN_SUPPORT = 0.25;
export const DEFAULT_MAX_SENTENCES = 3;
export const DEFAULT_RELATIVE_SUPPORT = 0.85;
export const LOCAL_REFUSAL_REASON = 'insufficient_support';

/** Question words carry no content: "how many", "what did", "who was". Compared after analysis. */
const QUESTION_TERMS = new Set(analyze('what which who whom whose when where why how many much did do does has have had were been being name'));
const FIRST_SOURCE_BONUS = 0.03;
const PROXIMITY_WEIGHT = 0.2;

export interface ScoredSentence {
  source: number;
  text: string;
  /** Weighted query coverage, damped by proximity: 0..1. */
  support: number;
  /** support plus the small bonus for earlier sources: the ranking key. */
  score: number;
}

interface Unit {
  source: number;
  sourceIndex: number;
  text: string;
  terms: string[];
}

export function queryTerms(question: string): string[] {
  return [...new Set(analyzeQuery(question).filter((term) => !QUESTION_TERMS.has(term)))];
}

function units(sources: readonly GenerationSource[]): Unit[] {
  return sources.flatMap((source, sourceIndex) =>
    splitSentences(source.text).map((span) => {
      const text = source.text.slice(span.start, span.end);
      return { source: source.n, sourceIndex, text, terms: analyze(text) };
    }),
  );
}

/** Smallest window (in terms) holding every distinct matched query term: matched / window. */
function proximity(terms: readonly string[], matched: ReadonlySet<string>): number {
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

/** Every source sentence scored against the question, best first. */
export function scoreSentences(question: string, sources: readonly GenerationSource[]): ScoredSentence[] {
  const query = queryTerms(question);
  const all = units(sources);
  if (query.length === 0 || all.length === 0) return [];
  const documentFrequency = new Map<string, number>();
  for (const unit of all) for (const term of new Set(unit.terms)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const idf = new Map(query.map((term) => {
    const frequency = documentFrequency.get(term) ?? 0;
    return [term, Math.log(1 + (all.length - frequency + 0.5) / (frequency + 0.5))] as const;
  }));
  const totalWeight = query.reduce((sum, term) => sum + (idf.get(term) ?? 0), 0);
  const scored = all.map((unit) => {
    const present = new Set(unit.terms);
    const matched = new Set(query.filter((term) => present.has(term)));
    const weight = [...matched].reduce((sum, term) => sum + (idf.get(term) ?? 0), 0);
    const coverage = totalWeight > 0 ? weight / totalWeight : 0;
    const support = coverage * (1 - PROXIMITY_WEIGHT + PROXIMITY_WEIGHT * proximity(unit.terms, matched));
    const bonus = FIRST_SOURCE_BONUS * (1 - unit.sourceIndex / sources.length);
    return { source: unit.source, text: unit.text, support, score: support + bonus };
  });
  return scored.sort((a, b) => b.score - a.score);
}

/** The deterministic answer: best-supported distinct sentences, or a refusal. */
export function extractAnswer(
  question: string,
  sources: readonly GenerationSource[],
  options: LocalExtractiveGeneratorOptions = {},
): GeneratedAnswer {
  const minSupport = options.minSupport ?? DEFAULT_MIN_SUPPORT;
  const maxSentences = Math.max(1, options.maxSentences ?? DEFAULT_MAX_SENTENCES);
  const relative = options.relativeSupport ?? DEFAULT_RELATIVE_SUPPORT;
  const ranked = scoreSentences(question, sources);
  const best = ranked[0];
  if (best === undefined || best.support < minSupport || best.support === 0) {
    return { refused: true, refusalReason: LOCAL_REFUSAL_REASON, sentences: [] };
  }
  const chosen: ScoredSentence[] = [];
  const seen = new Set<string>();
  for (const candidate of ranked) {
    if (chosen.length >= maxSentences) break;
    if (candidate.support < Math.max(minSupport, relative * best.support)) continue;
    const key = normalizeForMatch(candidate.text);
    if (seen.has(key)) continue;
    seen.add(key);
    chosen.push(candidate);
  }
  return {
    refused: false,
    sentences: chosen.map((sentence) => ({ text: sentence.text, citations: [{ source: sentence.source, quote: sentence.text }] })),
  };
}

export class LocalExtractiveGenerator implements Generator {
  readonly provider = 'local';
  readonly modelId = 'local-extractive-v1';

  constructor(private readonly options: LocalExtractiveGeneratorOptions = {}) {}

  async generate(request: GenerationRequest): Promise<GenerationResult> {
    request.signal?.throwIfAborted();
    const output = extractAnswer(request.question, request.sources, this.options);
    const texts = output.sentences.map((sentence) => sentence.text);
    texts.forEach((text, index) => {
      request.signal?.throwIfAborted();
      request.onDelta?.(index === 0 ? text : ` ${text}`);
    });
    const user = request.messages.filter((message) => message.role === 'user').map((message) => message.content).join('\n');
    return {
      output,
      usage: { inputTokens: countTextTokens(user), outputTokens: countTextTokens(texts.join(' ')), cachedTokens: 0 },
      provider: this.provider,
      model: this.modelId,
    };
  }
}
