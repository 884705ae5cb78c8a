import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { ChunkDraft, ChunkerConfig } from '../../../ingestion/chunk';
import type { NormalizedDocument } from '../../../ingestion/normalize';
import { countTokens } from '../../../src/core/tokens';

/** The chunker's contract, checked on any document: exact slices, full coverage, bounded size. */
export function expectChunkInvariants(doc: NormalizedDocument, chunks: readonly ChunkDraft[], config: ChunkerConfig): void {
  const covered = new Uint8Array(doc.text.length);
  chunks.forEach((chunk, index) => {
    expect(chunk.ordinal).toBe(index);
    expect(chunk.text).toBe(doc.text.slice(chunk.start, chunk.end));
    expect(chunk.text).toMatch(/^\S[\s\S]*\S$|^\S$/u);
    expect(chunk.contentHash).toBe(createHash('sha256').update(chunk.text).digest('hex'));
    covered.fill(1, chunk.start, chunk.end);
    if (index > 0) expect(chunk.start).toBeGreaterThan(chunks[index - 1]!.start);
    if (chunk.pageStart !== null && chunk.pageEnd !== null) expect(chunk.pageEnd).toBeGreaterThanOrEqual(chunk.pageStart);
  });
  for (let offset = 0; offset < doc.text.length; offset += 1) {
    if (covered[offset] === 0 && /\S/u.test(doc.text[offset]!)) {
      throw new Error(`non-space text at ${offset} is in no chunk: ${JSON.stringify(doc.text.slice(offset, offset + 40))}`);
    }
  }
  // Token counts are summed per sentence (long runs such as dot leaders in slices), so they are
  // estimates: within a few percent on prose, up to ~15% high on form and table debris.
  for (const chunk of chunks) {
    const exact = countTokens(chunk.text);
    expect(exact).toBeLessThanOrEqual(config.maxTokens + Math.ceil(config.maxTokens * 0.02));
    expect(Math.abs(exact - chunk.tokenCount)).toBeLessThanOrEqual(Math.max(3, Math.ceil(exact * 0.15)));
  }
}
