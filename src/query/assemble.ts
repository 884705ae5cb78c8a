import type { GenerationMessage, GenerationSource } from '../core/providers/ports';
import { fnv1a, fnvMix, FNV_OFFSET } from '../core/fnv1a';
import type { Prompt } from './prompts';
import { escapeText, fillUserTemplate, renderSource, systemText, tenantLine } from './prompts/render';
import type { Span } from './text-match';
import { countTextTokens } from './tokens';

/** One reranked retrieval result, best first: the input to assembly. */
export interface ContextCandidate {
  chunkId: string;
  documentId: string;
  versionId: string;
  title: string;
  page: number | null;
  pageEnd?: number | null;
  /** Headings the chunk sits under (non-paginated sources cite these instead of a page). */
  headingPath?: readonly string[];
  ordinal: number;
  /** [charStart, charEnd) in the version's normalized text; `text` is exactly that slice. */
  charStart: number;
  charEnd: number;
  text: string;
  score: number;
  /**
   * cl100k tokens of `text` as the chunker counted them (chunks.token_count).
   * When every chunk of a source has it, only the source's frame is tokenized.
   */
  tokenCount?: number;
}

export interface SourceChunkRef {
  chunkId: string;
  charStart: number;
  charEnd: number;
  page: number | null;
  pageEnd: number | null;
  headingPath?: readonly string[];
}

/** A source labelled [n]: one chunk, or adjacent chunks of one version merged. */
export interface AssembledSource extends GenerationSource {
  chunkIds: string[];
  chunks: SourceChunkRef[];
  documentId: string;
  versionId: string;
  /** Document offsets: `text` is the version's normalized text [charStart, charEnd). */
  charStart: number;
  charEnd: number;
  pageEnd: number | null;
  /** Document ranges between merged chunks that no chunk covered: spaces in `text`, never quotable. */
  gaps: Span[];
}

export type DropReason = 'duplicate_chunk' | 'empty' | 'near_duplicate' | 'max_sources' | 'budget';

export interface PackedSources {
  sources: readonly AssembledSource[];
  blocks: readonly string[];
  /** Tokens of the rendered blocks, one separator each included. */
  sourcesTokens: number;
  dropped: readonly { chunkId: string; reason: DropReason }[];
  sourceBudget: number;
  maxSources: number;
  /** True when some candidate was dropped for the budget (the pack then only holds for that budget). */
  budgetLimited: boolean;
}

export interface AssembleOptions {
  question: string;
  maxInputTokens: number;
  maxSources?: number;
  prompt: Prompt;
  cache?: ContextCache;
  /** Whose request: named at the start of the system message, so each tenant's cached prefix is its own. */
  tenantId?: string;
}

export interface AssembledContext {
  messages: GenerationMessage[];
  sources: AssembledSource[];
  /** Input tokens (cl100k, counted per part: an upper bound of the whole within a few tokens). */
  tokens: number;
  /** Chunk ids not in the context. */
  dropped: string[];
  droppedDetail: { chunkId: string; reason: DropReason }[];
  cacheHit: boolean;
}

export const DEFAULT_MAX_SOURCES = 8;
/** Adjacent chunks (ordinal i, i+1) further apart than this are not merged. */
const MAX_MERGE_GAP = 16;
const NEAR_DUPLICATE_JACCARD = 0.8;
const NEAR_DUPLICATE_CONTAINMENT = 0.9;
const SHINGLE_SIZE = 5;
/** Chat-format overhead per message (role, separators). */
const MESSAGE_OVERHEAD_TOKENS = 4;
const PROVISIONAL_LABEL = 99;

/** Key of the assembled-context cache: the exact prompt version and the ordered candidate chunk ids. */
export function contextCacheKey(promptVersion: string, orderedChunkIds: readonly string[]): string {
  return `${promptVersion}\u0000${orderedChunkIds.join('\u0001')}`;
}

/** A small LRU of packed sources. Values are shared: callers must not mutate them. */
export class ContextCache {
  private readonly entries = new Map<string, PackedSources>();

  constructor(private readonly maxEntries = 256) {}

