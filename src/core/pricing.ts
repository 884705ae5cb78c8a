/**
 * Estimated cost per model, USD per million tokens. Estimates for budgets and
 * dashboards, not invoices.
 *
 * Lookup: the providers answer with dated snapshot ids (a request for
 * gpt-4o-mini is answered by gpt-4o-mini-2024-07-18, claude-sonnet-4-5 by
 * claude-sonnet-4-5-20250929). A price is found by the answered id, then by the
 * requested alias, then by the longest table key the answered id extends with a
 * snapshot date only (`<key>-YYYY-MM-DD` or `<key>-YYYYMMDD`): gpt-4o never
 * prices gpt-4o-mini-2024-07-18, whose price is 16 times lower. A model found
 * nowhere costs 0 and is said so (PriceBook's onUnpriced: a warning once per
 * model and a metric), never silently.
 *
 * Prompt caching is billed per provider: cache reads at `cachedInput` (OpenAI
 * at its discount, 0.5× for gpt-4o-mini and gpt-4o, 0.25× for gpt-4.1; Anthropic
 * 0.1× of input), Anthropic's cache writes at `cacheWrite` (1.25× of input for
 * the 5-minute cache); OpenAI charges no write premium.
 *
 * MODEL_PRICES_JSON overrides or adds entries, whole entries per model:
 * '{"gpt-4o-mini":{"input":0.15,"output":0.6,"cachedInput":0.075}}'.
 */
import { z } from 'zod';

const perMillion = z.number({ error: 'each price is a number (USD per million tokens)' }).finite().min(0, 'prices are ≥ 0 (USD per million tokens)');

export const modelPriceSchema = z.strictObject({
  input: perMillion,
  output: perMillion,
  /** Cache reads; default: the input price. */
  cachedInput: perMillion.optional(),
  /** Cache writes (Anthropic); default: the input price. */
  cacheWrite: perMillion.optional(),
});
export type ModelPrice = z.infer<typeof modelPriceSchema>;
export type PriceTable = Record<string, ModelPrice>;

export const modelPricesSchema = z.record(z.string().min(1), modelPriceSchema);

export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'claude-sonnet-4-6': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25 },
  'local-extractive-v1': { input: 0, output: 0 },
  'local-extractive-v2': { input: 0, output: 0 },
};

/** What a generation used; inputTokens counts every prompt token, cache reads and writes included. */
export interface PricedUsage {
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens read from the provider's cache. */
  cachedTokens: number;
  /** Prompt tokens written to the provider's cache (Anthropic's cache_creation_input_tokens). */
  cacheWriteTokens?: number | undefined;
}

const SNAPSHOT_SUFFIX = /^-(\d{4}-\d{2}-\d{2}|\d{8})$/u;

/** The table entry for a model: answered id, requested alias, then the longest key the id extends by a snapshot date. */
export function findPrice(prices: PriceTable, model: string, requested?: string): { key: string; price: ModelPrice } | undefined {
  const exact = prices[model];
  if (exact) return { key: model, price: exact };
  if (requested !== undefined && prices[requested]) return { key: requested, price: prices[requested] };
  let best: string | undefined;
  for (const key of Object.keys(prices)) {
    if (model.startsWith(key) && SNAPSHOT_SUFFIX.test(model.slice(key.length)) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : { key: best, price: prices[best]! };
}

export function costOf(price: ModelPrice, usage: PricedUsage): number {
  const cacheRead = Math.max(0, usage.cachedTokens);
  const cacheWrite = Math.max(0, usage.cacheWriteTokens ?? 0);
  const uncached = Math.max(0, usage.inputTokens - cacheRead - cacheWrite);
  const cost =
    (uncached * price.input +
      cacheRead * (price.cachedInput ?? price.input) +
      cacheWrite * (price.cacheWrite ?? price.input) +
      usage.outputTokens * price.output) /
    1_000_000;
  return Math.round(cost * 1e8) / 1e8;
}

/** Cost by table lookup; 0 for a model the table does not price (PriceBook says so). */
export function estimateCostUsd(prices: PriceTable, model: string, usage: PricedUsage, requested?: string): number {
  const found = findPrice(prices, model, requested);
  return found ? costOf(found.price, usage) : 0;
}

/** The default table with MODEL_PRICES_JSON's entries over it. */
export function priceTable(overrides: PriceTable | undefined): PriceTable {
  return { ...DEFAULT_PRICES, ...overrides };
}

/**
 * Prices answers and says when it cannot: a model the table does not price
 * costs 0, and onUnpriced hears of it on every such answer (for a metric); the
 * warning is logged once per model.
 */
export class PriceBook {
  private readonly warned = new Set<string>();

  constructor(
    readonly prices: PriceTable,
    private readonly hooks: { onUnpriced?: (model: string) => void; warn?: (fields: Record<string, unknown>, message: string) => void } = {},
  ) {}

  cost(model: string, usage: PricedUsage, requested?: string): number {
    const found = findPrice(this.prices, model, requested);
    if (found) return costOf(found.price, usage);
    this.hooks.onUnpriced?.(model);
    if (!this.warned.has(model)) {
      this.warned.add(model);
      const warn = this.hooks.warn ?? ((fields, message) => console.warn(JSON.stringify({ level: 40, time: Date.now(), ...fields, msg: message })));
      warn(
        { model, requested },
        `no price for model ${model}: its answers are recorded at cost 0; add it to MODEL_PRICES_JSON ('{"${model}":{"input":…,"output":…}}', USD per million tokens)`,
      );
    }
    return 0;
  }
}
