import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

/**
 * Token counting with a real BPE (cl100k_base, shipped inside js-tiktoken, no
 * download). Used for chunk sizes and context budgets; provider-exact counts
 * come back in usage and are what budgets reconcile against.
 */
let encoder: Tiktoken | undefined;

function getEncoder(): Tiktoken {
  encoder ??= new Tiktoken(cl100k);
  return encoder;
}

export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return getEncoder().encode(text).length;
}

/** Cheap upper-bound estimate for admission control where exactness is not needed. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.5);
}
