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

  it('starts inside its bounds and times each read around the statement', async () => {
    const page = new AdaptivePage({ initial: 50_000, min: 10, max: 800, targetMs: 5 });
    expect(page.size).toBe(800);
    const limits: number[] = [];
    const slowRead = async (limit: number) => {
      limits.push(limit);
      await new Promise((resolve) => setTimeout(resolve, 25));
      return Array.from({ length: limit }, (_, index) => index);
    };
    const first = await page.read(slowRead);
    expect(first).toMatchObject({ limit: 800 });
    expect(first.rows).toHaveLength(800);
    await page.read(slowRead);
    expect(limits).toEqual([800, 400]);
    expect(page.size).toBe(200);
  });
});
