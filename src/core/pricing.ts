/**
 * Estimated cost per model, USD per million tokens. Estimates for budgets and
 * dashboards, not invoices; override with MODEL_PRICES_JSON
 * ('{"model":{"input":x,"output":y,"cachedInput":z}}').
 */
export interface ModelPrice {
  input: number;
  output: number;
  cachedInput?: number;
}

export const DEFAULT_PRICES: Record<string, ModelPrice> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'claude-sonnet-4-6': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1 },
  'local-extractive-v1': { input: 0, output: 0 },
  'local-extractive-v2': { input: 0, output: 0 },
};

export function estimateCostUsd(
  prices: Record<string, ModelPrice>,
  model: string,
  usage: { inputTokens: number; outputTokens: number; cachedTokens: number },
): number {
  const price = prices[model];
  if (!price) return 0;
  const uncached = Math.max(0, usage.inputTokens - usage.cachedTokens);
  const cost = (uncached * price.input + usage.cachedTokens * (price.cachedInput ?? price.input) + usage.outputTokens * price.output) / 1_000_000;
  return Math.round(cost * 1e8) / 1e8;
}
