import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Cooperative time slicing for CPU loops that must stay on the event loop (they feed a database transaction or
 * a COPY there): the loop asks `due()` as often as it likes (a clock read every 8 calls: a chunk's analysis takes ~0.3 ms, a posting row ~1 µs) and, when its slice is
 * spent, awaits `pause()`, which lets timers, I/O and other requests run before it continues. The whole loop
 * then costs the same CPU, but nothing else waits for more than one slice of it.
 */
export class TimeSlicer {
  private sliceStart = performance.now();
  private calls = 0;

  /** @param sliceMs the longest the loop runs between two pauses. */
  constructor(private readonly sliceMs = 8) {}

  due(): boolean {
    if (++this.calls % 8 !== 0) return false;
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  async pause(): Promise<void> {
    await nextTurn();
    this.sliceStart = performance.now();
  }
}
