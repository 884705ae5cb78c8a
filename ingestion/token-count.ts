import { countTokens } from '../src/core/tokens';

/**
 * js-tiktoken's byte-pair merge is quadratic in the length of a pre-token, and a
 * run of CJK text (or base64, or a long URL) is a single pre-token: 1,600 CJK
 * characters take over a second. Runs longer than this are counted in slices,
 * which keeps counting linear at the cost of at most a token per slice boundary.
 */
export const MAX_RUN_CHARS = 32;

const LONG_RUN = new RegExp(`\\S{${MAX_RUN_CHARS + 1},}`, 'gu');
const HAS_LONG_RUN = new RegExp(LONG_RUN.source, 'u');

/** countTokens, made linear for long runs without spaces. */
export function countTokensLinear(text: string): number {
  if (!HAS_LONG_RUN.test(text)) return countTokens(text);
  let total = 0;
  let last = 0;
  for (const match of text.matchAll(LONG_RUN)) {
    total += countTokens(text.slice(last, match.index));
    for (const slice of runSlices(match[0])) total += countTokens(slice);
    last = match.index + match[0].length;
  }
  return total + countTokens(text.slice(last));
}

/** Slices of at most MAX_RUN_CHARS code units, never splitting a surrogate pair. */
export function runSlices(run: string): string[] {
  const slices: string[] = [];
  for (let from = 0; from < run.length; ) {
    let to = Math.min(run.length, from + MAX_RUN_CHARS);
    const code = run.charCodeAt(to - 1);
    if (to < run.length && code >= 0xd800 && code <= 0xdbff) to -= 1;
    slices.push(run.slice(from, to));
    from = to;
  }
  return slices;
}
