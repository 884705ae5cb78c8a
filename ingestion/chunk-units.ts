import type { NormalizedBlock, NormalizedDocument } from './normalize';
import { sentenceSpans, wordSpans, type Span } from './sentences';
import { countTokensLinear, MAX_RUN_CHARS, runSlices } from './token-count';

/**
 * The chunker's atoms: sentences (or, for over-long sentences, word runs) with
 * their token counts, counted once each so packing stays linear.
 */
export interface Unit extends Span {
  tokens: number;
  page: number | null;
  headingPath: string[];
  heading: boolean;
  /** Set on a block's first unit: total tokens of the block, for paragraph-level packing. */
  blockTokens?: number;
  /** Set on a heading block's first unit: whether a chunk must (hard) or may (soft) end before it. */
  boundary?: 'hard' | 'soft';
}

export interface UnitLimits {
  targetTokens: number;
  maxTokens: number;
}

type Block = Pick<NormalizedBlock, 'kind' | 'level' | 'start' | 'end' | 'page' | 'headingPath'>;

/** Blocks in text order, plus any text between them that no block claims, so nothing is ever dropped. */
function coveringBlocks(doc: NormalizedDocument): Block[] {
  const sorted = [...doc.blocks].sort((left, right) => left.start - right.start);
  const blocks: Block[] = [];
  let cursor = 0;
  let previous: Block | undefined;
  for (const block of sorted) {
    if (block.start > cursor && /\S/u.test(doc.text.slice(cursor, block.start))) {
      blocks.push({ kind: 'paragraph', start: cursor, end: block.start, page: previous?.page ?? block.page, headingPath: previous?.headingPath ?? [] });
    }
    blocks.push(block);
    cursor = Math.max(cursor, block.end);
    previous = block;
  }
  if (cursor < doc.text.length && /\S/u.test(doc.text.slice(cursor))) {
    blocks.push({ kind: 'paragraph', start: cursor, end: doc.text.length, page: previous?.page ?? null, headingPath: previous?.headingPath ?? [] });
  }
  return blocks;
}

/** The deepest heading level that still splits the document into several parts: chunks never straddle it. */
function topLevel(blocks: readonly Block[]): number {
  const counts = new Map<number, number>();
  for (const block of blocks) if (block.kind === 'heading') counts.set(block.level ?? 1, (counts.get(block.level ?? 1) ?? 0) + 1);
  const levels = [...counts.keys()].sort((left, right) => left - right);
  return levels.find((level) => (counts.get(level) ?? 0) >= 2) ?? levels[0] ?? 0;
}

/**
 * Words, each counted with the space before it (before a number that space is a
 * token of its own), and runs longer than MAX_RUN_CHARS (CJK, base64) cut into
 * slices so each stays cheap to count.
 */
function countedWords(text: string, span: Span): Array<Span & { tokens: number }> {
  const words: Array<Span & { tokens: number }> = [];
  const count = (start: number, end: number): number => {
    const from = start > span.start && /\s/u.test(text[start - 1]!) ? start - 1 : start;
    return countTokensLinear(text.slice(from, end));
  };
  for (const word of wordSpans(text, span.start, span.end)) {
    if (word.end - word.start <= MAX_RUN_CHARS) {
      words.push({ ...word, tokens: count(word.start, word.end) });
      continue;
    }
    let start = word.start;
    for (const slice of runSlices(text.slice(word.start, word.end))) {
      words.push({ start, end: start + slice.length, tokens: count(start, start + slice.length) });
      start += slice.length;
    }
  }
  return words;
}

/** Over-long sentences are cut at words (or run slices) into pieces of about the target size. */
function splitLong(text: string, span: Span, limits: UnitLimits): Array<Span & { tokens: number }> {
  const pieces: Array<Span & { tokens: number }> = [];
  let current: (Span & { tokens: number }) | undefined;
  for (const word of countedWords(text, span)) {
    if (current && current.tokens + word.tokens <= limits.targetTokens) {
      current = { start: current.start, end: word.end, tokens: current.tokens + word.tokens };
    } else {
      if (current) pieces.push(current);
      current = word;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

function blockUnits(text: string, block: Block, limits: UnitLimits, top: number): Unit[] {
  const units: Unit[] = [];
  for (const sentence of sentenceSpans(text, block.start, block.end)) {
    const tokens = countTokensLinear(text.slice(sentence.start, sentence.end));
    const pieces = tokens <= limits.maxTokens ? [{ ...sentence, tokens }] : splitLong(text, sentence, limits);
    for (const piece of pieces) units.push({ ...piece, page: block.page, headingPath: block.headingPath, heading: block.kind === 'heading' });
  }
  const first = units[0];
  if (first) {
    first.blockTokens = units.reduce((sum, unit) => sum + unit.tokens, 0);
    if (block.kind === 'heading') first.boundary = (block.level ?? 1) <= top ? 'hard' : 'soft';
  }
  return units;
}

export function buildUnits(doc: NormalizedDocument, limits: UnitLimits): Unit[] {
  const blocks = coveringBlocks(doc);
  const top = topLevel(blocks);
  return blocks.flatMap((block) => blockUnits(doc.text, block, limits, top));
}
