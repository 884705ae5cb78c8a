/**
 * The query lane's thread count from its start-up timing (inference-pool.ts): a second intra-op thread costs CPU
 * on every question, so it is kept only where it makes a question at least a fifth quicker.
 */
import { describe, expect, it } from 'vitest';
import { chooseQueryThreads } from '../../../src/core/providers/onnx/inference-pool';

describe('chooseQueryThreads', () => {
  it('keeps two threads where they cut a question well below one thread (AVX2 without int8 dot products)', () => {
    expect(chooseQueryThreads({ 1: [26.1, 26.7, 27.3, 40.2, 26.5], 2: [11.2, 11.5, 12.0, 30.0, 11.8] })).toBe(2);
  });

  it('keeps one where two are slower (AVX-512 VNNI: 4.7 against 6.5 ms) or barely quicker', () => {
    expect(chooseQueryThreads({ 1: [4.7, 4.6, 4.9], 2: [6.5, 6.4, 6.8] })).toBe(1);
    expect(chooseQueryThreads({ 1: [10, 10, 10], 2: [8.5, 8.5, 8.5] })).toBe(1);
    expect(chooseQueryThreads({ 1: [10, 10, 10], 2: [8, 8, 8] })).toBe(2);
  });

  it('judges by the median, so one slow start-up pass does not decide', () => {
    expect(chooseQueryThreads({ 1: [5, 5, 90, 5, 5], 2: [6, 6, 6, 6, 6] })).toBe(1);
    expect(chooseQueryThreads({ 1: [20, 20, 20, 20, 20], 2: [10, 10, 95, 10, 10] })).toBe(2);
  });

  it('compares each larger count with the best so far, and falls back to one thread without timings', () => {
    expect(chooseQueryThreads({ 1: [30], 2: [20], 4: [17] })).toBe(2);
    expect(chooseQueryThreads({ 1: [30], 2: [20], 4: [15] })).toBe(4);
    expect(chooseQueryThreads({})).toBe(1);
    expect(chooseQueryThreads({ 1: [], 2: [5] })).toBe(2);
  });
});
