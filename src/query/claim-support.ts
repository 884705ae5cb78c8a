import type { RelevanceScorer } from './relevance';
import type { VerifiedAnswer } from './verify';

/**
 * Claim support: verification checks a sentence's words and numbers against its quotes; this adds a model
 * score per (sentence, quote) pair. No NLI model is configured, so the relevance scorer stands in for one
 * (a cross-encoder's relevance of the quote to the sentence is a proxy for entailment, not entailment; the
 * lexical stand-in measures how much of the sentence the quote says). A sentence's support is its best
 * quote's score; a generated sentence under the floor is removed.
 */
export interface SupportedAnswer extends VerifiedAnswer {
  /** Per kept sentence, in order. */
  support: number[];
}

export async function scoreSupport(verified: VerifiedAnswer, scorer: RelevanceScorer, signal?: AbortSignal): Promise<number[]> {
  const quoteOf = new Map(verified.citations.map((citation) => [citation.n, citation.quote] as const));
  return Promise.all(
    verified.sentences.map(async (sentence) => {
      const quotes = sentence.citations.map((n) => quoteOf.get(n) ?? '');
      const scores = quotes.length > 0 ? await scorer.score(sentence.text, quotes, signal ? { signal } : {}) : [];
      const best = scores.reduce((top, score) => Math.max(top, score), Number.NEGATIVE_INFINITY);
      return Number.isFinite(best) ? Math.round(best * 10_000) / 10_000 : 0;
    }),
  );
}

/** Removes sentences under the floor (reason `low_support`), keeps the citations still used, renumbered 1..m. */
export function applySupport(verified: VerifiedAnswer, support: readonly number[], floor: number): SupportedAnswer {
  if (verified.refused) return { ...verified, support: [] };
  const keep = verified.sentences.map((_, index) => (support[index] ?? 0) >= floor);
  const removed = verified.sentences.flatMap((sentence, index) =>
    keep[index] ? [] : [{ text: sentence.text, reasons: ['low_support' as const], details: [`its quotes support it with a score of ${support[index] ?? 0}, under the floor ${floor}`] }],
  );
  const sentences = verified.sentences.filter((_, index) => keep[index]);
  const kept = support.filter((_, index) => keep[index]);
  if (sentences.length === 0) return { sentences: [], citations: [], removed: [...verified.removed, ...removed], refused: true, refusalReason: 'unsupported', support: [] };
  const renumber = new Map<number, number>();
  for (const sentence of sentences) for (const n of sentence.citations) if (!renumber.has(n)) renumber.set(n, renumber.size + 1);
  const citations = verified.citations.filter((citation) => renumber.has(citation.n)).map((citation) => ({ ...citation, n: renumber.get(citation.n)! })).sort((a, b) => a.n - b.n);
  return {
    sentences: sentences.map((sentence) => ({ ...sentence, citations: sentence.citations.map((n) => renumber.get(n)!) })),
    citations,
    removed: [...verified.removed, ...removed],
    refused: false,
    refusalReason: null,
    support: kept,
  };
}
