import { createHash } from 'node:crypto';
import { AppError } from '../src/core/errors';
import { buildUnits, type Unit } from './chunk-units';
import type { NormalizedDocument } from './normalize';

export interface ChunkerConfig {
  targetTokens: number;
  overlapTokens: number;
  maxTokens: number;
}

/** Bump when chunk boundaries change for the same input, so builds re-chunk. */
export const CHUNKER_VERSION = 1;

export const DEFAULT_CHUNKER: ChunkerConfig = Object.freeze({ targetTokens: 400, overlapTokens: 60, maxTokens: 600 });

export interface ChunkDraft {
  ordinal: number;
  /** Always doc.text.slice(start, end). */
  text: string;
  start: number;
  end: number;
  pageStart: number | null;
  pageEnd: number | null;
  headingPath: string[];
  /** cl100k tokens, summed per sentence as packed (plus block separators); within a few tokens of countTokens(text). */
  tokenCount: number;
  /** sha256 of text, hex. */
  contentHash: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Identifies a chunker configuration (and the chunker's version); stored on index builds. */
export function chunkerConfigHash(config: ChunkerConfig): string {
  const canonical = JSON.stringify({
    version: CHUNKER_VERSION,
    targetTokens: config.targetTokens,
    overlapTokens: config.overlapTokens,
    maxTokens: config.maxTokens,
  });
  return sha256(canonical).slice(0, 16);
}

function validate(config: ChunkerConfig): void {
  const { targetTokens, overlapTokens, maxTokens } = config;
  const valid =
    Number.isInteger(targetTokens) && Number.isInteger(overlapTokens) && Number.isInteger(maxTokens) &&
    targetTokens > 0 && overlapTokens >= 0 && overlapTokens < targetTokens && maxTokens >= targetTokens;
  if (!valid) {
    throw new AppError('VALIDATION_FAILED', 'chunker config needs integers with 0 <= overlapTokens < targetTokens <= maxTokens', {
      retryable: false,
      details: { targetTokens, overlapTokens, maxTokens },
    });
  }
}

interface Pack {
  units: Unit[];
  /** How many leading units were carried over from the previous chunk as overlap. */
  carried: number;
  tokens: number;
}

const emptyPack = (): Pack => ({ units: [], carried: 0, tokens: 0 });
// The "\n\n" between two blocks is a token of its own in the chunk text.
const separatorTokens = (unit: Unit, isFirst: boolean): number => (unit.blockTokens !== undefined && !isFirst ? 1 : 0);
const freshTokens = (pack: Pack): number => pack.units.slice(pack.carried).reduce((sum, unit) => sum + unit.tokens, 0);
const hasFresh = (pack: Pack): boolean => pack.units.length > pack.carried;

/** The trailing sentences of a closed chunk, about overlapTokens long, that open the next one. */
function carryFrom(pack: Pack, overlapTokens: number): Pack {
  const carried: Unit[] = [];
  let tokens = 0;
  // Never carry the whole chunk: the next one must move forward.
  for (let index = pack.units.length - 1; index > pack.carried; index -= 1) {
    const unit = pack.units[index]!;
    if (unit.heading) break;
    const limit = carried.length === 0 ? overlapTokens * 1.5 : overlapTokens;
    if (tokens + unit.tokens > limit) break;
    carried.unshift(unit);
    tokens += unit.tokens;
  }
  const separators = carried.reduce((sum, unit, index) => sum + separatorTokens(unit, index === 0), 0);
  return { units: carried, carried: carried.length, tokens: tokens + separators };
}

/** A heading travels with what follows it, so no chunk ends on a bare heading. */
function atomEnd(units: readonly Unit[], index: number, maxTokens: number): number {
  let end = index;
  let tokens = 0;
  while (end < units.length && units[end]!.heading && (end === index || units[end]!.boundary !== 'hard')) tokens += units[end++]!.tokens;
  if (end === index) return index + 1;
  const next = units[end];
  if (next && !next.heading && next.boundary !== 'hard') tokens += units[end++]!.tokens;
  return tokens > maxTokens ? index + 1 : end;
}

class Packer {
  readonly packs: Pack[] = [];
  current: Pack = emptyPack();

  constructor(private readonly config: ChunkerConfig) {}

  close(overlap: boolean): void {
    if (!hasFresh(this.current)) {
      this.current = emptyPack();
      return;
    }
    this.packs.push(this.current);
    this.current = overlap ? carryFrom(this.current, this.config.overlapTokens) : emptyPack();
  }

  /** Ends the current chunk before `unit` where structure or size says so. */
  breakBefore(unit: Unit, atomTokens: number): void {
    const { targetTokens, maxTokens } = this.config;
    const fresh = this.current.units.slice(this.current.carried);
    // Headings with nothing under them yet (a heading straight after a heading) stay with what follows.
    const bareHeadings = fresh.length > 0 && fresh.every((member) => member.heading);
    if (!bareHeadings) {
      const halfFull = freshTokens(this.current) >= targetTokens / 2;
      if (unit.boundary === 'hard' || (unit.boundary === 'soft' && halfFull)) this.close(false);
      // Rather than split a paragraph that will not fit, start it afresh once the chunk is reasonably full.
      else if (unit.blockTokens !== undefined && halfFull && this.current.tokens + unit.blockTokens > targetTokens) this.close(true);
      if (hasFresh(this.current) && this.current.tokens + atomTokens > targetTokens) this.close(true);
    }
    if (this.current.tokens + atomTokens <= maxTokens) return;
    if (hasFresh(this.current)) this.close(false);
    else this.current = emptyPack(); // only overlap left: drop it rather than exceed maxTokens
  }

  add(units: readonly Unit[]): void {
    for (const unit of units) {
      this.current.tokens += unit.tokens + separatorTokens(unit, this.current.units.length === 0);
      this.current.units.push(unit);
    }
  }
}

function toDraft(text: string, pack: Pack, ordinal: number): ChunkDraft {
  const first = pack.units[0]!;
  const last = pack.units[pack.units.length - 1]!;
  const lead = pack.units[pack.carried] ?? first;
  const pages = pack.units.map((unit) => unit.page).filter((page): page is number => page !== null);
  const chunkText = text.slice(first.start, last.end);
  return {
    ordinal,
    text: chunkText,
    start: first.start,
    end: last.end,
    pageStart: pages.length > 0 ? Math.min(...pages) : null,
    pageEnd: pages.length > 0 ? Math.max(...pages) : null,
    headingPath: [...lead.headingPath],
    tokenCount: pack.tokens,
    contentHash: sha256(chunkText),
  };
}

/**
 * Splits a normalized document into overlapping, structure-aware chunks of about
 * targetTokens (never more than maxTokens). Deterministic; every chunk's text is
 * the slice of doc.text between its offsets, and together they cover all of its text.
 */
export function chunkDocument(doc: NormalizedDocument, config: ChunkerConfig = DEFAULT_CHUNKER): ChunkDraft[] {
  validate(config);
  const units = buildUnits(doc, config);
  const packer = new Packer(config);
  for (let index = 0; index < units.length; ) {
    const end = atomEnd(units, index, config.maxTokens);
    const atom = units.slice(index, end);
    packer.breakBefore(units[index]!, atom.reduce((sum, unit) => sum + unit.tokens, 0));
    packer.add(atom);
    index = end;
  }
  packer.close(false);
  return packer.packs.map((pack, ordinal) => toDraft(doc.text, pack, ordinal));
}
