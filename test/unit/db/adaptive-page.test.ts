import { describe, expect, it } from 'vitest';
import { AdaptivePage } from '../../../src/core/db/adaptive-page';

describe('AdaptivePage', () => {
  it('halves after a slow page and doubles after a quick one, within its bounds', () => {
    const page = new AdaptivePage({ initial: 1_000, min: 100, max: 4_000, targetMs: 10 });
    expect(page.size).toBe(1_000);
    page.record(40);
    expect(page.size).toBe(500);
    page.record(12); // within the band around the target: kept
    expect(page.size).toBe(500);
    page.record(2);
    expect(page.size).toBe(1_000);
    for (let index = 0; index < 10; index++) page.record(1_000);
    expect(page.size).toBe(100);
    for (let index = 0; index < 10; index++) page.record(0);
    expect(page.size).toBe(4_000);
  });

  it('starts inside its bounds, reads keyset pages until a short one, and steers each by its statement time', async () => {
    const page = new AdaptivePage({ initial: 50_000, min: 10, max: 800, targetMs: 5 });
    expect(page.size).toBe(800);
    const table = Array.from({ length: 1_450 }, (_, index) => index);
    const calls: { limit: number; after: number | undefined }[] = [];
    const slowRead = async (limit: number, after: number | undefined) => {
      calls.push({ limit, after });
      await new Promise((resolve) => setTimeout(resolve, 25));
      const from = after === undefined ? 0 : after + 1;
      return table.slice(from, from + limit);
    };
    const read: number[] = [];
    for await (const rows of page.pages(slowRead, (last) => last)) read.push(...rows);
    expect(read).toEqual(table);
    // 800, then halved after each slow page: 400, 200, 100 (the last, short, ends the read).
    expect(calls).toEqual([
      { limit: 800, after: undefined },
      { limit: 400, after: 799 },
      { limit: 200, after: 1_199 },
      { limit: 100, after: 1_399 },
    ]);
  });

  it('ends on an empty page without yielding it', async () => {
    const page = new AdaptivePage({ initial: 2, min: 1, max: 2 });
    const pages: number[][] = [];
    for await (const rows of page.pages(async (limit, after: number | undefined) => [0, 1, 2, 3].slice(after === undefined ? 0 : after + 1).slice(0, limit), (last) => last)) pages.push(rows);
    expect(pages).toEqual([[0, 1], [2, 3]]);
  });
  it('gives the event loop a turn between pages, even when every page is answered in microtasks (PGlite on the main thread)', async () => {
    const page = new AdaptivePage({ initial: 2, min: 2, max: 2 });
    const events: string[] = [];
    // A macrotask queued before the read: with pages chained in microtasks it would run only after the last one.
    setImmediate(() => events.push('event loop turn'));
    const microtaskRead = (limit: number, after: number | undefined) => {
      events.push(`page after ${after ?? 'start'}`);
      return Promise.resolve([0, 1, 2, 3, 4, 5].slice(after === undefined ? 0 : after + 1).slice(0, limit));
    };
    for await (const rows of page.pages(microtaskRead, (last) => last)) expect(rows.length).toBeGreaterThan(0);
    expect(events).toEqual(['page after start', 'event loop turn', 'page after 1', 'page after 3', 'page after 5']);
  });
});
