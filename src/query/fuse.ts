/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): each list
 * contributes weight / (k + rank) for every item it ranks (rank 1-based).
 * Only ranks are used, never raw scores, because BM25 scores and cosine
 * similarities live on unrelated scales; the raw scores are passed through in
 * `scores` for traces and for debugging a fused ranking.
 */

export interface FusionInputItem {
  chunkId: string;
  score: number;
}

export interface FusionInputList {
  /** Unique among the lists; the key of `ranks` and `scores` in the output. */
  name: string;
  /** Multiplies this list's contribution; default 1. */
  weight?: number;
  /** Best first. */
  items: readonly FusionInputItem[];
}

export interface FusedItem {
  chunkId: string;
  score: number;
  /** 1-based rank in each named list, null when that list did not return the item. */
  ranks: Record<string, number | null>;
  /** The item's original score in each named list, null when absent. */
  scores: Record<string, number | null>;
}

export interface FusionOptions {
  /** Dampens the advantage of the very top ranks; 60 is the paper's value. */
  k?: number;
}

export function reciprocalRankFusion(lists: readonly FusionInputList[], options: FusionOptions = {}): FusedItem[] {
  const k = options.k ?? 60;
  if (!Number.isFinite(k) || k < 0) throw new RangeError(`RRF k must be a finite number ≥ 0, got ${k}`);
  const names = lists.map((list) => list.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new RangeError(`fusion list names must be unique, "${duplicate}" repeats`);

  const fused = new Map<string, FusedItem>();
  for (const list of lists) {
    const weight = list.weight ?? 1;
    list.items.forEach((item, index) => {
      let entry = fused.get(item.chunkId);
      if (entry === undefined) {
        entry = { chunkId: item.chunkId, score: 0, ranks: emptyRecord(names), scores: emptyRecord(names) };
        fused.set(item.chunkId, entry);
      }
      // A list that repeats an item counts it once, at its best rank.
      if (entry.ranks[list.name] !== null) return;
      entry.ranks[list.name] = index + 1;
      entry.scores[list.name] = item.score;
      entry.score += weight / (k + index + 1);
    });
  }
  return [...fused.values()].sort(
    (left, right) => right.score - left.score || (left.chunkId < right.chunkId ? -1 : left.chunkId > right.chunkId ? 1 : 0),
  );
}

function emptyRecord(names: readonly string[]): Record<string, number | null> {
  const record: Record<string, number | null> = {};
  for (const name of names) record[name] = null;
  return record;
}
