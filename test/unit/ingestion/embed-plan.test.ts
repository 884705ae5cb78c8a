import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineParts, LIMIT_SHARE, planEmbedding, splitToFit, type EmbeddingLimits } from '../../../ingestion/embed-plan';
import { cl100kTokens } from '../../../src/core/providers/embedding-tokens';

const words = (count: number, seed = 0) => Array.from({ length: count }, (_, index) => `word${(index * 7 + seed) % 97}`).join(' ');

function limits(overrides: Partial<EmbeddingLimits> = {}): EmbeddingLimits {
  return { maxEmbeddingsPerCall: 2048, maxTokensPerCall: 300_000, maxTokensPerInput: 8192, countTokens: cl100kTokens, ...overrides };
}

describe('splitToFit', () => {
  it('keeps a text that fits whole, and cuts a long one into pieces that fit and join back to it', () => {
    expect(splitToFit('short text', 100, cl100kTokens)).toEqual(['short text']);
    const long = `${words(3000)}.\n\n${words(2000, 3)}. ${words(500, 5)}`;
    const pieces = splitToFit(long, 1000, cl100kTokens);
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join('')).toBe(long);
    for (const piece of pieces) {
      expect(cl100kTokens(piece)).toBeLessThanOrEqual(1000);
      expect(piece.length).toBeGreaterThan(0);
    }
  });

  it('cuts text without any break (one long run), never inside a surrogate pair', () => {
    const run = '😀'.repeat(5000);
    const pieces = splitToFit(run, 700, cl100kTokens);
    expect(pieces.join('')).toBe(run);
    for (const piece of pieces) {
      expect(cl100kTokens(piece)).toBeLessThanOrEqual(700);
      expect(piece.length % 2).toBe(0);
    }
  });

  it('holds for any text and limit (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.integer({ min: 3, max: 40 }), (text, max) => {
        const pieces = splitToFit(text, max, cl100kTokens);
        expect(pieces.join('')).toBe(text);
        // A single code point can exceed a tiny limit; anything longer is cut until it fits.
        for (const piece of pieces) if ([...piece].length > 1) expect(cl100kTokens(piece)).toBeLessThanOrEqual(max);
      }),
      { numRuns: 200 },
    );
  });
});

describe('planEmbedding', () => {
  it('fills calls to a share of the token limit and never over the input count', () => {
    const texts = Array.from({ length: 3000 }, (_, index) => words(380, index));
    const plan = planEmbedding(texts, limits());
    const perText = cl100kTokens(texts[0]!);
    expect(perText).toBeGreaterThan(300);
    for (const call of plan.calls) {
      expect(call.length).toBeLessThanOrEqual(2048);
      expect(call.reduce((sum, part) => sum + part.tokens, 0)).toBeLessThanOrEqual(300_000 * LIMIT_SHARE);
    }
    // Count-only batching would have sent 2048 of these (~800K tokens) in one call.
    expect(plan.calls.length).toBeGreaterThanOrEqual(Math.ceil((3000 * perText) / (300_000 * LIMIT_SHARE)));
    expect(plan.calls.flat().map((part) => part.item)).toEqual(texts.map((_, index) => index));
  });

  it('splits a text over the per-input limit into parts of one item, in order', () => {
    const long = words(20_000);
    const plan = planEmbedding(['first', long, 'last'], limits());
    expect(plan.partsOf[0]).toHaveLength(1);
    expect(plan.partsOf[1]!.length).toBeGreaterThanOrEqual(3);
    expect(plan.partsOf[1]!.map((part) => part.text).join('')).toBe(long);
    for (const part of plan.partsOf[1]!) expect(part.tokens).toBeLessThanOrEqual(8192 * LIMIT_SHARE);
    expect(plan.calls.flat().map((part) => part.item)).toEqual([0, ...plan.partsOf[1]!.map(() => 1), 2]);
  });

  it('respects a small input count (Cohere: 96)', () => {
    const plan = planEmbedding(Array.from({ length: 200 }, (_, index) => `text ${index}`), limits({ maxEmbeddingsPerCall: 96, maxTokensPerCall: 128_000 }));
    expect(plan.calls.map((call) => call.length)).toEqual([96, 96, 8]);
  });

  it('never counts for a provider without token limits', () => {
    let counted = 0;
    const plan = planEmbedding(['a', 'b', 'c'], {
      maxEmbeddingsPerCall: 2,
      maxTokensPerCall: Number.POSITIVE_INFINITY,
      maxTokensPerInput: Number.POSITIVE_INFINITY,
      countTokens: () => {
        counted += 1;
        return 1;
      },
    });
    expect(counted).toBe(0);
    expect(plan.calls.map((call) => call.length)).toEqual([2, 1]);
  });
});

describe('combineParts', () => {
  it('returns a single vector as it is, and a token-weighted mean at unit length for parts', () => {
    expect(combineParts([[0.6, 0.8]], [10])).toEqual([0.6, 0.8]);
    const combined = combineParts(
      [
        [1, 0],
        [0, 1],
      ],
      [3, 1],
    );
    expect(Math.hypot(...combined)).toBeCloseTo(1, 10);
    expect(combined[0]! / combined[1]!).toBeCloseTo(3, 10);
  });
});
