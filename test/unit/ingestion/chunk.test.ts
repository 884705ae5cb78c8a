import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkDocument, chunkerConfigHash, DEFAULT_CHUNKER, type ChunkerConfig } from '../../../ingestion/chunk';
import { normalizeDocument, type NormalizedDocument } from '../../../ingestion/normalize';
import { parseDocument, type ParsedBlock, type ParsedDocument } from '../../../ingestion/parse';
import { AppError } from '../../../src/core/errors';
import { countTokens } from '../../../src/core/tokens';
import { expectChunkInvariants } from './chunk-invariants';

const paragraph = (text: string): ParsedBlock => ({ kind: 'paragraph', text });
const heading = (text: string, level: number): ParsedBlock => ({ kind: 'heading', text, level });

/** Deterministic prose: numbered sentences, so every sentence is distinct. */
function prose(seed: string, sentences: number): string {
  return Array.from({ length: sentences }, (_, index) => `The ${seed} clause number ${index + 1} says that customers may ask for help on any working day.`).join(' ');
}

function doc(blocks: ParsedBlock[]): NormalizedDocument {
  return normalizeDocument({ mime: 'text/markdown', pageCount: null, pages: [{ page: null, blocks }] });
}

const SMALL: ChunkerConfig = { targetTokens: 120, overlapTokens: 30, maxTokens: 180 };

describe('chunkerConfigHash', () => {
  it('is 16 hex characters, stable, and changes with any setting', () => {
    const hash = chunkerConfigHash(DEFAULT_CHUNKER);
    expect(hash).toMatch(/^[0-9a-f]{16}$/u);
    expect(chunkerConfigHash({ maxTokens: 600, overlapTokens: 60, targetTokens: 400 })).toBe(hash);
    expect(chunkerConfigHash({ ...DEFAULT_CHUNKER, overlapTokens: 61 })).not.toBe(hash);
    expect(chunkerConfigHash({ ...DEFAULT_CHUNKER, extra: true } as ChunkerConfig)).toBe(hash);
    expect(DEFAULT_CHUNKER).toEqual({ targetTokens: 400, overlapTokens: 60, maxTokens: 600 });
  });
});