  get(key: string): PackedSources | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: PackedSources): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

interface Group {
  rank: number;
  chunks: ContextCandidate[];
  source: AssembledSource;
  tokens: number;
  shingles: Set<number>;
}

/**
 * The text's runs of SHINGLE_SIZE words, each as a 32-bit hash of its words. Hashes rather than the joined
 * words: a string and an array per shingle were a tenth of what an answer allocated. Two sources of ~130
 * shingles each share a colliding hash with odds of about 4 in a million, which can only nudge one Jaccard.
 */
function shingles(text: string): Set<number> {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((word) => fnv1a(FNV_OFFSET, word));
  const out = new Set<number>();
  const size = Math.min(SHINGLE_SIZE, words.length);
  for (let index = 0; index + size <= words.length && words.length > 0; index++) {
    let hash = FNV_OFFSET;
    for (let offset = 0; offset < size; offset++) hash = fnvMix(hash, words[index + offset]!);
    out.add(hash);
  }
  return out;
}

function isNearDuplicate(candidate: Set<number>, selected: Set<number>): boolean {
  if (candidate.size === 0 || selected.size === 0) return false;
  let shared = 0;
  for (const shingle of candidate) if (selected.has(shingle)) shared++;
  const jaccard = shared / (candidate.size + selected.size - shared);
  return jaccard >= NEAR_DUPLICATE_JACCARD || shared / candidate.size >= NEAR_DUPLICATE_CONTAINMENT;
}

function hasExactOffsets(chunk: ContextCandidate): boolean {
  return chunk.text.length === chunk.charEnd - chunk.charStart;
}

function adjacent(group: Group, chunk: ContextCandidate): boolean {
  if (group.source.versionId !== chunk.versionId || !hasExactOffsets(chunk)) return false;
  if (!group.chunks.every(hasExactOffsets)) return false;
  return group.chunks.some((member) => {
    if (chunk.charStart <= member.charEnd && chunk.charEnd >= member.charStart) return true;
    if (Math.abs(member.ordinal - chunk.ordinal) !== 1) return false;
    const gap = Math.max(chunk.charStart - member.charEnd, member.charStart - chunk.charEnd);
    return gap <= MAX_MERGE_GAP;
  });
}

/** Rebuilds the covered text from chunk texts and offsets: overlaps written once, gaps as spaces. */
function mergeChunks(chunks: readonly ContextCandidate[]): { text: string; charStart: number; charEnd: number; gaps: Span[] } {
  const ordered = [...chunks].sort((a, b) => a.charStart - b.charStart || a.charEnd - b.charEnd);
  const charStart = ordered[0]?.charStart ?? 0;
  let cursor = charStart;
  let text = '';
  const gaps: Span[] = [];
  for (const chunk of ordered) {
    if (chunk.charStart > cursor) {
      gaps.push({ start: cursor, end: chunk.charStart });
      text += ' '.repeat(chunk.charStart - cursor);
      cursor = chunk.charStart;
    }
    if (chunk.charEnd > cursor) {
      text += chunk.text.slice(cursor - chunk.charStart);
      cursor = chunk.charEnd;
    }
  }
  return { text, charStart, charEnd: cursor, gaps };
}

function makeGroup(chunks: ContextCandidate[], rank: number, knownShingles?: Set<number>): Group {
  const first = chunks.reduce((best, chunk) => (chunk.charStart < best.charStart ? chunk : best));
  const merged = chunks.length === 1 ? { text: first.text, charStart: first.charStart, charEnd: first.charEnd, gaps: [] } : mergeChunks(chunks);
  const refs: SourceChunkRef[] = [...chunks]
    .sort((a, b) => a.charStart - b.charStart)
    .map((chunk) => ({ chunkId: chunk.chunkId, charStart: chunk.charStart, charEnd: chunk.charEnd, page: chunk.page, pageEnd: chunk.pageEnd ?? chunk.page, ...(chunk.headingPath ? { headingPath: chunk.headingPath } : {}) }));
  const pages = refs.flatMap((ref) => [ref.page, ref.pageEnd]).filter((page): page is number => page !== null);
  const source: AssembledSource = {
    n: PROVISIONAL_LABEL,
    title: first.title,
    page: pages.length > 0 ? Math.min(...pages) : null,
    pageEnd: pages.length > 0 ? Math.max(...pages) : null,
    text: merged.text,
    chunkIds: refs.map((ref) => ref.chunkId),
    chunks: refs,
    documentId: first.documentId,
    versionId: first.versionId,
    charStart: merged.charStart,
    charEnd: merged.charEnd,
    gaps: merged.gaps,
  };
  return { rank, chunks, source, tokens: sourceTokens(source, chunks) + 1, shingles: knownShingles ?? shingles(merged.text) };
}

