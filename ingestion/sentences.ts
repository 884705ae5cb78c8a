/** Sentence and word segmentation over offsets of a text, for the chunker. */
export interface Span {
  start: number;
  end: number;
}

// Abbreviations after which a period rarely ends a sentence.
const ABBREVIATIONS = new Set([
  'al', 'approx', 'cf', 'ch', 'co', 'corp', 'dept', 'dr', 'e.g', 'eg', 'eq', 'est', 'fig', 'figs', 'i.e', 'ie', 'inc',
  'jr', 'ltd', 'mr', 'mrs', 'ms', 'no', 'nos', 'p', 'pp', 'prof', 'sec', 'sr', 'st', 'vol', 'vs',
]);

// Terminal punctuation, closing quotes/brackets, then whitespace; CJK full stops need no whitespace.
const BOUNDARY = /([.!?…]+["'”’)\]]*)\s+|([。！？]+[」』”’）)]*)\s*/gu;
const WORD_BEFORE = /([\p{L}.]+)$/u;

function isAbbreviation(text: string, periodAt: number): boolean {
  const word = WORD_BEFORE.exec(text.slice(Math.max(0, periodAt - 12), periodAt))?.[1]?.toLowerCase() ?? '';
  // An initial ("J. Smith") or a dotted abbreviation ("U.S.", "e.g.").
  if (word.length === 1 || word.includes('.')) return true;
  return ABBREVIATIONS.has(word);
}

function trimmed(text: string, start: number, end: number): Span | undefined {
  let from = start;
  let to = end;
  while (from < to && /\s/u.test(text[from]!)) from += 1;
  while (to > from && /\s/u.test(text[to - 1]!)) to -= 1;
  return from < to ? { start: from, end: to } : undefined;
}

/** Splits text[start, end) into trimmed sentence spans that together hold all its non-space characters. */
export function sentenceSpans(text: string, start: number, end: number): Span[] {
  const spans: Span[] = [];
  const slice = text.slice(start, end);
  let sentenceStart = 0;
  BOUNDARY.lastIndex = 0;
  for (let match = BOUNDARY.exec(slice); match !== null; match = BOUNDARY.exec(slice)) {
    const punctuation = match[1] ?? match[2] ?? '';
    const after = match.index + match[0].length;
    if (after >= slice.length) break;
    if (match[1] !== undefined) {
      const next = slice[after]!;
      // "approx. three", "e.g. the": a lower-case continuation is no new sentence.
      if (next !== next.toUpperCase() || (punctuation.startsWith('.') && isAbbreviation(slice, match.index))) continue;
    }
    const span = trimmed(text, start + sentenceStart, start + match.index + punctuation.length);
    if (span) spans.push(span);
    sentenceStart = after;
  }
  const last = trimmed(text, start + sentenceStart, end);
  if (last) spans.push(last);
  return spans;
}

/** Word spans (runs of non-space) inside text[start, end). */
export function wordSpans(text: string, start: number, end: number): Span[] {
  const spans: Span[] = [];
  const pattern = /\S+/gu;
  const slice = text.slice(start, end);
  for (let match = pattern.exec(slice); match !== null; match = pattern.exec(slice)) {
    spans.push({ start: start + match.index, end: start + match.index + match[0].length });
  }
  return spans;
}
