import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkDocument, DEFAULT_CHUNKER } from '../../../ingestion/chunk';
import { normalizeDocument } from '../../../ingestion/normalize';
import type { ParsedDocument } from '../../../ingestion/parse/types';
import { WorkerTextStages } from '../../../ingestion/text-stages';
import { AppError } from '../../../src/core/errors';
import { threadsNamed } from '../../helpers/thread-scheduling';

/** A paginated document with running headers, headings and hyphenated line ends: what normalization works on. */
function book(pages: number): ParsedDocument {
  return {
    mime: 'application/pdf',
    pageCount: pages,
    pages: Array.from({ length: pages }, (_unused, index) => ({
      page: index + 1,
      blocks: [
        { kind: 'paragraph' as const, text: 'Router Manual — Chapter overview' },
        ...(index % 5 === 0 ? [{ kind: 'heading' as const, text: `Chapter ${index / 5 + 1}`, level: 1 }] : []),
        {
          kind: 'paragraph' as const,
          text: Array.from({ length: 12 }, (_line, line) => `Line ${line} of page ${index + 1}: the device restarts when the re-\nset button is held for ${line + 2} seconds.`).join('\n'),
        },
        { kind: 'paragraph' as const, text: String(index + 1) },
      ],
    })),
    attachments: [{ fileName: 'a.bin', mime: 'application/octet-stream', content: new Uint8Array(16) }],
  };
}

/** Nice value of this process's threads named `name` (Linux /proc). */
const nicenessOf = (name: string): number[] => threadsNamed(name).map((thread) => thread.nice);

describe('WorkerTextStages (normalization and chunking off the event loop)', () => {
  const stages = new WorkerTextStages({ minChars: 10_000 });
  afterAll(() => stages.close());

  it('gives exactly what the inline stages give, for a document large enough to go to the worker', async () => {
    const parsed = book(60);
    const normalized = await stages.normalize(parsed);
    expect(stages.offloaded).toBe(1);
    expect(normalized).toEqual(normalizeDocument(parsed));
    const drafts = await stages.chunk(normalized, DEFAULT_CHUNKER);
    expect(stages.offloaded).toBe(2);
    expect(drafts).toEqual(chunkDocument(normalized, DEFAULT_CHUNKER));
    expect(drafts.length).toBeGreaterThan(5);
  });

  it('runs small documents inline', async () => {
    const before = stages.offloaded;
    const parsed = book(2);
    expect(await stages.normalize(parsed)).toEqual(normalizeDocument(parsed));
    expect(stages.offloaded).toBe(before);
  });

  it("passes a stage's AppError back with its code and retryability", async () => {
    const normalized = await stages.normalize(book(60));
    const error = await stages.chunk(normalized, { targetTokens: 100, overlapTokens: 100, maxTokens: 200 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    let inline: unknown;
    try {
      chunkDocument(normalized, { targetTokens: 100, overlapTokens: 100, maxTokens: 200 });
    } catch (caught) {
      inline = caught;
    }
    expect((error as AppError).code).toBe((inline as AppError).code);
    expect((error as AppError).isRetryable).toBe((inline as AppError).isRetryable);
    expect((error as AppError).message).toBe((inline as AppError).message);
  });

  it.runIf(process.platform === 'linux')('runs at background priority (nice 10), on its own named thread', async () => {
    await stages.normalize(book(60));
    // The worker and the thread tsx's loader starts from it (which inherits its name and priority).
    const niceness = nicenessOf('attest-text');
    expect(niceness.length).toBeGreaterThan(0);
    expect(niceness.every((nice) => nice === 10)).toBe(true);
    // The calling thread keeps its priority.
    expect(nicenessOf(readFileSync('/proc/thread-self/comm', 'utf8').trim()).every((nice) => nice === 0)).toBe(true);
  });

  it('fails calls with a retryable error when the worker dies, and starts a new one for the next call', async () => {
    const small = new WorkerTextStages({ minChars: 0, maxMemoryMb: 48 });
    try {
      // Far more text than a 48 MB heap holds: the worker dies of it.
      const huge: ParsedDocument = { mime: 'text/plain', pageCount: null, pages: [{ page: null, blocks: Array.from({ length: 400 }, (_unused, index) => ({ kind: 'paragraph' as const, text: `block ${index} `.repeat(20_000) })) }] };
      const error = await small.normalize(huge).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).isRetryable).toBe(true);
      const parsed = book(3);
      expect(await small.normalize(parsed)).toEqual(normalizeDocument(parsed));
    } finally {
      await small.close();
    }
  }, 60_000);
});