/** Frames (label, title, pages) repeat across questions: their token counts are kept (with this and one-chunk groups reusing their shingles, assembly CPU at 11.5K chunks went from 2.7 to 1.9 ms). */
const frameTokenCounts = new Map<string, number>();
const MAX_FRAMES_COUNTED = 10_000;

function frameTokens(frame: string): number {
  let tokens = frameTokenCounts.get(frame);
  if (tokens === undefined) {
    if (frameTokenCounts.size >= MAX_FRAMES_COUNTED) frameTokenCounts.clear();
    tokens = countTextTokens(frame);
    frameTokenCounts.set(frame, tokens);
  }
  return tokens;
}

/** Per-character escapes (&amp; &lt; &gt;) cost at most this many tokens more than the raw character. */
const ESCAPE_EXTRA_TOKENS = 3;
/** Where the frame's newlines meet the text, BPE may split differently than in either alone. */
const FRAME_JOIN_SLACK = 2;

/**
 * Tokens of the rendered source block. With the chunker's counts for every chunk
 * (the usual case), only the frame (id, title, page) is tokenized, and escapes
 * and joins are bounded from above: tokenizing the text again cost about 1-2 ms
 * per chunk, the main cost of assembly. Overlapping merged chunks count their
 * overlap twice, which errs on the side of the budget.
 */
function sourceTokens(source: AssembledSource, chunks: readonly ContextCandidate[]): number {
  if (!chunks.every((chunk) => chunk.tokenCount !== undefined)) return countTextTokens(renderSource(source));
  const frame = frameTokens(renderSource({ ...source, text: '' }));
  const textTokens = chunks.reduce((sum, chunk) => sum + (chunk.tokenCount ?? 0), 0);
  let escapes = 0;
  for (let index = source.text.indexOf('&'); index >= 0; index = source.text.indexOf('&', index + 1)) escapes++;
  for (let index = source.text.indexOf('<'); index >= 0; index = source.text.indexOf('<', index + 1)) escapes++;
  for (let index = source.text.indexOf('>'); index >= 0; index = source.text.indexOf('>', index + 1)) escapes++;
  return frame + textTokens + escapes * ESCAPE_EXTRA_TOKENS + FRAME_JOIN_SLACK;
}

/**
 * Packs candidates best-first into at most `maxSources` sources whose rendered
 * blocks fit `sourceBudget` tokens: duplicate chunk ids and near-duplicates of
 * a selected source are dropped, adjacent or overlapping chunks of one version
 * merge into one source, and anything that does not fit is skipped.
 */
