/**
 * Finding a citation's quote among a rendered page's text items (pdf.js text
 * content: one string per positioned run of glyphs). Items split text at
 * arbitrary places, sometimes inside a word and sometimes dropping the space
 * between words, and the version text the quote comes from has collapsed
 * whitespace and ligatures expanded; so both sides are compared as their
 * non-space characters only, NFKC-folded and lowercased.
 */
export interface ItemRange {
  /** Index of the text item. */
  item: number;
  /** Character range inside that item's string. */
  from: number;
  to: number;
}

export interface QuoteMatch {
  ranges: ItemRange[];
  /** False when only the quote's opening could be found (hyphenation, a missing line). */
  complete: boolean;
}

interface Folded {
  text: string;
  /** For each folded character: the item and the character index in it. */
  at: { item: number; index: number }[];
}

function foldChar(ch: string): string {
  // Soft hyphens and zero-width characters are invisible on the page and absent from extracted text.
  if (/[\s\u00ad\u200b-\u200d\ufeff]/u.test(ch)) return '';
  return ch.normalize('NFKC').toLowerCase().replace(/\s/gu, '');
}

function foldItems(items: readonly string[]): Folded {
  let text = '';
  const at: Folded['at'] = [];
  items.forEach((item, itemIndex) => {
    for (let index = 0; index < item.length; index++) {
      const folded = foldChar(item[index] ?? '');
      for (const ch of folded) {
        text += ch;
        at.push({ item: itemIndex, index });
      }
    }
  });
  return { text, at };
}

function foldText(text: string): string {
  let out = '';
  for (const ch of text) out += foldChar(ch);
  return out;
}

function rangesFor(folded: Folded, start: number, length: number): ItemRange[] {
  const ranges: ItemRange[] = [];
  for (let i = start; i < start + length; i++) {
    const pos = folded.at[i];
    if (!pos) continue;
    const last = ranges[ranges.length - 1];
    if (last && last.item === pos.item) last.to = pos.index + 1;
    else ranges.push({ item: pos.item, from: pos.index, to: pos.index + 1 });
  }
  return ranges;
}

/** Shortest opening worth highlighting on its own: shorter ones match by accident. */
const MIN_PREFIX = 24;

/**
 * Where `quote` sits in the items: the character ranges to mark, item by
 * item. When the whole quote is not there, the longest opening of it that is
 * (at least MIN_PREFIX characters), marked incomplete. Null when neither.
 */
export function matchQuote(items: readonly string[], quote: string): QuoteMatch | null {
  const folded = foldItems(items);
  const needle = foldText(quote);
  if (!needle) return null;
  const at = folded.text.indexOf(needle);
  if (at !== -1) return { ranges: rangesFor(folded, at, needle.length), complete: true };
  // Halve towards the longest opening that occurs: log steps, not one search per length.
  let low = MIN_PREFIX;
  let high = needle.length - 1;
  let best: { at: number; length: number } | null = null;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    const found = folded.text.indexOf(needle.slice(0, mid));
    if (found === -1) high = mid - 1;
    else {
      best = { at: found, length: mid };
      low = mid + 1;
    }
  }
  return best ? { ranges: rangesFor(folded, best.at, best.length), complete: false } : null;
}
