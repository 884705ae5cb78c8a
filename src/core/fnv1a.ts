/**
 * 32-bit FNV-1a: a small, fast, stable hash for in-memory sets, log-safe ids
 * and the local embedder's feature slots (whose stored vectors depend on it
 * never changing).
 */
export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units of value[start, end), continuing from `hash`; unsigned. */
export function fnv1a(hash: number, value: string, start = 0, end = value.length): number {
  let state = hash;
  for (let index = start; index < end; index++) {
    state ^= value.charCodeAt(index);
    state = Math.imul(state, FNV_PRIME);
  }
  return state >>> 0;
}

/** One FNV-1a step over a 32-bit value (e.g. a word's hash) instead of a code unit; unsigned. */
export function fnvMix(hash: number, value: number): number {
  return Math.imul(hash ^ value, FNV_PRIME) >>> 0;
}
