import { joinLines } from './dehyphenate';
import type { ParsedDocument } from './parse/types';
import { removeRunningLines, type PageLines } from './running-headers';

export interface NormalizedBlock {
  kind: 'heading' | 'paragraph';
  level?: number;
  /** Offsets into NormalizedDocument.text; text.slice(start, end) is the block. */
  start: number;
  end: number;
  page: number | null;
  /** Texts of the enclosing headings, outermost first; a heading's own path ends with itself. */
  headingPath: string[];
}

export interface NormalizedDocument {
  /** The canonical text: blocks joined by "\n\n". Every offset in the system points into it. */
  text: string;
  /** `ocr`: the page's text came from OCR, at tesseract's mean word confidence (0-100); cited as such. */
  pages: { page: number | null; start: number; end: number; ocr?: { confidence: number } }[];
  blocks: NormalizedBlock[];
}

export const BLOCK_SEPARATOR = '\n\n';

// TeX-made PDFs often emit an accent as its own spacing character before the letter
// ("na¨ıve"); NFKC would turn it into a space plus a combining mark, so fold it first.
// Only onto letters that take that accent, so an acute used as an apostrophe ("it´s") stays.
const SPACING_ACCENTS: Record<string, { mark: string; bases: RegExp }> = {
  '¨': { mark: '\u0308', bases: /[aeiouyAEIOUYı]/u },
  '´': { mark: '\u0301', bases: /[aeiouyAEIOUYı]/u },
  'ˆ': { mark: '\u0302', bases: /[aeiouAEIOUı]/u },
  '˜': { mark: '\u0303', bases: /[aonAON]/u },
  '¸': { mark: '\u0327', bases: /[cCsS]/u },
  '˚': { mark: '\u030A', bases: /[aAuU]/u },
  'ˇ': { mark: '\u030C', bases: /[cCsSzZrRnNeE]/u },
};
const SPACING_ACCENT_BEFORE_LETTER = /([¨´ˆ˜¸˚ˇ])(\p{L})/gu;
// Left over between letters, an acute accent is an apostrophe ("it´s"); NFKC would split it into a space and a mark.
const ACUTE_AS_APOSTROPHE = /(?<=\p{L})´(?=\p{L})/gu;
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/gu;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/gu;

// Both patterns above need one of these; most lines have none, and a test is far cheaper than two Unicode replaces.
const ANY_SPACING_ACCENT = /[¨´ˆ˜¸˚ˇ]/;

function foldSpacingAccents(text: string): string {
  if (!ANY_SPACING_ACCENT.test(text)) return text;
  return text.replace(SPACING_ACCENT_BEFORE_LETTER, (match, accent: string, letter: string) => {
    const fold = SPACING_ACCENTS[accent];
    if (!fold?.bases.test(letter)) return match;
    return (letter === 'ı' ? 'i' : letter) + fold.mark;
  }).replace(ACUTE_AS_APOSTROPHE, '\u2019');
}

/** NFKC, line joining with de-hyphenation, then whitespace folded to single spaces. */
export function normalizeBlockText(lines: readonly string[]): string {
  const cleaned = lines.map((line) => foldSpacingAccents(line).normalize('NFKC').replace(CONTROL, ' '));
  // Invisible characters go after joining: a soft hyphen at a line end still marks a broken word there.
  return joinLines(cleaned).replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}

interface SourceBlock {
  kind: 'heading' | 'paragraph';
  level?: number;
  lines: string[];
}

function splitPages(parsed: ParsedDocument): { page: number | null; ocr?: { confidence: number }; blocks: SourceBlock[] }[] {
  const pages = parsed.pages.map((page) => ({
    page: page.page,
    ...(page.ocr ? { ocr: { confidence: page.ocr.confidence } } : {}),
    blocks: page.blocks.map((block): SourceBlock => ({ kind: block.kind, ...(block.level === undefined ? {} : { level: block.level }), lines: block.text.split(/\r\n|\r|\n/u) })),
  }));
  const paged = pages.every((page) => page.page !== null);
  if (!paged) return pages;
  const stripped = removeRunningLines(pages.map((page) => page.blocks.map((block) => block.lines)) as PageLines[]);
  return pages.map((page, pageIndex) => ({
    ...page,
    blocks: page.blocks.map((block, blockIndex) => ({ ...block, lines: stripped[pageIndex]?.[blockIndex] ?? [] })),
  }));
}

class HeadingStack {
  private readonly entries: { level: number; text: string }[] = [];

  enter(level: number, text: string): string[] {
    while (this.entries.length > 0 && this.entries[this.entries.length - 1]!.level >= level) this.entries.pop();
    this.entries.push({ level, text });
    return this.path();
  }

  path(): string[] {
    return this.entries.map((entry) => entry.text);
  }
}

/**
 * Turns parsed pages into one canonical text with block and page offsets. Pure and
 * deterministic: the same parse always gives the same text and offsets.
 */
export function normalizeDocument(parsed: ParsedDocument): NormalizedDocument {
  const parts: string[] = [];
  let length = 0;
  const blocks: NormalizedBlock[] = [];
  const pages: NormalizedDocument['pages'] = [];
  const headings = new HeadingStack();

  for (const page of splitPages(parsed)) {
    let pageStart: number | undefined;
    for (const block of page.blocks) {
      const text = normalizeBlockText(block.lines);
      if (text.length === 0) continue;
      if (parts.length > 0) {
        parts.push(BLOCK_SEPARATOR);
        length += BLOCK_SEPARATOR.length;
      }
      const start = length;
      parts.push(text);
      length += text.length;
      pageStart ??= start;
      const headingPath = block.kind === 'heading' ? headings.enter(block.level ?? 1, text) : headings.path();
      blocks.push({ kind: block.kind, ...(block.kind === 'heading' ? { level: block.level ?? 1 } : {}), start, end: length, page: page.page, headingPath });
    }
    // A page with no text keeps an empty range where it sits, so page lookups stay complete.
    pages.push({ page: page.page, start: pageStart ?? length, end: length, ...(page.ocr ? { ocr: page.ocr } : {}) });
  }
  return { text: parts.join(''), pages, blocks };
}
