import type { ParsedBlock, ParsedPage } from './types';

/** One positioned text item from pdf.js getTextContent, as the worker sends it. */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  width: number;
  /** Font size in page units (length of the transform's y axis). */
  size: number;
  /** Baseline direction in whole degrees; 0 for ordinary horizontal text. */
  angle: number;
  eol: boolean;
}

interface Line {
  text: string;
  size: number;
  angle: number;
  /** Extent along the baseline direction. */
  start: number;
  end: number;
  /** Distance across the baseline direction; larger is higher on the page. */
  position: number;
  dominantChars: number;
}

/** A paragraph-ish group of lines from one page, before headings are decided document-wide. */
export interface LayoutBlock {
  lines: string[];
  size: number;
}

const BULLET = /^\s*(?:[•◦▪‣●○■□–—*-]|\(?\d{1,3}[.)]|[a-z][.)])\s/u;
const SENTENCE_END = /[.!?:;"'”’)\]]\s*$/u;

function project(run: TextRun): { along: number; across: number } {
  const radians = (run.angle * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  return { along: run.x * cos + run.y * sin, across: -run.x * sin + run.y * cos };
}

function startsNewLine(line: Line, run: TextRun, along: number, across: number, afterEol: boolean): boolean {
  if (afterEol || run.angle !== line.angle) return true;
  const size = Math.max(run.size, line.size, 1);
  // Superscripts and subscripts sit within ~0.4 em of the baseline; anything further is another line.
  if (Math.abs(across - line.position) > 0.7 * size) return true;
  return along < line.end - 2 * size;
}

function appendRun(line: Line, run: TextRun, along: number, across: number): void {
  const gap = along - line.end;
  // pdf.js omits the space between runs that are positioned apart; restore one.
  if (gap > 0.15 * Math.max(run.size, 1) && !/\s$/u.test(line.text) && !/^\s/u.test(run.text)) line.text += ' ';
  line.text += run.text;
  line.end = Math.max(line.end, along + run.width);
  const chars = run.text.length;
  if (chars > line.dominantChars) {
    // The line's size and baseline are those of its longest run, so a footnote mark cannot skew them.
    line.dominantChars = chars;
    line.size = run.size;
    line.position = across;
  }
}

/** Joins pdf.js text runs into visual lines using hasEOL, baselines and horizontal gaps. */
function buildLines(runs: readonly TextRun[]): Line[] {
  const lines: Line[] = [];
  let current: Line | undefined;
  let afterEol = false;
  for (const run of runs) {
    if (run.text.trim().length === 0) {
      if (current && run.text.length > 0 && !/\s$/u.test(current.text)) current.text += ' ';
      afterEol ||= run.eol;
      continue;
    }
    const { along, across } = project(run);
    if (!current || startsNewLine(current, run, along, across, afterEol)) {
      if (current) lines.push(current);
      current = { text: '', size: run.size, angle: run.angle, start: along, end: along, position: across, dominantChars: 0 };
    }
    appendRun(current, run, along, across);
    afterEol = run.eol;
  }
  if (current) lines.push(current);
  return lines.map((line) => ({ ...line, text: line.text.trim() })).filter((line) => line.text.length > 0);
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

function typicalLeading(lines: readonly Line[]): number | undefined {
  const deltas: number[] = [];
  for (let index = 1; index < lines.length; index += 1) {
    const previous = lines[index - 1]!;
    const line = lines[index]!;
    const delta = previous.position - line.position;
    if (line.angle === previous.angle && delta > 0 && delta < 3 * Math.max(line.size, 1)) deltas.push(delta);
  }
  return median(deltas);
}

interface Group {
  lines: Line[];
  left: number;
  right: number;
}

function startsParagraph(group: Group, line: Line, leading: number | undefined): boolean {
  const previous = group.lines[group.lines.length - 1]!;
  if (line.angle !== previous.angle) return true;
  const sizeRatio = Math.max(line.size, previous.size) / Math.max(Math.min(line.size, previous.size), 0.1);
  if (sizeRatio > 1.05) return true;
  const size = Math.max(line.size, 1);
  const delta = previous.position - line.position;
  if (delta < -0.5 * size) return true; // moved up the page: next column or region
  if (delta > Math.max((leading ?? 1.2 * size) * 1.35 + 0.5, 1.5 * size)) return true;
  if (BULLET.test(line.text)) return true;
  if (!SENTENCE_END.test(previous.text)) return false;
  if (line.start > group.left + 0.8 * size) return true; // first-line indent
  return group.lines.length > 1 && previous.end < group.right - 3 * size; // short last line
}

function dominantSize(lines: readonly Line[]): number {
  const bySize = new Map<number, number>();
  for (const line of lines) bySize.set(line.size, (bySize.get(line.size) ?? 0) + line.text.length);
  let best = 0;
  let bestChars = -1;
  for (const [size, chars] of bySize) if (chars > bestChars) [best, bestChars] = [size, chars];
  return best;
}

/** Groups one page's lines into paragraphs using vertical gaps, indentation, size changes and bullets. */
export function layoutPage(runs: readonly TextRun[]): LayoutBlock[] {
  const lines = buildLines(runs);
  const leading = typicalLeading(lines);
  const groups: Group[] = [];
  for (const line of lines) {
    const group = groups[groups.length - 1];
    if (group && !startsParagraph(group, line, leading)) {
      group.lines.push(line);
      group.left = group.lines.length === 2 ? line.start : Math.min(group.left, line.start);
      group.right = Math.max(group.right, line.end);
    } else {
      groups.push({ lines: [line], left: line.start, right: line.end });
    }
  }
  return groups.map((group) => ({ lines: group.lines.map((line) => line.text), size: dominantSize(group.lines) }));
}

const roundSize = (size: number): number => Math.round(size * 2) / 2;

function isHeadingCandidate(block: LayoutBlock, bodySize: number): boolean {
  // Size first: most blocks are body text, and the letter count would scan the whole of each.
  const ratio = block.size / Math.max(bodySize, 0.1);
  if (ratio < 1.08) return false;
  const text = block.lines.join(' ');
  if (!/\p{L}.*\p{L}/su.test(text)) return false;
  if (ratio >= 1.2) return block.lines.length <= 3 && text.length <= 200;
  // LaTeX \section is only ~10% larger than body text; then it must also look like a title.
  return block.lines.length <= 2 && text.length <= 120 && !/[.,;:]$/u.test(text);
}

/**
 * Decides headings document-wide: text set noticeably larger than the body size
 * (the size carrying the most characters), levelled by size, largest first.
 */
export function toParsedPages(pages: ReadonlyArray<{ page: number; blocks: LayoutBlock[] }>): ParsedPage[] {
  const charsBySize = new Map<number, number>();
  for (const { blocks } of pages) {
    for (const block of blocks) {
      const size = roundSize(block.size);
      charsBySize.set(size, (charsBySize.get(size) ?? 0) + block.lines.reduce((sum, line) => sum + line.length, 0));
    }
  }
  let bodySize = 0;
  let bodyChars = -1;
  for (const [size, chars] of charsBySize) if (chars > bodyChars) [bodySize, bodyChars] = [size, chars];

  const headingSizes = new Set<number>();
  for (const { blocks } of pages) for (const block of blocks) if (isHeadingCandidate(block, bodySize)) headingSizes.add(roundSize(block.size));
  const levelOf = new Map([...headingSizes].sort((left, right) => right - left).map((size, index) => [size, Math.min(index + 1, 6)]));

  return pages.map(({ page, blocks }) => ({
    page,
    blocks: blocks.map((block): ParsedBlock => {
      const text = block.lines.join('\n');
      return isHeadingCandidate(block, bodySize)
        ? { kind: 'heading', text, level: levelOf.get(roundSize(block.size)) ?? 1 }
        : { kind: 'paragraph', text };
    }),
  }));
}
