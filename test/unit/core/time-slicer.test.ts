import { describe, expect, it } from 'vitest';
import { TimeSlicer } from '../../../src/core/threads/time-slicer';

describe('TimeSlicer', () => {
  it('lets a timer run in the middle of a long CPU loop, and not before its slice is spent', async () => {
    const slicer = new TimeSlicer(5);
    const events: string[] = [];
    let iterations = 0;
    setTimeout(() => events.push(`timer after ${iterations}`), 0);
    const started = performance.now();
    // ~60 ms of busy work in small steps.
    while (performance.now() - started < 60) {
      const stepEnd = performance.now() + 0.05;
      while (performance.now() < stepEnd);
      iterations += 1;
      if (slicer.due()) await slicer.pause();
    }
    events.push(`loop done after ${iterations}`);
    expect(events[0]).toMatch(/^timer after \d+$/u);
    const timerAt = Number(events[0]!.split(' ').at(-1));
    expect(timerAt).toBeGreaterThan(0);
    expect(timerAt).toBeLessThan(iterations);
  });

  it('does not pause a loop that finishes within its slice', async () => {
    const slicer = new TimeSlicer(1_000);
    let pauses = 0;
    for (let index = 0; index < 10_000; index++) if (slicer.due()) pauses += 1;
    expect(pauses).toBe(0);
  });
});
