import { splitSentences, type Span } from './text-match';

/**
 * What an extractive answer can quote, cut from a source's text: sentences of prose, a list with its
 * lead-in kept whole (steps are not answers one at a time), a table whole, and never a heading (a heading is
 * kept as context for the units under it). Normalized text separates blocks by a blank line and keeps no
 * markup, so headings, lists and tables are recognised by their shape. Pure.
 */
export interface PassageUnit {
  /** [start, end) in the source text: the quote is exactly that slice. */
  span: Span;
  kind: 'sentence' | 'list' | 'table';
  /** Index of the block the unit starts in (sentences of one block are neighbours). */
  block: number;
  /** The closest heading above the unit in this source, if any. */
  heading: string | null;
}

interface Block {
  span: Span;
  text: string;
}

/**
 * A blank line, or a run of spaces: the assembler fills the uncovered text between two merged chunks with
 * spaces (normalized text never has two in a row), and what lies across it cannot be quoted.
 */
const BLOCK_BREAK = /\n[ \t]*\n| {2,}/gu;
/** A heading: a short line without sentence punctuation at its end. */
const MAX_HEADING_WORDS = 14;
/** A list item: a short block (its marker was dropped by normalization). */
const MAX_ITEM_WORDS = 30;
const TERMINAL = /[.!?:;,)"'”’]$/u;

function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let start = 0;
  const push = (end: number) => {
    let from = start;
    let to = end;
    while (from < to && /\s/u.test(text[from] ?? '')) from++;
    while (to > from && /\s/u.test(text[to - 1] ?? '')) to--;
    if (to > from) blocks.push({ span: { start: from, end: to }, text: text.slice(from, to) });
  };
  for (const match of text.matchAll(BLOCK_BREAK)) {
    push(match.index);
    start = match.index + match[0].length;
  }
  push(text.length);
  return blocks;
}

const words = (text: string) => text.split(/\s+/u).filter(Boolean).length;

/** An FAQ's question heading ("My LEDs don't get as bright as they should!"): it asks, the block after it answers. */
const MAX_QUESTION_HEADING_WORDS = 20;

export function isHeading(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.includes('\n') || trimmed.startsWith('|') || !/\p{L}/u.test(trimmed)) return false;
  if (/[?!]["'”’)]*$/u.test(trimmed)) return words(trimmed) <= MAX_QUESTION_HEADING_WORDS;
  return words(trimmed) <= MAX_HEADING_WORDS && !TERMINAL.test(trimmed);
}

const isTable = (text: string) => /^\|.*\|$/su.test(text.trim());
const isLeadIn = (text: string) => /:\s*$/u.test(text);
const isItem = (text: string) => words(text) <= MAX_ITEM_WORDS && !isTable(text);

export function passageUnits(text: string): PassageUnit[] {
  const blocks = blocksOf(text);
  const units: PassageUnit[] = [];
  let heading: string | null = null;
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index]!;
    const next = blocks[index + 1];
    // A heading names what follows (and may end a chunk whose section was cut off): context, never an answer.
    if (isHeading(block.text)) {
      heading = block.text;
      continue;
    }
    if (isTable(block.text)) {
      // Normalization puts a table on one line; its rows meet at "| |". Each row is a unit, kept whole.
      for (const row of tableRows(block.text)) {
        units.push({ span: { start: block.span.start + row.start, end: block.span.start + row.end }, kind: 'table', block: index, heading });
      }
      continue;
    }
    if (isLeadIn(block.text) && next !== undefined && isItem(next.text) && !isHeading(next.text)) {
      // The lead-in and its items, as far as items go: one unit, one quote.
      let last = index + 1;
      while (last + 1 < blocks.length && isItem(blocks[last + 1]!.text) && !isHeading(blocks[last + 1]!.text) && !isLeadIn(blocks[last]!.text)) last++;
      units.push({ span: { start: block.span.start, end: blocks[last]!.span.end }, kind: 'list', block: index, heading });
      index = last;
      continue;
    }
    for (const sentence of splitSentences(block.text)) {
      // A heading run into a block (across a one-character gap) or a fragment cut at a chunk's end: not quotable as an answer.
      if (isHeading(block.text.slice(sentence.start, sentence.end))) continue;
      units.push({ span: { start: block.span.start + sentence.start, end: block.span.start + sentence.end }, kind: 'sentence', block: index, heading });
    }
  }
  return units;
}

/** The rows of a one-line table (the header's separator row left out): each from its "|" to its "|". */
function tableRows(text: string): Span[] {
  const rows: Span[] = [];
  let start = 0;
  const push = (end: number) => {
    const row = text.slice(start, end).trim();
    if (row.length > 0 && !/^\|[\s|:-]*\|$/u.test(row)) rows.push({ start: start + text.slice(start, end).indexOf(row), end: start + text.slice(start, end).indexOf(row) + row.length });
  };
  for (const match of text.matchAll(/\|\s+(?=\|)/gu)) {
    push(match.index + 1);
    start = match.index + match[0].length;
  }
  push(text.length);
  return rows;
}
