import { describe, expect, it } from 'vitest';
import type { GeneratedAnswer } from '../../../src/core/providers/ports';
import { assembleContext, type AssembledSource } from '../../../src/query/assemble';
import { loadPrompt } from '../../../src/query/prompts';
import { describeFailures, verifyAnswer } from '../../../src/query/verify';
import { chunkOf, makeDocument, wholeDocument, type FixtureDocument } from './fixtures';

const prompt = loadPrompt('answer-v1');

// A document whose normalized text starts at offset 0; the source under test starts at 40.
const manual = makeDocument(
  'manual',
  'Front matter, table of contents, notes. ' +
    'The valve is torqued to 42 Nm using a calibrated wrench. Replace the “O-ring” every 1,000 hours of operation. ' +
    'Inspections happen on 2024-01-02 and then yearly. Keep pressure < 5 bar during tests.',
  'Pump manual',
);
const memo = makeDocument('memo', 'The cafeteria opens at 8 and closes at 15. Parking is free on weekends.', 'Staff memo');

function sourcesFor(...documents: FixtureDocument[]): AssembledSource[] {
  const candidates = documents.map((document) => (document === manual ? chunkOf(manual, 1, 40, manual.text.length, { page: 7 }) : wholeDocument(document)));
  return assembleContext(candidates, { question: 'q', maxInputTokens: 8000, prompt }).sources;
}

function answer(...sentences: [string, ...[number, string][]][]): GeneratedAnswer {
  return { refused: false, sentences: sentences.map(([text, ...citations]) => ({ text, citations: citations.map(([source, quote]) => ({ source, quote })) })) };
}

describe('verifyAnswer', () => {
  const sources = sourcesFor(manual, memo);

  it('keeps a supported sentence and maps its quote to exact document offsets', () => {
    const result = verifyAnswer(answer(['The valve is torqued to 42 Nm.', [1, 'the valve is  TORQUED to 42 nm']]), sources);
    expect(result.refused).toBe(false);
    expect(result.removed).toEqual([]);
    expect(result.sentences).toEqual([{ text: 'The valve is torqued to 42 Nm.', citations: [1] }]);
    const [citation] = result.citations;
    expect(citation).toMatchObject({ n: 1, source: 1, documentId: 'manual', versionId: 'manual-v1', title: 'Pump manual', page: 7, verified: true });
    expect(citation?.quote).toBe('The valve is torqued to 42 Nm');
    expect(manual.text.slice(citation?.start, citation?.end)).toBe(citation?.quote);
    expect(citation?.start).toBe(40);
    expect(citation?.chunkIds).toEqual(['manual-v1-c1']);
  });

  it('normalizes curly quotes, dashes and thousands separators, returning the original slice', () => {
    const result = verifyAnswer(answer(['The O-ring is replaced every 1,000 hours.', [1, 'Replace the "O‐ring" every 1,000 hours']]), sources);
    const [citation] = result.citations;
    expect(citation?.quote).toBe('Replace the “O-ring” every 1,000 hours');
    expect(manual.text.slice(citation?.start, citation?.end)).toBe(citation?.quote);
  });

  it('accepts a quote copied from the escaped prompt text', () => {
    const result = verifyAnswer(answer(['Pressure stays below 5 bar during tests.', [1, 'Keep pressure &lt; 5 bar during tests']]), sources);
    expect(result.citations[0]?.quote).toBe('Keep pressure < 5 bar during tests');
  });

  it('(a) removes a sentence citing a source that was not in the context', () => {
    const result = verifyAnswer(answer(['The valve is torqued to 42 Nm.', [3, 'The valve is torqued to 42 Nm']]), sources);
    expect(result.removed).toEqual([{ text: 'The valve is torqued to 42 Nm.', reasons: ['source_not_in_context'], details: [expect.stringContaining('[3]')] }]);
    expect(result.citations).toEqual([]);
  });

  it('(b) removes a sentence whose quote is not in the cited chunk, even when another source has it', () => {
    const result = verifyAnswer(answer(['The valve is torqued to 42 Nm.', [2, 'The valve is torqued to 42 Nm']]), sources);
    expect(result.removed[0]?.reasons).toEqual(['quote_not_found']);
    const invented = verifyAnswer(answer(['The valve is torqued to 42 Nm.', [1, 'valves are always torqued to 42 Nm']]), sources);
    expect(invented.removed[0]?.reasons).toEqual(['quote_not_found']);
  });

  it('(c) removes a sentence with a number the cited text lacks', () => {
    const result = verifyAnswer(answer(['The valve is torqued to 45 Nm.', [1, 'The valve is torqued to 42 Nm']]), sources);
    expect(result.removed[0]?.reasons).toEqual(['unsupported_number']);
    expect(result.removed[0]?.details[0]).toContain('45');
    const date = verifyAnswer(answer(['Inspections started in 2024.', [1, 'Inspections happen on 2024-01-02']]), sources);
    expect(date.removed).toEqual([]);
    const percent = verifyAnswer(answer(['The valve is torqued to 42% of its rating.', [1, 'The valve is torqued to 42 Nm']]), sources);
    expect(percent.removed[0]?.reasons).toEqual(['unsupported_number']);
  });

  it('(d) removes a sentence whose content the cited text does not support', () => {
    const result = verifyAnswer(answer(['Only certified technicians may service the pump in winter.', [1, 'The valve is torqued']]), sources);
    expect(result.removed[0]?.reasons).toEqual(['unsupported_content']);
    expect(result.removed[0]?.details[0]).toMatch(/certified/);
  });

  it('counts support from the sentence around a short quote', () => {
    const result = verifyAnswer(answer(['A calibrated wrench is used to torque the valve.', [1, 'calibrated wrench']]), sources);
    expect(result.removed).toEqual([]);
    expect(result.citations[0]?.quote).toBe('calibrated wrench');
  });

  it('removes uncited sentences, keeps the rest, and numbers citations by first appearance with dedupe', () => {
    const result = verifyAnswer(
      answer(
        ['The cafeteria opens at 8 [2].', [2, 'The cafeteria opens at 8']],
        ['This is an uncited remark.'],
        ['The valve is torqued to 42 Nm with a calibrated wrench.', [1, 'torqued to 42 Nm'], [1, 'calibrated wrench']],
        ['It opens at 8 on weekdays too.', [2, 'The cafeteria opens at 8']],
      ),
      sources,
    );
    expect(result.sentences).toEqual([
      { text: 'The cafeteria opens at 8.', citations: [1] },
      { text: 'The valve is torqued to 42 Nm with a calibrated wrench.', citations: [2, 3] },
    ]);
    expect(result.removed.map((entry) => entry.reasons)).toEqual([['no_citation'], ['unsupported_content']]);
    expect(result.citations.map((citation) => [citation.n, citation.source, citation.quote])).toEqual([
      [1, 2, 'The cafeteria opens at 8'],
      [2, 1, 'torqued to 42 Nm'],
      [3, 1, 'calibrated wrench'],
    ]);
  });

  it('becomes a refusal when no sentence survives', () => {
    const result = verifyAnswer(answer(['The valve is torqued to 99 Nm.', [1, 'The valve is torqued to 42 Nm']], ['Uncited.']), sources);
    expect(result).toMatchObject({ refused: true, refusalReason: 'unsupported', sentences: [], citations: [] });
    expect(result.removed).toHaveLength(2);
    expect(verifyAnswer({ refused: false, sentences: [] }, sources)).toMatchObject({ refused: true, refusalReason: 'unsupported' });
  });

  it('passes a model refusal through without sentences', () => {
    const result = verifyAnswer({ refused: true, refusalReason: 'not in the sources', sentences: [{ text: 'x', citations: [] }] }, sources);
    expect(result).toEqual({ sentences: [], citations: [], removed: [], refused: true, refusalReason: 'not in the sources' });
  });

  it('never marks anything unverified as verified', () => {
    const result = verifyAnswer(answer(['The valve is torqued to 42 Nm.', [1, 'torqued to 42 Nm'], [1, 'not in the text']]), sources);
    expect(result.citations).toEqual([]);
    expect(result.removed[0]?.reasons).toEqual(['quote_not_found']);
  });
});

