import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../../src/api/limits/adaptive-limit';

/** Admits until refused, as a burst of arrivals would; returns how many got in. */
function fill(limit: AdaptiveLimit, inFlight: number): number {
  let admitted = 0;
  while (limit.admit(inFlight + admitted)) admitted++;
  return admitted;
}

/** `count` answers admitted at `admittedAt` finishing at `now` with this overhead each. */
function finish(limit: AdaptiveLimit, count: number, admittedAt: number, now: number, overheadMs: number): void {
  for (let i = 0; i < count; i++) limit.record(admittedAt, overheadMs, now);
}

describe('AdaptiveLimit', () => {
  it('admits up to the limit and refuses beyond it', () => {
    const limit = new AdaptiveLimit({ max: 10, min: 2, initial: 10, targetMs: 50 });
    expect(fill(limit, 0)).toBe(10);
    expect(limit.admit(10)).toBe(false);
    expect(limit.admit(9)).toBe(true);
  });

  it('cuts the limit by a quarter when a window median is over the target, down to the floor and no further', () => {
    const limit = new AdaptiveLimit({ max: 64, min: 8, initial: 64, targetMs: 50 });
    let now = 0;
    const seen: number[] = [];
    for (let round = 0; round < 12; round++) {
      // Each round's answers were admitted after the previous cut, and all ran slow.
      const admittedAt = now + 1;
      now += 1_000;
      finish(limit, 10, admittedAt, now, 200);
      seen.push(limit.limit);
    }
    expect(seen.slice(0, 4)).toEqual([48, 36, 27, 20]);
    expect(seen.at(-1)).toBe(8);
    expect(limit.state().cuts).toBe(7);
  });

  it('does not cut twice for answers admitted before the last cut (they queued behind the old limit)', () => {
    const limit = new AdaptiveLimit({ max: 64, min: 8, initial: 64, targetMs: 50 });
    finish(limit, 10, 0, 1_000, 500);
    expect(limit.limit).toBe(48);
    // More slow answers from the same early burst, windows later: no further cut.
    finish(limit, 10, 0, 1_300, 500);
    finish(limit, 10, 0, 1_600, 500);
    expect(limit.limit).toBe(48);
    // Answers admitted under the new limit that are still slow do cut it again.
    finish(limit, 10, 1_100, 2_100, 500);
    expect(limit.limit).toBe(36);
  });

  it('judges a window by its median: a few slow answers among fast ones do not cut it', () => {
    const limit = new AdaptiveLimit({ max: 20, min: 4, initial: 20, targetMs: 50 });
    finish(limit, 14, 0, 100, 10);
    finish(limit, 6, 0, 300, 900);
    expect(limit.limit).toBe(20);
    // Most of the next window slow: its median is over the target.
    finish(limit, 11, 300, 400, 80);
    finish(limit, 9, 300, 600, 10);
    expect(limit.limit).toBe(15);
  });

  it('grows by a tenth (at least one) per window while answers meet the target and the limit was reached, never above max', () => {
    const limit = new AdaptiveLimit({ max: 12, min: 4, initial: 12, targetMs: 50 });
    finish(limit, 10, 0, 1_000, 500);
    finish(limit, 10, 1_001, 2_000, 500);
    expect(limit.limit).toBe(6);
    let now = 2_000;
    // Fast answers but nobody waiting at the limit: no reason to grow.
    for (let i = 0; i < 3; i++) finish(limit, 10, now, (now += 300), 5);
    expect(limit.limit).toBe(6);
    for (let i = 0; i < 10; i++) {
      expect(fill(limit, 0)).toBe(limit.limit);
      finish(limit, 10, now, (now += 300), 40);
    }
    expect(limit.limit).toBe(12);
    expect(limit.state().raises).toBeGreaterThanOrEqual(4);
  });

  it('waits for a full window with enough answers before judging', () => {
    const limit = new AdaptiveLimit({ max: 16, min: 4, initial: 16, targetMs: 50, windowMs: 250, minSamples: 5 });
    // A full window, but too few answers to judge.
    const quiet = new AdaptiveLimit({ max: 16, min: 4, initial: 16, targetMs: 50, windowMs: 250, minSamples: 5 });
    finish(quiet, 4, 0, 900, 500);
    expect(quiet.limit).toBe(16);
    finish(quiet, 1, 0, 900, 500);
    expect(quiet.limit).toBe(12);
    // Enough answers, but less than a window since the first was admitted.
    finish(limit, 3, 1_000, 1_100, 500);
    finish(limit, 5, 1_000, 1_200, 500);
    expect(limit.limit).toBe(16);
    finish(limit, 1, 1_000, 1_300, 500);
    expect(limit.limit).toBe(12);
  });

  it('with an unreachable target (off) it is a fixed cap', () => {
    const limit = new AdaptiveLimit({ max: 5, min: 5, initial: 5, targetMs: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 5; i++) finish(limit, 10, i * 1_000, i * 1_000 + 900, 10_000);
    expect(limit.limit).toBe(5);
    expect(fill(limit, 0)).toBe(5);
  });

  it('from a low start, doubles per good window until the first cut, then grows by a tenth', () => {
    const limit = new AdaptiveLimit({ max: 64, min: 4, initial: 4, targetMs: 50 });
    expect(limit.limit).toBe(4);
    let now = 0;
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      fill(limit, 0);
      finish(limit, 10, now, (now += 300), 5);
      seen.push(limit.limit);
    }
    expect(seen).toEqual([8, 16, 32, 64, 64]);
    // (The window that ends first still holds fast answers from before.)
    finish(limit, 10, now, (now += 300), 500);
    finish(limit, 10, now, (now += 300), 500);
    expect(limit.limit).toBe(48);
    // Near the target (40 of 50 ms): up by a tenth.
    fill(limit, 0);
    finish(limit, 10, now, (now += 300), 40);
    finish(limit, 10, now, (now += 300), 40);
    expect(limit.limit).toBe(53);
    // Well under it (5 ms; the first window still holds answers from before): up by half, to the ceiling.
    for (let i = 0; i < 2; i++) {
      fill(limit, 0);
      finish(limit, 10, now, (now += 300), 5);
      finish(limit, 10, now, (now += 300), 5);
    }
    expect(limit.limit).toBe(64);
  });

  it('below its ceiling and above its floor, paces admissions at limit / mean answer duration, with a burst of an eighth of the limit', () => {
    const limit = new AdaptiveLimit({ max: 64, min: 4, targetMs: 50 });
    // At the ceiling, and without a measured duration, nothing is paced.
    expect(fill(limit, 0)).toBe(64);
    // Answers take 1 s and run slow: the limit is cut to 48, 36, 27, 20 and 15.
    for (let i = 0; i < 5; i++) finish(limit, 5, i * 1_000, (i + 1) * 1_000, 500);
    expect(limit.limit).toBe(15);
    // With 4 in flight (the floor): 15 per second may start.
    let admitted = 0;
    for (let t = 6_000; t < 7_000; t += 1) if (limit.admit(4, t)) admitted++;
    expect(admitted).toBeGreaterThanOrEqual(14);
    expect(admitted).toBeLessThanOrEqual(17);
    // A burst of arrivals at one instant gets the floor and then the burst (2), not the limit.
    let burst = 0;
    for (let i = 0; i < 15; i++) if (limit.admit(burst, 9_000)) burst++;
    expect(burst).toBe(4 + 2);
  });

  it('an idle process at its ceiling takes a burst up to the ceiling at once, duration known or not', () => {
    const limit = new AdaptiveLimit({ max: 32, min: 4, targetMs: 50 });
    finish(limit, 5, 0, 1_000, 5);
    let burst = 0;
    for (let i = 0; i < 40; i++) if (limit.admit(burst, 2_000)) burst++;
    expect(burst).toBe(32);
  });

  it('never refuses below its floor, paced or not', () => {
    const limit = new AdaptiveLimit({ max: 64, min: 8, targetMs: 50 });
    for (let i = 0; i < 10; i++) finish(limit, 5, i * 1_000, (i + 1) * 1_000, 500);
    expect(limit.limit).toBe(8);
    // Eight arrivals at one instant on an idle process: all in, though the pacing burst is 2.
    let admitted = 0;
    for (let i = 0; i < 8; i++) if (limit.admit(admitted, 20_000)) admitted++;
    expect(admitted).toBe(8);
    expect(limit.admit(8, 20_000)).toBe(false);
  });

  it('refuses a floor above the ceiling', () => {
    expect(() => new AdaptiveLimit({ max: 4, min: 8, initial: 4, targetMs: 50 })).toThrow(RangeError);
  });
});
