import { describe, expect, it } from 'vitest';
import { findQuote, mapNormalize, numberTokens, splitSentences } from '../../../src/query/text-match';

function sentences(text: string): string[] {
  return splitSentences(text).map((span) => text.slice(span.start, span.end));
}

describe('mapNormalize', () => {
  it('folds case, quotes, dashes, whitespace and compatibility forms while mapping back to original offsets', () => {
    const original = 'The  “Efﬁcient”\u00A0Café — 3½\tbar';
    const mapped = mapNormalize(original);
    expect(mapped.text).toBe('the "efficient" cafe - 31/2 bar');
    expect(mapped.starts).toHaveLength(mapped.text.length);
    const at = mapped.text.indexOf('efficient');
    expect(original.slice(mapped.starts[at], mapped.ends[at + 'efficient'.length - 1])).toBe('Efﬁcient');
  });

  it('maps every unit of a text that folds to several times its length', () => {
    const original = `a${'…'.repeat(20)}ﬁ b`;
    const mapped = mapNormalize(original);
    expect(mapped.text).toBe(`a${'...'.repeat(20)}fi b`);
    expect(mapped.starts).toHaveLength(mapped.text.length);
    expect(original.slice(mapped.starts[60], mapped.ends[60])).toBe('…');
    expect(original.slice(mapped.starts[61], mapped.ends[62])).toBe('ﬁ');
    expect(original.slice(mapped.starts[64], mapped.ends[64])).toBe('b');
  });

  it('matches a combining accent against a precomposed one', () => {
    const spans = findQuote(mapNormalize('A cafe\u0301 opens.'), 'café opens');
    expect(spans).toEqual([{ start: 2, end: 13 }]);
  });
});

describe('findQuote', () => {
  const text = 'Torque the bolts to 42 Nm.\nThen check the "seal" – twice. Then check the seal again.';
  const mapped = mapNormalize(text);

  it('finds every occurrence, in original offsets', () => {
    const spans = findQuote(mapped, 'then CHECK the seal');
    expect(spans.map((span) => text.slice(span.start, span.end))).toEqual(['Then check the seal']);
    const quoted = findQuote(mapped, 'check the “seal” - twice');
    expect(quoted.map((span) => text.slice(span.start, span.end))).toEqual(['check the "seal" – twice']);
  });

  it('ignores edge punctuation, surrounding quotes and citation markers', () => {
    const [span] = findQuote(mapped, '"bolts to 42 Nm." [1]');
    expect(span && text.slice(span.start, span.end)).toBe('bolts to 42 Nm');
  });

  it('matches an ellipsis as its pieces in order', () => {
    const [span] = findQuote(mapped, 'Torque the bolts ... check the "seal"');
    expect(span && text.slice(span.start, span.end)).toBe('Torque the bolts to 42 Nm.\nThen check the "seal');
    expect(findQuote(mapped, 'check the seal again … Torque the bolts')).toEqual([]);
  });

  it('undoes the entity escaping of the prompt', () => {
    const escaped = mapNormalize('Keep pressure < 5 bar & flow > 2.');
    const [span] = findQuote(escaped, 'pressure &lt; 5 bar &amp; flow &gt; 2');
    expect(span).toEqual({ start: 5, end: 32 });
  });

  it('finds nothing for absent or empty quotes', () => {
    expect(findQuote(mapped, 'Torque the bolts to 45 Nm')).toEqual([]);
    expect(findQuote(mapped, '  ...  ')).toEqual([]);
  });
});

describe('splitSentences', () => {
  it('splits on terminal punctuation, blank lines and list items, not on abbreviations or decimals', () => {
    const text = 'Dr. Smith measured 3.5 bar, e.g. at the inlet. It failed! Why?\n\nNew paragraph\n- item one\n- item two';
    expect(sentences(text)).toEqual([
      'Dr. Smith measured 3.5 bar, e.g. at the inlet.',
      'It failed!',
      'Why?',
      'New paragraph',
      '- item one',
      '- item two',
    ]);
  });

  it('keeps a hard line break inside a sentence', () => {
    expect(sentences('Water is H\n2O in formulas. Next one.')).toEqual(['Water is H\n2O in formulas.', 'Next one.']);
  });
});

describe('numberTokens', () => {
  it('canonicalizes separators and percentages', () => {
    expect([...numberTokens('1,000 units, 3.5 bar, 42% and 2024-01-02; v2 at 10:30, 7 percent.')]).toEqual(['1000', '3.5', '42%', '2024-01-02', '10:30', '7%']);
  });

  it('lets a cited percentage support its bare number, not the reverse', () => {
    expect(numberTokens('rose 42 %', true).has('42')).toBe(true);
    expect(numberTokens('rose 42 times', true).has('42%')).toBe(false);
  });

  it('adds date parts on the cited side', () => {
    const cited = numberTokens('on 2024-01-02', true);
    expect(cited.has('2024')).toBe(true);
    expect(cited.has('2')).toBe(true);
  });
});