describe('verifyAnswer on merged chunks', () => {
  const document = makeDocument('long', 'Alpha section one. The pump delivers 30 litres per minute. Beta section two.\n\nGamma part: the motor runs at 1450 rpm.');
  const first = chunkOf(document, 0, 0, 60, { page: 1 });
  const second = chunkOf(document, 1, 45, 76, { page: 2 });
  const third = chunkOf(document, 2, 78, document.text.length, { page: 3 });
  const sources = assembleContext([second, first, third], { question: 'q', maxInputTokens: 8000, prompt }).sources;

  it('maps a quote spanning two overlapping chunks to document offsets, chunks and the page of its start', () => {
    expect(sources).toHaveLength(1);
    const result = verifyAnswer(answer(['The pump delivers 30 litres per minute.', [1, 'delivers 30 litres per minute. Beta']]), sources);
    const [citation] = result.citations;
    expect(document.text.slice(citation?.start, citation?.end)).toBe(citation?.quote);
    expect(citation?.chunkIds).toEqual(['long-v1-c0', 'long-v1-c1']);
    expect(citation?.page).toBe(1);
    const later = verifyAnswer(answer(['The motor runs at 1450 rpm.', [1, 'the motor runs at 1450 rpm']]), sources);
    expect(later.citations[0]).toMatchObject({ chunkIds: ['long-v1-c2'], page: 3 });
    expect(document.text.slice(later.citations[0]?.start, later.citations[0]?.end)).toBe('the motor runs at 1450 rpm');
  });

  it('rejects a quote that crosses text no chunk covered', () => {
    const result = verifyAnswer(answer(['Section two is followed by gamma.', [1, 'Beta section two. Gamma part']]), sources);
    expect(result.removed[0]?.reasons).toEqual(['quote_not_found']);
  });
});

describe('describeFailures', () => {
  it('tells the model exactly what failed', () => {
    const sources = sourcesFor(manual);
    const result = verifyAnswer(
      answer(
        ['The valve is torqued to 45 Nm.', [1, 'The valve is torqued to 42 Nm']],
        ['Seals last forever.', [4, 'Seals last forever']],
        ['The O-ring is blue.', [1, 'the blue O-ring']],
      ),
      sources,
    );
    const text = describeFailures(result.removed);
    expect(text).toContain('"The valve is torqued to 45 Nm."');
    expect(text).toContain('the numbers 45 do not appear in the quoted text');
    expect(text).toContain('source [4] is not one of the given sources');
    expect(text).toContain('the quote "the blue O-ring" does not occur in source [1]');
    expect(text).toContain('a refusal is a correct answer');
    expect(describeFailures([])).toBe('');
  });
});
