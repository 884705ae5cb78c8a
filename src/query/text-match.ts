/**
 * Text matching shared by citation verification and the local extractive
 * generator: a lenient normalization that remembers where every normalized
 * character came from (so a match maps back to exact original offsets), quote
 * search, sentence spans and number tokens. Pure functions.
 */

export interface Span {
  start: number;
  end: number;
}

export interface MappedText {
  /** Normalized text: NFKD without marks, lowercased, straight quotes, one dash, single spaces. */
  text: string;
  /** For each UTF-16 unit of `text`, the original [start, end) it came from. */
  starts: Uint32Array;
  ends: Uint32Array;
}

const FOLD: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'", '\u2032': "'", '\u00B4': "'", '`': "'",
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u201F': '"', '\u2033': '"', '\u00AB': '"', '\u00BB': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\uFE58': '-', '\uFE63': '-', '\uFF0D': '-', '\u2026': '...', '\u2044': '/',
};
const MARKS_OR_FORMAT = /[\p{M}\p{Cf}]/gu;
const WHITESPACE = /\s/u;

function foldCodePoint(codePoint: string): string {
  const code = codePoint.charCodeAt(0);
  if (code < 128) {
    if (WHITESPACE.test(codePoint)) return ' ';
    return codePoint === '`' ? "'" : codePoint.toLowerCase();
  }
  const folded = FOLD[codePoint];
  if (folded !== undefined) return folded;
  if (WHITESPACE.test(codePoint)) return ' ';
  const decomposed = codePoint.normalize('NFKD').toLowerCase().normalize('NFKD').replace(MARKS_OR_FORMAT, '');
  let out = '';
  for (const char of decomposed) out += FOLD[char] ?? (WHITESPACE.test(char) ? ' ' : char);
  return out;
}

/** Normalizes for matching and keeps, per normalized unit, its original offsets. */
export function mapNormalize(original: string): MappedText {
  // Pieces joined once at the end, the last one's space remembered (asking the growing string whether it
  // ended in a space flattened it on every character), and offsets in typed arrays: together most of what
  // verifying an answer allocated.
  const pieces: string[] = [];
  let starts = new Uint32Array(original.length + 8);
  let ends = new Uint32Array(original.length + 8);
  let length = 0;
  let afterSpace = true;
  let index = 0;
  for (const codePoint of original) {
    const end = index + codePoint.length;
    for (const unit of foldCodePoint(codePoint)) {
      if (unit === ' ') {
        if (afterSpace) continue;
        afterSpace = true;
      } else {
        afterSpace = false;
      }
      // Folding can expand a character (an ellipsis into three, a ligature into two).
      if (length + unit.length > starts.length) {
        const grownStarts = new Uint32Array(starts.length * 2 + unit.length);
        const grownEnds = new Uint32Array(grownStarts.length);
        grownStarts.set(starts);
        grownEnds.set(ends);
        starts = grownStarts;
        ends = grownEnds;
      }
      for (let part = 0; part < unit.length; part++) {
        starts[length] = index;
        ends[length] = end;
        length++;
      }
      pieces.push(unit);
    }
    index = end;
  }
  return { text: pieces.join(''), starts: starts.subarray(0, length), ends: ends.subarray(0, length) };
}

export function normalizeForMatch(text: string): string {
  return mapNormalize(text).text.trim();
}