export function packSources(candidates: readonly ContextCandidate[], sourceBudget: number, maxSources: number): PackedSources {
  let groups: Group[] = [];
  const dropped: { chunkId: string; reason: DropReason }[] = [];
  const seen = new Set<string>();
  let total = 0;
  let budgetLimited = false;
  const drop = (chunkId: string, reason: DropReason): void => {
    dropped.push({ chunkId, reason });
    if (reason === 'budget') budgetLimited = true;
  };
  candidates.forEach((candidate, rank) => {
    if (seen.has(candidate.chunkId)) return drop(candidate.chunkId, 'duplicate_chunk');
    seen.add(candidate.chunkId);
    if (candidate.text.trim().length === 0) return drop(candidate.chunkId, 'empty');
    const touching = groups.filter((group) => adjacent(group, candidate));
    if (touching.length > 0) {
      const merged = makeGroup([...touching.flatMap((group) => group.chunks), candidate], Math.min(...touching.map((group) => group.rank)));
      const delta = merged.tokens - touching.reduce((sum, group) => sum + group.tokens, 0);
      if (total + delta > sourceBudget) return drop(candidate.chunkId, 'budget');
      groups = [...groups.filter((group) => !touching.includes(group)), merged].sort((a, b) => a.rank - b.rank);
      total += delta;
      return;
    }
    const candidateShingles = shingles(candidate.text);
    if (groups.some((group) => isNearDuplicate(candidateShingles, group.shingles))) return drop(candidate.chunkId, 'near_duplicate');
    if (groups.length >= maxSources) return drop(candidate.chunkId, 'max_sources');
    // A one-chunk group's text is the candidate's: its shingles are already computed.
    const group = makeGroup([candidate], rank, candidateShingles);
    if (total + group.tokens > sourceBudget) return drop(candidate.chunkId, 'budget');
    groups.push(group);
    total += group.tokens;
  });
  const sources = groups.map((group, index) => ({ ...group.source, n: index + 1 }));
  return { sources, blocks: sources.map(renderSource), sourcesTokens: total, dropped, sourceBudget, maxSources, budgetLimited };
}

const fixedTokenCounts = new Map<string, { system: number; template: number }>();

function fixedTokens(prompt: Prompt): { system: number; template: number } {
  let counts = fixedTokenCounts.get(prompt.version);
  if (counts === undefined) {
    const template = prompt.userTemplate.replace('{{sources}}', '').replace('{{question}}', '');
    counts = { system: countTextTokens(prompt.text), template: countTextTokens(template) };
    fixedTokenCounts.set(prompt.version, counts);
  }
  return counts;
}

function usablePack(pack: PackedSources | undefined, sourceBudget: number, maxSources: number): pack is PackedSources {
  if (pack === undefined || pack.maxSources !== maxSources) return false;
  if (pack.sourceBudget === sourceBudget) return true;
  return !pack.budgetLimited && pack.sourcesTokens <= sourceBudget;
}

/**
 * Builds the generation messages: the system message is the prompt text alone
 * (cacheable, byte-identical across requests); the user message holds the
 * sources as escaped, delimited untrusted data, then the question, then the
 * rules again. Pure apart from the optional cache.
 */
/** Input tokens of the messages without any source: tenant line, system prompt, user template, the question, message overhead. */
export function baseInputTokens(prompt: Prompt, question: string, tenantId?: string): number {
  const fixed = fixedTokens(prompt);
  const tenant = tenantId === undefined ? 0 : countTextTokens(tenantLine(tenantId));
  return tenant + fixed.system + fixed.template + countTextTokens(escapeText(question.trim())) + 2 * MESSAGE_OVERHEAD_TOKENS;
}

export function assembleContext(candidates: readonly ContextCandidate[], options: AssembleOptions): AssembledContext {
  const maxSources = options.maxSources ?? DEFAULT_MAX_SOURCES;
  const question = escapeText(options.question.trim());
  const baseTokens = baseInputTokens(options.prompt, options.question, options.tenantId);
  const sourceBudget = Math.max(0, options.maxInputTokens - baseTokens);
  const key = contextCacheKey(options.prompt.version, candidates.map((candidate) => candidate.chunkId));
  const cached = options.cache?.get(key);
  const cacheHit = usablePack(cached, sourceBudget, maxSources);
  const pack = cacheHit ? cached : packSources(candidates, sourceBudget, maxSources);
  if (!cacheHit) options.cache?.set(key, pack);
  const user = fillUserTemplate(options.prompt.userTemplate, { sources: pack.blocks.join('\n'), question });
  return {
    messages: [
      { role: 'system', content: systemText(options.prompt.text, options.tenantId), cacheable: true },
      { role: 'user', content: user },
    ],
    sources: [...pack.sources],
    tokens: baseTokens + pack.sourcesTokens,
    dropped: pack.dropped.map((entry) => entry.chunkId),
    droppedDetail: [...pack.dropped],
    cacheHit,
  };
}