describe('chunkDocument', () => {
  it('rejects impossible configs', () => {
    expect(() => chunkDocument(doc([paragraph('x')]), { targetTokens: 100, overlapTokens: 100, maxTokens: 200 })).toThrow(AppError);
    expect(() => chunkDocument(doc([paragraph('x')]), { targetTokens: 100, overlapTokens: 10, maxTokens: 50 })).toThrow(AppError);
  });

  it('returns no chunks for an empty document', () => {
    expect(chunkDocument(doc([]))).toEqual([]);
  });

  it('puts a short section, heading included, in one chunk with its heading path', () => {
    const normalized = doc([heading('Refunds', 1), paragraph('Refunds take five days.'), paragraph('Cards only.')]);
    const chunks = chunkDocument(normalized);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ ordinal: 0, text: 'Refunds\n\nRefunds take five days.\n\nCards only.', start: 0, headingPath: ['Refunds'], pageStart: null, pageEnd: null });
    expectChunkInvariants(normalized, chunks, DEFAULT_CHUNKER);
  });

  it('never crosses a top-level heading, and starts each section with its heading', () => {
    const normalized = doc([
      heading('Alpha', 1), paragraph(prose('alpha', 3)),
      heading('Beta', 1), paragraph(prose('beta', 2)), heading('Beta details', 2), paragraph(prose('beta detail', 2)),
      heading('Gamma', 1), paragraph(prose('gamma', 20)),
    ]);
    const chunks = chunkDocument(normalized, SMALL);
    expectChunkInvariants(normalized, chunks, SMALL);
    const sections = ['Alpha', 'Beta', 'Gamma'].map((name) => normalized.text.indexOf(`${name}\n\n`));
    for (const chunk of chunks) {
      const crossed = sections.filter((start) => start > chunk.start && start < chunk.end);
      expect(crossed).toEqual([]);
    }
    for (const name of ['Alpha', 'Beta', 'Gamma']) expect(chunks.some((chunk) => chunk.text.startsWith(`${name}\n\n`))).toBe(true);
    expect(chunks.find((chunk) => chunk.text.startsWith('Gamma'))!.headingPath).toEqual(['Gamma']);
    expect(chunks.at(-1)!.headingPath).toEqual(['Gamma']);
    // No chunk ends on a bare heading.
    for (const chunk of chunks) expect(/\n\n(?:Alpha|Beta|Beta details|Gamma)$/u.test(chunk.text)).toBe(false);
  });

  it('keeps a heading that is directly followed by another heading with the next section', () => {
    const normalized = doc([heading('Part one', 1), heading('Alpha', 1), paragraph(prose('alpha', 2)), heading('Beta', 1), paragraph(prose('beta', 2))]);
    const chunks = chunkDocument(normalized, SMALL);
    expectChunkInvariants(normalized, chunks, SMALL);
    expect(chunks.map((chunk) => chunk.text.split('\n\n')[0])).toEqual(['Part one', 'Beta']);
    expect(chunks[0]!.text.startsWith('Part one\n\nAlpha\n\nThe alpha clause')).toBe(true);
  });

  it('packs to the target, splits long paragraphs at sentences, and overlaps by whole trailing sentences', () => {
    const normalized = doc([heading('Terms', 1), paragraph(prose('long', 40))]);
    const chunks = chunkDocument(normalized, SMALL);
    expectChunkInvariants(normalized, chunks, SMALL);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(SMALL.targetTokens);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.tokenCount).toBeGreaterThan(SMALL.targetTokens / 2);
    for (let index = 1; index < chunks.length; index += 1) {
      const previous = chunks[index - 1]!;
      const chunk = chunks[index]!;
      expect(chunk.start).toBeLessThan(previous.end);
      const overlap = normalized.text.slice(chunk.start, previous.end);
      expect(overlap).toMatch(/^The long clause number \d+/u);
      expect(overlap).toMatch(/\.$/u);
      expect(countTokens(overlap)).toBeLessThanOrEqual(SMALL.overlapTokens * 1.5);
    }
  });

  it('splits sentences longer than maxTokens at words, and endless words at characters', () => {
    const runOn = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
    const blob = 'x7Qz'.repeat(1500);
    const cjk = '日本語の長い文章'.repeat(300);
    const normalized = doc([paragraph(runOn), paragraph(blob), paragraph(cjk)]);
    const chunks = chunkDocument(normalized, SMALL);
    expectChunkInvariants(normalized, chunks, SMALL);
    for (const chunk of chunks) expect(countTokens(chunk.text)).toBeLessThanOrEqual(SMALL.maxTokens);
  });

  it('keeps page ranges of the blocks a chunk spans', () => {
    const parsed: ParsedDocument = {
      mime: 'application/pdf',
      pageCount: 3,
      pages: [1, 2, 3].map((page) => ({ page, blocks: [paragraph(prose(`page${page}`, 4))] })),
    };
    const normalized = normalizeDocument(parsed);
    const chunks = chunkDocument(normalized, SMALL);
    expectChunkInvariants(normalized, chunks, SMALL);
    const pageAt = (offset: number): number | null => normalized.blocks.find((block) => block.start <= offset && offset < block.end)!.page;
    for (const chunk of chunks) {
      expect(chunk.pageStart).toBe(pageAt(chunk.start));
      expect(chunk.pageEnd).toBe(pageAt(chunk.end - 1));
    }
    expect(chunks[0]!.pageStart).toBe(1);
    expect(chunks.at(-1)!.pageEnd).toBe(3);
  });

  it('is deterministic', () => {
    const normalized = doc([heading('A', 1), paragraph(prose('a', 30)), heading('B', 2), paragraph(prose('b', 10))]);
    expect(chunkDocument(normalized, SMALL)).toEqual(chunkDocument(structuredClone(normalized), SMALL));
  });

  it('covers text that no block claims (e.g. a document restored from storage)', () => {
    const normalized: NormalizedDocument = {
      text: 'Claimed block.\n\nUnclaimed tail text.',
      pages: [{ page: null, start: 0, end: 36 }],
      blocks: [{ kind: 'paragraph', start: 0, end: 14, page: null, headingPath: [] }],
    };
    const chunks = chunkDocument(normalized);
    expectChunkInvariants(normalized, chunks, DEFAULT_CHUNKER);
  });

  it('chunks a parsed Markdown handbook by section, with heading paths', async () => {
    const source = ['# Handbook', '', 'Welcome text.', '', '## Refunds', '', prose('refund', 12), '', '## Shipping', '', prose('shipping', 12), ''].join('\n');
    const normalized = normalizeDocument(await parseDocument(new TextEncoder().encode(source), 'text/markdown'));
    const chunks = chunkDocument(normalized, SMALL);
    expectChunkInvariants(normalized, chunks, SMALL);
    expect(chunks[0]!.text.startsWith('Handbook\n\nWelcome text.')).toBe(true);
    const shipping = chunks.find((chunk) => chunk.text.startsWith('Shipping\n\n'));
    expect(shipping?.headingPath).toEqual(['Handbook', 'Shipping']);
    expect(chunks.filter((chunk) => chunk.text.includes('Refunds') && chunk.text.includes('Shipping'))).toEqual([]);
  });

  it.each(['born-digital/tracemonkey.pdf', 'born-digital/menhir-manual.pdf'])('holds its invariants on a real PDF: %s', async (file) => {
    const bytes = new Uint8Array(readFileSync(resolve(process.cwd(), '../shared/datasets/pdfs', file)));
    const normalized = normalizeDocument(await parseDocument(bytes, 'application/pdf'));
    const chunks = chunkDocument(normalized);
    expectChunkInvariants(normalized, chunks, DEFAULT_CHUNKER);
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.every((chunk) => chunk.pageStart !== null && chunk.pageEnd !== null)).toBe(true);
    expect(chunks.some((chunk) => chunk.headingPath.length > 0)).toBe(true);
  });
});
