import { describe, expect, it } from 'vitest';
import { citedBy } from '../../../src/ui/app/evidence';
import { matchQuote } from '../../../src/ui/app/quote-match';

/** The source view's pure parts: placing a quote on a PDF page's text items, and which sources a citation quotes. */
const marked = (items: string[], ranges: { item: number; from: number; to: number }[]) => ranges.map((range) => (items[range.item] ?? '').slice(range.from, range.to));

describe('matchQuote', () => {
  it('marks a quote that runs across items, whatever the items do with spaces', () => {
    // pdf.js splits runs mid-word, drops the space at a line end, and keeps spaces as items of their own.
    const items = ['Damage is not covered. The Kestrel war', 'ranty covers parts', ' ', 'and labour for three', 'years from the date of purchase. Call us.'];
    const match = matchQuote(items, 'The Kestrel warranty covers parts and labour for three years from the date of purchase.');
    expect(match?.complete).toBe(true);
    expect(marked(items, match!.ranges)).toEqual(['The Kestrel war', 'ranty covers parts', 'and labour for three', 'years from the date of purchase.']);
    expect(match!.ranges[0]).toEqual({ item: 0, from: 23, to: 38 });
  });

  it('matches ligatures, case and collapsed whitespace the way the version text has them', () => {
    const items = ['Use the ﬁlter', 'SUPPLIED   with the unit.'];
    const match = matchQuote(items, 'use the filter supplied with the unit');
    expect(match?.complete).toBe(true);
    expect(marked(items, match!.ranges)).toEqual(['Use the ﬁlter', 'SUPPLIED   with the unit']);
  });

  it('falls back to the longest opening when the rest is not on the page, and to nothing below a sentence fragment', () => {
    const items = ['The warranty covers parts and labour for three years from the date of'];
    const partial = matchQuote(items, 'The warranty covers parts and labour for three years from the date of purchase, on page 3.');
    expect(partial?.complete).toBe(false);
    expect(marked(items, partial!.ranges)).toEqual(['The warranty covers parts and labour for three years from the date of']);
    expect(matchQuote(items, 'The warranty is void after misuse of any kind.')).toBeNull();
    expect(matchQuote(items, '   ')).toBeNull();
  });
});

describe('citedBy', () => {
  const source = { chunkId: 'c1', versionId: 'v1', start: 100, end: 200 };
  it('names the citations that quote the source: its chunk, or overlapping offsets in its version', () => {
    const citations = [
      { n: 3, chunkId: 'c1', versionId: 'v1', start: 120, end: 150 },
      { n: 1, chunkId: 'c0', versionId: 'v1', start: 90, end: 110 },
      { n: 2, chunkId: 'c9', versionId: 'v1', start: 200, end: 240 },
      { n: 4, chunkId: 'c5', versionId: 'v2', start: 120, end: 150 },
    ];
    expect(citedBy(source, citations)).toEqual([1, 3]);
    expect(citedBy(source, [])).toEqual([]);
  });
});
