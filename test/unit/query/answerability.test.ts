import { describe, expect, it } from 'vitest';
import { contentTerms, decideAnswerability, termsToLookUp, type TermStatistics } from '../../../src/query/answerability';
import { narrowPages, ocrOfPages, pageAt } from '../../../src/query/citation-pages';
import { passageUnits } from '../../../src/query/passage-units';
import { LexicalRelevanceScorer, RerankerRelevanceScorer } from '../../../src/query/relevance';
import { LocalLexicalReranker } from '../../../src/core/providers/local-reranker';

function statistics(documents: number, frequencies: Record<string, number>): TermStatistics {
  return { documents, frequencies: new Map(Object.entries(frequencies)) };
}

describe('content terms', () => {
  it('leaves out question words, stopwords and generic phrasing, and keeps the word each term came from', () => {
    expect(contentTerms('How do I reset my password?').map((entry) => [entry.term, entry.word])).toEqual([
      ['reset', 'reset'],
      ['password', 'password'],
    ]);
    expect(contentTerms('What is the capital of France?').map((entry) => entry.word)).toEqual(['capital', 'France']);
  });

  it('looks up derived and irregular forms too', () => {
    const [brighter] = contentTerms('brighter');
    expect(brighter?.variants).toContain('bright');
    const [eat] = contentTerms('eat');
    expect(eat?.variants).toEqual(expect.arrayContaining(['at', 'eaten']));
    expect(termsToLookUp(contentTerms('brighter lights'))).toEqual(expect.arrayContaining(['brighter', 'bright', 'light']));
  });
});

describe('decideAnswerability', () => {
  const relevance = { best: null, scorer: null };

  it('refuses when the key term is missing, naming it', () => {
    const decision = decideAnswerability(contentTerms('Who ate the porridge?'), statistics(4, { at: 2 }), relevance);
    expect(decision).toMatchObject({ answerable: false, reason: 'absent_terms', message: "The documents never mention 'porridge'.", missing: ['porridge'] });
  });

  it('keeps a question whose one missing word is among several frequent, specific ones', () => {
    const terms = contentTerms('Which GPIO pin and LED type should the ESP32 controller use for the strip data line?');
    const frequencies = Object.fromEntries(termsToLookUp(terms).map((term) => [term, 40]));
    frequencies['controller'] = 0;
    const decision = decideAnswerability(terms, statistics(500, { ...frequencies, control: 0 }), relevance);
    expect(decision.missing).toEqual(['controller']);
    expect(decision.answerable).toBe(true);
  });

  it('weighs an everyday word the documents do not use as phrasing: a small corpus does not refuse over it', () => {
    // One chunk: a missing word's IDF at df 0 would outweigh every present one.
    const decision = decideAnswerability(contentTerms('For how many months does the warranty run?'), statistics(1, { month: 1, warranti: 1 }), relevance);
    expect(decision.answerable).toBe(true);
    expect(decision.missing).toEqual([]);
    expect(decision.scores.terms.filter((term) => term.common)).toHaveLength(1);
    // A missing topic word still refuses, and the everyday one is not named beside it.
    const refund = decideAnswerability(contentTerms('How long does the warranty refund last?'), statistics(1, { warranti: 1 }), relevance);
    expect(refund).toMatchObject({ answerable: false, reason: 'absent_terms', missing: ['refund'] });
  });

  it('refuses when every content term is missing, everyday words included', () => {
    const decision = decideAnswerability(contentTerms('Where did they run last night?'), statistics(50, { warranti: 3 }), relevance);
    expect(decision).toMatchObject({ answerable: false, reason: 'absent_terms' });
    expect(decision.missing).toEqual(expect.arrayContaining(['run', 'night']));
  });

  it('counts a variant as present', () => {
    const decision = decideAnswerability(contentTerms('How do I make the lights brighter?'), statistics(100, { light: 60, bright: 10 }), relevance);
    expect(decision.answerable).toBe(true);
  });

  it('refuses under the relevance floor, and passes above it', () => {
    const terms = contentTerms('How do I reset my password?');
    const stats = statistics(10, { reset: 2, password: 1 });
    expect(decideAnswerability(terms, stats, { best: 0.2, scorer: 's' }, { missingWeightShare: 0.5, relevanceFloor: 0.3 })).toMatchObject({ answerable: false, reason: 'low_relevance' });
    expect(decideAnswerability(terms, stats, { best: 0.4, scorer: 's' }, { missingWeightShare: 0.5, relevanceFloor: 0.3 }).answerable).toBe(true);
  });

  it('leaves the decision to relevance when the index cannot count', () => {
    expect(decideAnswerability(contentTerms('Who ate the porridge?'), undefined, relevance).answerable).toBe(true);
  });
});

