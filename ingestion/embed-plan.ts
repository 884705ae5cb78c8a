/**
 * Plans embedding calls under a provider's published limits: inputs per call,
 * tokens per call, tokens per input (pure; ingestion/embed.ts runs the plan).
 *
 * A text over the per-input limit is split into parts that fit, each part is
 * embedded, and the chunk's vector is the token-weighted mean of its parts'
 * vectors, scaled back to unit length. Splitting rather than truncating: the
 * chunk stays the one unit that is stored, cited and cached (one vector per
 * chunk row, keyed by the hash of its whole text), and every part of its text
 * still counts for retrieval; a truncated tail would be searchable by BM25 and
 * invisible to the vector leg.
 *
 * Calls and parts are filled to LIMIT_SHARE of the limits, not to the limit: the
 * count is ours (cl100k, or a stand-in tokenizer for Cohere) and the service's
 * own count may differ by some percent (approximate counters, per-input
 * overhead); a third of headroom costs at most half again as many calls, while
 * one over-full call fails the whole document.
 */
export const LIMIT_SHARE = 2 / 3;

export interface EmbeddingLimits {
  maxEmbeddingsPerCall: number;
  maxTokensPerCall: number;
  maxTokensPerInput: number;
  countTokens(text: string): number;
}

export interface EmbedPart {
  /** Index of the text this part belongs to. */
  item: number;
  text: string;
  tokens: number;
}

export interface EmbedPlan {
  /** Each text's parts, in order (one part for a text that fits). */
  partsOf: EmbedPart[][];
  /** Calls to make, in order; every part is in exactly one. */
  calls: EmbedPart[][];
}

const isBounded = (limit: number): boolean => Number.isFinite(limit) && limit > 0;

/** Splits `text` into pieces of at most `maxTokens`, at a paragraph, line, sentence or word break near the middle when there is one. */
export function splitToFit(text: string, maxTokens: number, count: (text: string) => number, tokens = count(text)): string[] {
  if (tokens <= maxTokens || text.length < 2) return [text];
  const at = splitPoint(text);
  if (at <= 0 || at >= text.length) return [text];
  const left = text.slice(0, at);
  const right = text.slice(at);
  return [...splitToFit(left, maxTokens, count), ...splitToFit(right, maxTokens, count)];
}

/** A break near the middle: the last "\n\n", "\n", ". " or " " in the middle half, else the middle (never inside a surrogate pair). */
function splitPoint(text: string): number {
  const middle = Math.floor(text.length / 2);
  const from = Math.floor(text.length / 4);
  for (const separator of ['\n\n', '\n', '. ', ' ']) {
    const found = text.lastIndexOf(separator, middle + Math.floor(text.length / 4));
    if (found >= from && found + separator.length < text.length) return found + separator.length;
  }
  const code = text.charCodeAt(middle - 1);
  return code >= 0xd800 && code <= 0xdbff ? middle + 1 : middle;
}

export function planEmbedding(texts: readonly string[], limits: EmbeddingLimits): EmbedPlan {
  const perCall = Math.max(1, limits.maxEmbeddingsPerCall);
  const counted = isBounded(limits.maxTokensPerCall) || isBounded(limits.maxTokensPerInput);
  const inputBudget = isBounded(limits.maxTokensPerInput) ? Math.max(1, Math.floor(limits.maxTokensPerInput * LIMIT_SHARE)) : Number.POSITIVE_INFINITY;
  const callBudget = isBounded(limits.maxTokensPerCall) ? Math.max(1, Math.floor(limits.maxTokensPerCall * LIMIT_SHARE)) : Number.POSITIVE_INFINITY;
  const count = (text: string) => limits.countTokens(text);

  const partsOf = texts.map((text, item): EmbedPart[] => {
    // A provider without token limits (the local hashing one) is never counted: counting costs more than embedding.
    if (!counted) return [{ item, text, tokens: 0 }];
    const tokens = count(text);
    if (tokens <= inputBudget) return [{ item, text, tokens }];
    return splitToFit(text, inputBudget, count, tokens).map((part) => ({ item, text: part, tokens: count(part) }));
  });

  const calls: EmbedPart[][] = [];
  let current: EmbedPart[] = [];
  let currentTokens = 0;
  for (const part of partsOf.flat()) {
    if (current.length > 0 && (current.length >= perCall || currentTokens + part.tokens > callBudget)) {
      calls.push(current);
      current = [];
      currentTokens = 0;
    }
    current.push(part);
    currentTokens += part.tokens;
  }
  if (current.length > 0) calls.push(current);
  return { partsOf, calls };
}

/** The token-weighted mean of a text's part vectors, at unit length (a single part's vector is returned as it is). */
export function combineParts(vectors: readonly number[][], weights: readonly number[]): number[] {
  if (vectors.length === 1 && vectors[0]) return vectors[0];
  const dimensions = vectors[0]?.length ?? 0;
  const sum = new Array<number>(dimensions).fill(0);
  vectors.forEach((vector, index) => {
    const weight = Math.max(1, weights[index] ?? 1);
    for (let d = 0; d < dimensions; d += 1) sum[d]! += (vector[d] ?? 0) * weight;
  });
  let squares = 0;
  for (const value of sum) squares += value * value;
  const norm = Math.sqrt(squares);
  return norm > 0 ? sum.map((value) => value / norm) : sum;
}
