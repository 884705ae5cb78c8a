import { countTokens } from '../src/core/tokens';

/**
 * Token counting for the chunker, cl100k_base like src/core/tokens.ts, but
 * built for whole documents:
 *
 * - BPE runs on each pre-token (the pattern's pieces: a word with its leading
 *   space, a number group, punctuation, whitespace) independently, so a text's
 *   count is the sum of its pieces' counts. Pieces repeat endlessly in prose, so
 *   each distinct piece is encoded once and remembered (with js-tiktoken, whose
 *   per-piece work was the chunker's main cost; gpt-tokenizer is several times
 *   faster, and the memo still saves most of it).
 * - Byte-pair merging is superlinear in the length of a piece (js-tiktoken's
 *   quadratic: 1,600 CJK characters took over a second), and a run of CJK text
 *   (or base64, or a long URL) is a single piece. Pieces longer than MAX_RUN_CHARS are counted
 *   in slices, which keeps counting linear at the cost of at most a token per
 *   slice boundary.
 * - Special-token text such as "<|endoftext|>" in a document is ordinary text
 *   here; the encoder's count of the whole text throws on it.
 */
export const MAX_RUN_CHARS = 32;

/** cl100k_base's pre-tokenizer pattern, as tiktoken defines it (JS has no inline (?i), so the contractions are spelled out). */
const CL100K_PATTERN =
  "('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const PIECE = new RegExp(CL100K_PATTERN, 'gu');
/** Distinct pieces remembered; prose has a few tens of thousands. Cleared when full. */
const MEMO_LIMIT = 200_000;
const memo = new Map<string, number>();

/**
 * One piece's count. A piece never holds a whole special token ("<|endoftext|>"
 * splits into "<|", "endoftext", "|>"), so countTokens, whose encoder throws on
 * special tokens, counts a document's special-token text as the characters it is.
 */
const encodedLength = (piece: string): number => countTokens(piece);

function pieceTokens(piece: string): number {
  let tokens = memo.get(piece);
  if (tokens !== undefined) return tokens;
  if (piece.length <= MAX_RUN_CHARS) tokens = encodedLength(piece);
  else {
    tokens = 0;
    for (const slice of runSlices(piece)) tokens += encodedLength(slice);
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(piece, tokens);
  return tokens;
}

/** cl100k token count, linear in the text's length, exact for pieces up to MAX_RUN_CHARS. */
export function countTokensLinear(text: string): number {
  let total = 0;
  // match() with /g gives the pieces alone, with no match object (index, input, groups) per piece.
  for (const piece of text.match(PIECE) ?? []) total += pieceTokens(piece);
  return total;
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