describe('citation pages', () => {
  // A chunk over pages 1-2 of a document: page 1 is [0, 100), page 2 [102, 200).
  const pages = [
    { page: 1, start: 0, end: 100 },
    { page: 2, start: 102, end: 200 },
  ];

  it('a quote starting on the second page of a two-page chunk reports that page', () => {
    expect(narrowPages({ page: 1, pageEnd: 2, start: 120, end: 160 }, pages)).toEqual({ page: 2, pageEnd: 2, start: 120, end: 160 });
  });

  it('a quote across the break starts on page 1 and ends on page 2', () => {
    expect(narrowPages({ page: 1, pageEnd: 2, start: 90, end: 130 }, pages)).toMatchObject({ page: 1, pageEnd: 2 });
    expect(pageAt(pages, 101)).toBe(1);
  });
});

describe('OCR of cited pages', () => {
  const pages = [
    { page: 1, start: 0, end: 100 },
    { page: 2, start: 102, end: 200, ocr: { confidence: 91.5 } },
    { page: 3, start: 202, end: 300, ocr: { confidence: 74 } },
  ];
  it('marks text on OCR\'d pages with the lowest confidence of those it spans; born-digital pages and unpaged text get none', () => {
    expect(ocrOfPages(pages, 1, 1)).toBeUndefined();
    expect(ocrOfPages(pages, 2, 2)).toEqual({ confidence: 91.5 });
    expect(ocrOfPages(pages, 1, 3)).toEqual({ confidence: 74 });
    expect(ocrOfPages(pages, 3, null)).toEqual({ confidence: 74 });
    expect(ocrOfPages(pages, null, null)).toBeUndefined();
  });
});

describe('passage units', () => {
  it('never makes a heading a unit, keeps a list with its lead-in, and splits a table into rows', () => {
    const text = 'Warranty\n\nThe warranty is 2 years.\n\nTo reset:\n\nHold the button.\n\nRelease it.\n\n| Plan | Price | |---|---| | Pro | $9 |';
    const quotes = passageUnits(text).map((unit) => text.slice(unit.span.start, unit.span.end));
    expect(quotes).toEqual(['The warranty is 2 years.', 'To reset:\n\nHold the button.\n\nRelease it.', '| Plan | Price |', '| Pro | $9 |']);
    expect(passageUnits(text)[0]?.heading).toBe('Warranty');
  });

  it('treats an FAQ question as the heading of its answer', () => {
    const text = "My LEDs don't get as bright as they should!\n\nSet the milliamp limit below your power supply's rating.";
    const units = passageUnits(text);
    expect(units).toHaveLength(1);
    expect(units[0]?.heading).toBe("My LEDs don't get as bright as they should!");
  });
});

describe('relevance scorers', () => {
  it('the lexical stand-in scores a passage holding the question\'s terms above one that does not', async () => {
    const [good, bad] = await new LexicalRelevanceScorer().score('What is the EU warranty period?', ['In the EU, the warranty period is 3 years.', 'Premium costs $4.99 per month.']);
    expect(good).toBeGreaterThan(0.8);
    expect(bad).toBe(0);
  });

  it('a reranker as scorer returns its scores in the passages\' order', async () => {
    const scorer = new RerankerRelevanceScorer(new LocalLexicalReranker());
    const scores = await scorer.score('warranty period', ['Premium costs $4.99 per month.', 'The warranty period is 3 years.']);
    expect(scores).toHaveLength(2);
    expect(scores[1]).toBeGreaterThan(scores[0]!);
    expect(scorer.id).toBe('local:local-lexical-v1');
  });
});
