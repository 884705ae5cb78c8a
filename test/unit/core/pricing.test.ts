import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/core/config';
import { costOf, DEFAULT_PRICES, estimateCostUsd, findPrice, PriceBook, priceTable } from '../../../src/core/pricing';

const usage = { inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 0 };

describe('price lookup', () => {
  it('prices the dated ids the APIs answer with by their alias', () => {
    expect(findPrice(DEFAULT_PRICES, 'gpt-4o-mini-2024-07-18')?.key).toBe('gpt-4o-mini');
    expect(findPrice(DEFAULT_PRICES, 'gpt-4o-2024-08-06')?.key).toBe('gpt-4o');
    expect(findPrice(DEFAULT_PRICES, 'claude-sonnet-4-5-20250929')?.key).toBe('claude-sonnet-4-5');
    expect(findPrice(DEFAULT_PRICES, 'claude-haiku-4-5-20251001')?.key).toBe('claude-haiku-4-5');
    expect(estimateCostUsd(DEFAULT_PRICES, 'gpt-4o-mini-2024-07-18', usage)).toBe(0.15);
  });

  it('prefers the answered id, then the requested alias, and never lends a shorter family its price', () => {
    const prices = { 'gpt-4o': { input: 2.5, output: 10 }, 'gpt-4o-2024-05-13': { input: 5, output: 15 }, mine: { input: 1, output: 1 } };
    expect(findPrice(prices, 'gpt-4o-2024-05-13')?.key).toBe('gpt-4o-2024-05-13');
    expect(findPrice(prices, 'gpt-4o-2024-11-20')?.key).toBe('gpt-4o');
    expect(findPrice(prices, 'some-snapshot-x', 'mine')?.key).toBe('mine');
    // gpt-4o-mini is 16 times cheaper than gpt-4o: a bare prefix match would overcharge it.
    expect(findPrice(prices, 'gpt-4o-mini-2024-07-18')).toBeUndefined();
  });
});

describe('cache pricing', () => {
  it('bills OpenAI cache reads at the discounted rate (gpt-4o-mini: half)', () => {
    const cost = costOf(DEFAULT_PRICES['gpt-4o-mini']!, { inputTokens: 2_000_000, outputTokens: 1_000_000, cachedTokens: 1_000_000 });
    expect(cost).toBeCloseTo(0.15 + 0.075 + 0.6, 10);
  });

  it('bills Anthropic cache writes at 1.25x and reads at 0.1x of input', () => {
    const price = DEFAULT_PRICES['claude-sonnet-4-5']!;
    expect(price.cacheWrite).toBeCloseTo(price.input * 1.25, 10);
    expect(price.cachedInput).toBeCloseTo(price.input * 0.1, 10);
    // 1M prompt tokens: 600K written to the cache, 300K read from it, 100K plain.
    const cost = costOf(price, { inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 300_000, cacheWriteTokens: 600_000 });
    expect(cost).toBeCloseTo(0.1 * 3 + 0.3 * 0.3 + 0.6 * 3.75, 10);
  });
});

describe('PriceBook', () => {
  it('says when a model has no price: warns once per model, counts every answer', () => {
    const warnings: string[] = [];
    const unpriced: string[] = [];
    const book = new PriceBook(DEFAULT_PRICES, { onUnpriced: (model) => unpriced.push(model), warn: (_fields, message) => warnings.push(message) });
    expect(book.cost('mystery-model-1', usage)).toBe(0);
    expect(book.cost('mystery-model-1', usage)).toBe(0);
    expect(book.cost('gpt-4o-mini-2024-07-18', usage)).toBe(0.15);
    expect(unpriced).toEqual(['mystery-model-1', 'mystery-model-1']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no price for model mystery-model-1.*MODEL_PRICES_JSON/);
  });
});

describe('MODEL_PRICES_JSON', () => {
  it('overrides and adds entries over the built-in table', () => {
    const config = loadConfig({ MODEL_PRICES_JSON: '{"gpt-4o-mini":{"input":1,"output":2},"my-model":{"input":3,"output":4,"cachedInput":0.3}}' });
    const table = priceTable(config.MODEL_PRICES_JSON);
    expect(table['gpt-4o-mini']).toEqual({ input: 1, output: 2 });
    expect(table['my-model']).toEqual({ input: 3, output: 4, cachedInput: 0.3 });
    expect(table['gpt-4o']).toEqual(DEFAULT_PRICES['gpt-4o']);
    expect(priceTable(loadConfig({}).MODEL_PRICES_JSON)).toEqual(DEFAULT_PRICES);
  });

  it.each([
    ['not json', /^Invalid configuration: MODEL_PRICES_JSON must be JSON/],
    ['{"m":{"input":-1,"output":1}}', /^Invalid configuration: MODEL_PRICES_JSON at m\.input: prices are ≥ 0/],
    ['{"m":{"input":"1","output":1}}', /^Invalid configuration: MODEL_PRICES_JSON at m\.input: each price is a number/],
    ['{"m":{"input":1,"output":1,"cached":0.1}}', /^Invalid configuration: MODEL_PRICES_JSON at m: /],
  ])('stops the start on %s with one line naming the variable', (value, message) => {
    let caught: unknown;
    try {
      loadConfig({ MODEL_PRICES_JSON: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe('MODEL_PRICES_JSON');
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message.split('\n')).toHaveLength(1);
  });
});