const EDGE_PUNCTUATION = /^[\s"'.,;:!?()[\]]+|[\s"'.,;:!?()[\]]+$/g;
const CITATION_MARKERS = /\s*\[\d+(?:\s*[,;-]\s*\d+)*\]/g;
const ELLIPSIS = /\s*(?:\.\s?\.\s?\.|…)\s*/u;
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'", '&apos;': "'" };

/** Undoes the escaping the assembler applies to source text (a model may quote it escaped). */
export function unescapeEntities(text: string): string {
  return text.replace(/&(?:lt|gt|amp|quot|#39|apos);/g, (entity) => ENTITIES[entity] ?? entity);
}

export function stripCitationMarkers(text: string): string {
  return text.replace(CITATION_MARKERS, '').trim();
}

function cleanQuote(quote: string): string {
  return normalizeForMatch(stripCitationMarkers(quote)).replace(EDGE_PUNCTUATION, '');
}

function occurrences(haystack: string, needle: string, from: number, limit: number): number[] {
  const found: number[] = [];
  let at = haystack.indexOf(needle, from);
  while (at >= 0 && found.length < limit) {
    found.push(at);
    at = haystack.indexOf(needle, at + 1);
  }
  return found;
}

const MAX_OCCURRENCES = 20;
/** Largest normalized gap an ellipsis may stand for. */
const MAX_ELLIPSIS_GAP = 600;

/** Normalized [start, end) ranges where the pieces occur in order, each gap bounded. */
function findPieces(haystack: string, pieces: readonly string[]): Span[] {
  const [first, ...rest] = pieces;
  if (first === undefined) return [];
  const spans: Span[] = [];
  for (const start of occurrences(haystack, first, 0, MAX_OCCURRENCES)) {
    let end = start + first.length;
    let ok = true;
    for (const piece of rest) {
      const next = haystack.indexOf(piece, end);
      if (next < 0 || next - end > MAX_ELLIPSIS_GAP) {
        ok = false;
        break;
      }
      end = next + piece.length;
    }
    if (ok) spans.push({ start, end });
  }
  return spans;
}

/**
 * Every place a quote occurs in the source (original offsets, at most 20),
 * after normalization. Tried in order: the quote as written, the quote with
 * HTML entities undone, and then split at ellipses ("a ... b" matches a, then b).
 */
export function findQuote(source: MappedText, quote: string): Span[] {
  const variants = [quote];
  const unescaped = unescapeEntities(quote);
  if (unescaped !== quote) variants.push(unescaped);
  const attempts: string[][] = [];
  for (const variant of variants) attempts.push([cleanQuote(variant)]);
  for (const variant of variants) {
    const pieces = variant.split(ELLIPSIS).map(cleanQuote).filter((piece) => piece.length > 0);
    if (pieces.length > 1) attempts.push(pieces);
  }
  for (const pieces of attempts) {
    if (pieces.length === 0 || pieces.some((piece) => !/[\p{L}\p{N}]/u.test(piece))) continue;
    const spans = findPieces(source.text, pieces);
    if (spans.length > 0) return spans.map((span) => toOriginal(source, span));
  }
  return [];
}

function toOriginal(source: MappedText, span: Span): Span {
  return { start: source.starts[span.start] ?? 0, end: source.ends[span.end - 1] ?? 0 };
}

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'vs', 'etc', 'e.g', 'i.e', 'cf', 'fig', 'figs', 'no', 'nos',
  'vol', 'pp', 'p', 'approx', 'inc', 'ltd', 'co', 'corp', 'dept', 'est', 'gen', 'gov', 'jan', 'feb', 'mar', 'apr',
  'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'u.s', 'u.k', 'a.m', 'p.m', 'ca', 'c',
]);
const BOUNDARY = /[.!?]+["')\]\u2019\u201D]*(?=\s+["'([\u2018\u201C]?[\p{Lu}\p{N}])|\n[ \t]*\n|\n(?=[ \t]*(?:[-*•#]|\d+[.)])\s)/gu;

function isAbbreviation(text: string, periodAt: number): boolean {
  if (text[periodAt] !== '.') return false;
  const before = /([\p{L}.]+)$/u.exec(text.slice(Math.max(0, periodAt - 12), periodAt));
  const word = before?.[1];
  if (word === undefined) return false;
  if (/^\p{Lu}$/u.test(word)) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}

/** Sentence spans (original offsets, whitespace trimmed) in text order. */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  const push = (end: number): void => {
    let from = start;
    let to = end;
    while (from < to && /\s/u.test(text[from] ?? '')) from++;
    while (to > from && /\s/u.test(text[to - 1] ?? '')) to--;
    if (to > from) spans.push({ start: from, end: to });
  };
  for (const match of text.matchAll(BOUNDARY)) {
    const at = match.index;
    if (match[0].startsWith('\n')) {
      push(at);
      start = at + match[0].length;
      continue;
    }
    if (isAbbreviation(text, at)) continue;
    push(at + match[0].length);
    start = at + match[0].length;
  }
  push(text.length);
  return spans;
}

/** The sentences overlapping [start, end), joined by a space. */
export function surroundingSentences(text: string, sentences: readonly Span[], span: Span): string {
  return sentences
    .filter((sentence) => sentence.start < span.end && sentence.end > span.start)
    .map((sentence) => text.slice(sentence.start, sentence.end))
    .join(' ');
}

const NUMBER = /(?<![\p{L}\p{N}])\p{Nd}+(?:[.,:/-]\p{Nd}+)*(?:\s?%|\s(?:percent|per cent)\b)?/giu;

/**
 * Number and date tokens in canonical form: thousands separators dropped
 * ("1,000" → "1000"), a percentage written "42%" ("42 percent" → "42%").
 * With `withParts` (the cited side), a percentage also yields its bare number
 * and a date its parts, so "2024-01-02" supports "2024" and "2", and "42%"
 * supports "42" (but "42" does not support "42%").
 */
export function numberTokens(text: string, withParts = false): Set<string> {
  const tokens = new Set<string>();
  for (const match of text.normalize('NFKC').matchAll(NUMBER)) {
    const [digits = ''] = /^[\d.,:/-]+/u.exec(match[0]) ?? [];
    const canonical = digits.replace(/(?<=\d),(?=\d{3}\b)/g, '');
    const percent = match[0].length > digits.length;
    tokens.add(percent ? `${canonical}%` : canonical);
    if (!withParts) continue;
    tokens.add(canonical);
    for (const part of canonical.split(/[/:,-]/)) {
      if (part.length > 0) tokens.add(part).add(part.replace(/^0+(?=\d)/, ''));
    }
  }
  return tokens;
}
