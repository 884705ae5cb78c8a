import { describe, expect, it } from 'vitest';
import { joinLines } from '../../../ingestion/dehyphenate';
import { normalizeDocument } from '../../../ingestion/normalize';
import type { ParsedBlock, ParsedDocument } from '../../../ingestion/parse';
import { removeRunningLines } from '../../../ingestion/running-headers';

const paragraph = (text: string): ParsedBlock => ({ kind: 'paragraph', text });
const heading = (text: string, level: number): ParsedBlock => ({ kind: 'heading', text, level });

function unpaged(blocks: ParsedBlock[]): ParsedDocument {
  return { mime: 'text/plain', pageCount: null, pages: [{ page: null, blocks }] };
}

function blockTexts(parsed: ParsedDocument): string[] {
  const doc = normalizeDocument(parsed);
  return doc.blocks.map((block) => doc.text.slice(block.start, block.end));
}

describe('normalizeDocument', () => {
  it('applies NFKC, drops invisible characters and collapses whitespace inside a block', () => {
    const texts = blockTexts(unpaged([paragraph('The ﬁrst\u00a0 ﬂoor:\t\uff21\uff22\uff23 \u2460\u200b\n  two\u00adfold')]));
    expect(texts).toEqual(['The first floor: ABC 1 twofold']);
  });

  it('folds TeX spacing accents onto their letters', () => {
    expect(blockTexts(unpaged([paragraph('a na¨ıve caf´e, it´s fine')]))).toEqual(['a naïve café, it’s fine']);
  });

  it('de-hyphenates words broken across lines but keeps real compounds', () => {
    expect(joinLines(['the infor-', 'mation is here'])).toBe('the information is here');
    expect(joinLines(['a self-', 'contained unit'])).toBe('a self-contained unit');
    expect(joinLines(['a trace-', 'based compiler'])).toBe('a trace-based compiler');
    expect(joinLines(['state-of-the-', 'art results'])).toBe('state-of-the-art results');
    expect(joinLines(['the Trace-', 'Monkey VM'])).toBe('the Trace-Monkey VM');
    expect(joinLines(['COVID-', '19 cases'])).toBe('COVID-19 cases');
    expect(joinLines(['prices fell -', 'sharply'])).toBe('prices fell - sharply');
    expect(joinLines(['protected—', 'by the market'])).toBe('protected—by the market');
    expect(joinLines(['soft\u00ad', 'hyphen'])).toBe('softhyphen');
    expect(blockTexts(unpaged([paragraph('pro-\ngramming lan-\nguages')]))).toEqual(['programming languages']);
  });

  it('joins blocks with blank lines, with exact offsets and heading paths', () => {
    const doc = normalizeDocument(
      unpaged([heading('Guide', 1), paragraph('Intro.'), heading('Setup', 2), paragraph('Install  it.'), heading('Usage', 2), paragraph('Run it.'), heading('FAQ', 1), paragraph('Ask.')]),
    );
    expect(doc.text).toBe('Guide\n\nIntro.\n\nSetup\n\nInstall it.\n\nUsage\n\nRun it.\n\nFAQ\n\nAsk.');
    expect(doc.pages).toEqual([{ page: null, start: 0, end: doc.text.length }]);
    for (const block of doc.blocks) expect(doc.text.slice(block.start, block.end)).not.toMatch(/^\s|\s$/u);
    expect(doc.blocks.map((block) => block.headingPath)).toEqual([
      ['Guide'],
      ['Guide'],
      ['Guide', 'Setup'],
      ['Guide', 'Setup'],
      ['Guide', 'Usage'],
      ['Guide', 'Usage'],
      ['FAQ'],
      ['FAQ'],
    ]);
    expect(doc.blocks[2]).toMatchObject({ kind: 'heading', level: 2, page: null });
  });

  it('drops blocks that normalize to nothing', () => {
    const doc = normalizeDocument(unpaged([paragraph(' \u200b '), paragraph('Kept.')]));
    expect(doc.text).toBe('Kept.');
    expect(doc.blocks).toHaveLength(1);
  });

  it('is deterministic and does not mutate its input', () => {
    const parsed = unpaged([heading('T', 1), paragraph('a  b\nc')]);
    const copy = structuredClone(parsed);
    expect(normalizeDocument(parsed)).toEqual(normalizeDocument(parsed));
    expect(parsed).toEqual(copy);
  });
});

describe('running headers and footers', () => {
  const bodies = [
    'Chapter one begins here and the story starts.',
    'The hero travels across the sea to a far land.',
    'A storm breaks over the ship in the night.',
    'Land is sighted at dawn by the lookout.',
    'The journey ends and the crew goes ashore.',
  ];
  const fivePages: ParsedDocument = {
    mime: 'application/pdf',
    pageCount: 5,
    pages: bodies.map((body, index) => ({
      page: index + 1,
      blocks: [
        paragraph('ACME Handbook — Confidential'),
        paragraph(body),
        paragraph(`Page ${index + 1} of 5`),
        ...(index === 2 ? [] : [paragraph(String(index + 11))]),
      ],
    })),
  };

  it('removes lines repeating at the top or bottom of most pages, numbers masked', () => {
    const doc = normalizeDocument(fivePages);
    expect(doc.text).toBe(bodies.join('\n\n'));
    expect(doc.pages.map((page) => doc.text.slice(page.start, page.end))).toEqual(bodies);
    expect(doc.blocks.map((block) => block.page)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps repeated lines in documents of fewer than three pages', () => {
    const short = { ...fivePages, pageCount: 2, pages: fivePages.pages.slice(0, 2) };
    expect(normalizeDocument(short).text).toContain('ACME Handbook');
  });

  it('keeps a line that repeats on fewer than half the pages, and body lines that merely repeat', () => {
    const pages = [
      [['Intro'], ['Same sentence in the body.'], ['The end of page one.']],
      [['Other start'], ['Same sentence in the body.'], ['More text.']],
      [['Third start'], ['Body.'], ['Same sentence in the body.'], ['Closing words.']],
      [['Fourth start'], ['Same sentence in the body.'], ['Final words.']],
    ];
    expect(removeRunningLines(pages)).toEqual(pages);
  });

  it('treats recto/verso running heads and numbered chapter heads as furniture', () => {
    const head = (index: number): string | undefined => {
      if (index < 2) return undefined; // title pages
      if (index % 2 === 0) return `${index + 1} FREE CULTURE`; // verso: on fewer than half of all pages
      return index < 9 ? `“PIRACY” ${index + 1}` : `“PROPERTY” ${index + 1}`;
    };
    const pages = Array.from({ length: 12 }, (_, index) => {
      const running = head(index);
      return [...(running === undefined ? [] : [[running]]), [bodies[index % bodies.length]!]];
    });
    const kept = removeRunningLines(pages).map((page) => page.flat());
    expect(kept.slice(0, 9)).toEqual(pages.slice(0, 9).map((_, index) => [bodies[index % bodies.length]!]));
    // Two occurrences are too few to call a line furniture.
    expect(kept[9]).toEqual(['“PROPERTY” 10', bodies[4]]);
    expect(kept[10]).toEqual([bodies[0]]);
  });
});
