/**
 * Running headers and footers: lines at the top or bottom of a page that repeat
 * across pages once digits are masked ("12 FREE CULTURE", "Page 3 of 9"). They
 * break sentences that cross page boundaries and pollute chunks, so they go.
 */

/** A page as a list of blocks, each a list of lines. */
export type PageLines = string[][];

const EDGE_LINES = 2;
const MIN_PAGES = 3;
// Running heads are short; a long line that repeats (masked) is body text, e.g. a numbered clause.
const MAX_FURNITURE_CHARS = 100;
const PAGE_NUMBER = /^(?:page\s+)?[-–—([]?\s*#\s*[-–—)\]]?(?:\s*(?:of|\/)\s*#)?$/iu;
// Front-matter numerals up to lxxxix; a strict pattern so words like "civil" never match.
const ROMAN_PAGE_NUMBER = /^(?=[ivxl])(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$/u;

type Edge = 'top' | 'bottom';

/** Masks digit runs so that the same header on different pages gets the same key. */
export function lineKey(line: string): string {
  return line.normalize('NFKC').replace(/\d+/gu, '#').replace(/\s+/gu, ' ').trim().toLowerCase();
}

function isPageNumber(key: string): boolean {
  return PAGE_NUMBER.test(key) || ROMAN_PAGE_NUMBER.test(key);
}

function edgeLines(page: PageLines, edge: Edge): string[] {
  const lines = page.flat();
  return edge === 'top' ? lines.slice(0, EDGE_LINES) : lines.slice(-EDGE_LINES);
}

/** Counts, per edge, on how many pages (overall and by page parity) each key occurs. */
function countEdgeKeys(pages: readonly PageLines[], edge: Edge): { all: Map<string, number>; parity: Map<string, number>[] } {
  const all = new Map<string, number>();
  const parity = [new Map<string, number>(), new Map<string, number>()];
  pages.forEach((page, index) => {
    const keys = new Set(edgeLines(page, edge).map(lineKey));
    for (const key of keys) {
      all.set(key, (all.get(key) ?? 0) + 1);
      const byParity = parity[index % 2]!;
      byParity.set(key, (byParity.get(key) ?? 0) + 1);
    }
  });
  return { all, parity };
}

function repeatedKeys(pages: readonly PageLines[], edge: Edge): Set<string> {
  const { all, parity } = countEdgeKeys(pages, edge);
  const half = pages.length / 2;
  const parityHalves = [Math.ceil(pages.length / 2) / 2, Math.floor(pages.length / 2) / 2];
  const keys = new Set<string>();
  for (const [key, count] of all) {
    if (key.length === 0 || key.length > MAX_FURNITURE_CHARS) continue;
    // Recto and verso pages often carry different running heads, so each parity is judged on its own.
    const onParity = parity.some((counts, index) => (counts.get(key) ?? 0) >= Math.max(2, parityHalves[index]!));
    // A numbered head ("“PIRACY” 23") repeats only within its chapter; the number marks it as furniture.
    const numberedHead = key.includes('#') && key.length <= 60 && count >= MIN_PAGES;
    if (count >= half || onParity || numberedHead) keys.add(key);
  }
  return keys;
}

/**
 * Bare page numbers at either edge count together whatever their value. A few are
 * enough: chapter openers often carry the only bare number while other pages fold
 * the number into the running head.
 */
function pageNumbersAreFurniture(pages: readonly PageLines[]): boolean {
  let numbered = 0;
  for (const page of pages) {
    const edges = [...edgeLines(page, 'top'), ...edgeLines(page, 'bottom')];
    if (edges.some((line) => isPageNumber(lineKey(line)))) numbered += 1;
  }
  return numbered >= Math.min(MIN_PAGES, pages.length / 2);
}

function stripEdge(page: PageLines, edge: Edge, isFurniture: (key: string) => boolean): PageLines {
  const blocks = page.map((lines) => [...lines]);
  const order = edge === 'top' ? blocks : [...blocks].reverse();
  let inspected = 0;
  for (const lines of order) {
    while (lines.length > 0 && inspected < EDGE_LINES) {
      const line = edge === 'top' ? lines[0]! : lines[lines.length - 1]!;
      inspected += 1;
      if (!isFurniture(lineKey(line))) return blocks;
      if (edge === 'top') lines.shift();
      else lines.pop();
    }
    if (inspected >= EDGE_LINES) break;
  }
  return blocks;
}

/**
 * Removes running headers/footers from documents of at least three pages. Returns
 * new arrays (inputs untouched); a block may come back with no lines.
 */
export function removeRunningLines(pages: readonly PageLines[]): PageLines[] {
  if (pages.length < MIN_PAGES) return pages.map((page) => page.map((lines) => [...lines]));
  const top = repeatedKeys(pages, 'top');
  const bottom = repeatedKeys(pages, 'bottom');
  const numbers = pageNumbersAreFurniture(pages);
  const stripped = pages.map((page) => {
    const withoutTop = stripEdge(page, 'top', (key) => top.has(key) || (numbers && isPageNumber(key)));
    return stripEdge(withoutTop, 'bottom', (key) => bottom.has(key) || (numbers && isPageNumber(key)));
  });
  // Furniture frames a body; when nothing else is left, the "repeated lines" were the content
  // (e.g. every page holds the same short text), and removing them would leave no text at all.
  if (!hasText(stripped) && hasText(pages)) return pages.map((page) => page.map((lines) => [...lines]));
  return stripped;
}

function hasText(pages: readonly PageLines[]): boolean {
  return pages.some((page) => page.some((lines) => lines.some((line) => line.trim().length > 0)));
}
