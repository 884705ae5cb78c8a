import { afterEach, describe, expect, it, vi } from 'vitest';
import { WriteBatcher } from '../../../src/core/write-batcher';

/** A store outage as node-postgres reports it (a refused socket). */
const unavailable = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

function recorder(options: { delayMs?: number; maxBatch?: number; maxPending?: number; fail?: () => Error | undefined } = {}) {
  const batches: number[][] = [];
  const errors: { dropped: number }[] = [];
  const batcher = new WriteBatcher<number>({
    write: async (items) => {
      const failure = options.fail?.();
      if (failure) throw failure;
      batches.push([...items]);
    },
    delayMs: options.delayMs ?? 50,
    maxBatch: options.maxBatch ?? 100,
    maxPending: options.maxPending ?? 1_000,
    retryDelayMs: 1_000,
    onError: (_error, dropped) => errors.push({ dropped }),
  });
  return { batcher, batches, errors };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('WriteBatcher', () => {
  it('writes the records added within the delay as one batch, in order, and nothing before the delay', async () => {
    vi.useFakeTimers();
    const { batcher, batches } = recorder({ delayMs: 50 });
    for (const value of [1, 2, 3]) batcher.add(value);
    await vi.advanceTimersByTimeAsync(49);
    expect(batches).toEqual([]);
    expect(batcher.items()).toEqual([1, 2, 3]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(batcher.items()).toEqual([]);
  });

  it('writes a full batch at once and splits what is pending into batches of maxBatch', async () => {
    vi.useFakeTimers();
    const { batcher, batches } = recorder({ delayMs: 10_000, maxBatch: 2 });
    for (const value of [1, 2, 3, 4, 5]) batcher.add(value);
    await vi.advanceTimersByTimeAsync(0);
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5]);
    expect(batches.every((batch) => batch.length <= 2)).toBe(true);
  });

  it('flush writes at once and waits for a batch already being written', async () => {
    let release: () => void = () => undefined;
    const written: number[][] = [];
    const batcher = new WriteBatcher<number>({
      write: async (items) => {
        await new Promise<void>((resolve) => (release = resolve));
        written.push(items);
      },
      delayMs: 0,
      maxBatch: 100,
      maxPending: 100,
      retryDelayMs: 1_000,
    });
    batcher.add(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The timer's drain holds [1] in its write; a flush must not return before it lands.
    let flushed = false;
    const flushing = batcher.flush().then(() => (flushed = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(flushed).toBe(false);
    release();
    await flushing;
    expect(written).toEqual([[1]]);
  });

  it('keeps a batch while the store is unavailable and writes it, before newer records, once it is back', async () => {
    vi.useFakeTimers();
    let down = true;
    const { batcher, batches, errors } = recorder({ delayMs: 10, fail: () => (down ? unavailable() : undefined) });
    batcher.add(1);
    batcher.add(2);
    await vi.advanceTimersByTimeAsync(10);
    expect(errors).toEqual([{ dropped: 0 }]);
    expect(batcher.items()).toEqual([1, 2]);
    batcher.add(3);
    down = false;
    // A record added during the outage does not bring the retry forward (no write every delayMs while down).
    await vi.advanceTimersByTimeAsync(500);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(batches.flat()).toEqual([1, 2, 3]);
    expect(batcher.dropped).toBe(0);
  });

  it('drops the oldest records past maxPending while the store stays down, and counts them', async () => {
    vi.useFakeTimers();
    const { batcher, errors } = recorder({ delayMs: 10, maxPending: 3, fail: () => unavailable() });
    for (const value of [1, 2, 3, 4, 5]) batcher.add(value);
    expect(batcher.items()).toEqual([3, 4, 5]);
    expect(batcher.dropped).toBe(2);
    await vi.advanceTimersByTimeAsync(10);
    expect(errors.at(-1)).toEqual({ dropped: 0 });
    await expect(batcher.flush()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(batcher.items()).toEqual([3, 4, 5]);
  });

  it('gives up a batch that fails for another reason (it would fail forever) and goes on with the next', async () => {
    let calls = 0;
    const { batcher, batches, errors } = recorder({ delayMs: 0, fail: () => (++calls === 1 ? new Error('invalid input syntax for type uuid') : undefined) });
    batcher.add(1);
    batcher.add(2);
    await expect(batcher.flush()).rejects.toThrow('invalid input syntax');
    expect(errors).toEqual([{ dropped: 2 }]);
    expect(batcher.dropped).toBe(2);
    batcher.add(3);
    await batcher.flush();
    expect(batches).toEqual([[3]]);
  });
});
