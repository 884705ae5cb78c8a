/**
 * Where a citation's quote sits in the text shown around it. Citation offsets
 * are in the version's normalized text; a chunk is a window of that text
 * starting at chunk.start. The quote is checked against the slice (ignoring
 * case and whitespace, as the verifier does) and, when the offsets don't line
 * up, found by search; if neither works the text is shown without a mark.
 */
export interface Highlight {
  before: string;
  mark: string;
  after: string;
}

/** Lowercased, whitespace collapsed, with a map back to positions in the original. */
function folded(text: string): { text: string; map: number[] } {
  let out = '';
  const map: number[] = [];
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (/\s/u.test(ch)) {
      if (!space && out.length > 0) {
        out += ' ';
        map.push(i);
      }
      space = true;
      continue;
    }
    space = false;
    out += ch.toLowerCase();
    map.push(i);
  }
  if (out.endsWith(' ')) {
    out = out.slice(0, -1);
    map.pop();
  }
  return { text: out, map };
}

export function sameText(a: string, b: string): boolean {
  return folded(a).text === folded(b).text;
}

/**
 * The quote [quoteStart, quoteEnd) inside `text`, which starts at offset
 * `textStart` of the same normalized text. Null when it can't be placed.
 */
export function locateQuote(text: string, textStart: number, quote: string, quoteStart: number, quoteEnd: number): Highlight | null {
  const from = quoteStart - textStart;
  const to = quoteEnd - textStart;
  if (from >= 0 && to <= text.length && from < to) {
    const slice = text.slice(from, to);
    if (!quote || sameText(slice, quote)) return { before: text.slice(0, from), mark: slice, after: text.slice(to) };
  }
  if (!quote.trim()) return null;
  // Offsets disagree with this text: find the quote itself.
  const hay = folded(text);
  const needle = folded(quote).text;
  const at = hay.text.indexOf(needle);
  if (at === -1 || needle.length === 0) return null;
  const start = hay.map[at] ?? 0;
  const end = (hay.map[at + needle.length - 1] ?? start) + 1;
  return { before: text.slice(0, start), mark: text.slice(start, end), after: text.slice(end) };
}

/** True when the quote's offsets fall inside the chunk's span. */
export function quoteInside(chunk: { start: number; end: number }, quote: { start: number; end: number }): boolean {
  return quote.start >= chunk.start && quote.end <= chunk.end && quote.start < quote.end;
}

/**
 * The citation numbers that quote a retrieved source: the same chunk, or
 * (a quote can run past its first chunk) the same version with overlapping offsets.
 */
export function citedBy(
  source: { chunkId: string; versionId: string; start: number; end: number },
  citations: readonly { n: number; chunkId: string; versionId: string; start: number; end: number }[],
): number[] {
  return citations
    .filter((citation) => citation.chunkId === source.chunkId || (citation.versionId === source.versionId && citation.start < source.end && citation.end > source.start))
    .map((citation) => citation.n)
    .sort((a, b) => a - b);
}

/**
 * Scrolls `mark` into view: first inside the panel when the panel scrolls
 * (a sticky side panel on a wide screen), with the mark in its upper third so
 * the lines before it give context; then the page, only if still needed.
 */
export function revealInPanel(panel: HTMLElement, mark: Element | null): void {
  if (!mark) return;
  if (panel.scrollHeight > panel.clientHeight) {
    // Aim within the part of the panel the window shows: a sticky panel can start below the fold.
    const frame = panel.getBoundingClientRect();
    const top = Math.max(frame.top, 0);
    const bottom = Math.min(frame.bottom, window.innerHeight);
    const target = bottom > top ? top + (bottom - top) / 3 : frame.top + panel.clientHeight / 3;
    panel.scrollTop = Math.max(0, panel.scrollTop + mark.getBoundingClientRect().top - target);
  }
  mark.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

/** What the evidence views fetch a citation's surroundings with (the Api's methods). */
export interface EvidenceSource {
  chunk(id: string): Promise<{ text: string; start: number; end: number }>;
  versionText(versionId: string, start: number, end: number): Promise<{ text: string; start: number }>;
}

export interface LocatedCitation {
  text: string;
  highlight: Highlight | null;
  /** The text is the version's around the quote, not the cited chunk. */
  fromWindow: boolean;
}

/**
 * The text to show a citation in: its chunk, when the quote lies inside it; otherwise (the quote runs past the
 * chunk, or the chunk is gone with an old index build) the version's text 400 characters either side.
 */
export async function locateCitation(
  source: EvidenceSource,
  citation: { chunkId?: string | null; versionId: string; quote: string; start: number; end: number },
): Promise<LocatedCitation> {
  let text = '';
  let highlight: Highlight | null = null;
  let fromWindow = false;
  const chunk = citation.chunkId ? await source.chunk(citation.chunkId).catch(() => undefined) : undefined;
  if (chunk) {
    text = chunk.text;
    if (quoteInside(chunk, citation)) highlight = locateQuote(chunk.text, chunk.start, citation.quote, citation.start, citation.end);
  }
  if (!highlight) {
    const around = await source.versionText(citation.versionId, citation.start - 400, citation.end + 400);
    const windowHighlight = locateQuote(around.text, around.start, citation.quote, citation.start, citation.end);
    if (windowHighlight || !text) {
      text = around.text;
      highlight = windowHighlight;
      fromWindow = true;
    }
  }
  return { text, highlight, fromWindow };
}
