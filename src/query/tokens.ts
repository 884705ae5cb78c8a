import { countTokens } from '../core/tokens';

/**
 * Token counting for untrusted text (questions, document text). The core
 * counter encodes with special tokens disallowed, so a question or a document
 * holding "<|endoftext|>" made it throw (a 500 on the answer). Every special
 * token starts with "<|": counting the text split there treats such text as the
 * ordinary characters it is (an upper bound within a token per occurrence).
 */
const SPECIAL_START = '<|';
let specialStartTokens: number | undefined;

export function countTextTokens(text: string): number {
  if (!text.includes(SPECIAL_START)) return countTokens(text);
  specialStartTokens ??= countTokens(SPECIAL_START);
  const parts = text.split(SPECIAL_START);
  let total = specialStartTokens * (parts.length - 1);
  for (const part of parts) total += countTokens(part);
  return total;
}
