/**
 * The one implementation of the retrieval metrics, shared by the BEIR eval and
 * the canaries so that a canary's recall and the eval's recall can never drift
 * apart. Definitions follow trec_eval:
 *
 * - `qrels` maps document id → graded relevance; a document is relevant when
 *   its grade is > 0. Unjudged documents count as non-relevant.
 * - nDCG@k (trec_eval `ndcg_cut`): gain = grade (linear, not 2^grade − 1),
 *   discount = log2(rank + 1), ideal DCG from ALL judged relevant documents of
 *   the query, not only those retrieved.
 * - A query with no relevant judgments scores 0 on every metric (trec_eval
 *   divides by zero as 0). In BEIR such queries are absent from the qrels, so
 *   callers evaluate only the queries that have judgments.
 * - A document repeated in `ranked` counts once, at its first rank (trec_eval
 *   never sees duplicates; a buggy fusion step should not inflate scores).
 */

export type Qrels = ReadonlyMap<string, number>;

function assertCutoff(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`cutoff k must be a positive integer, got ${k}`);
}

/** The first k distinct ids of the ranking. */
function topDistinct(ranked: readonly string[], k: number): string[] {
  const seen = new Set<string>();
  const top: string[] = [];
  for (const id of ranked) {
    if (top.length >= k) break;
    if (seen.has(id)) continue;
    seen.add(id);
    top.push(id);
  }
  return top;
}

function relevantCount(qrels: Qrels): number {
  let count = 0;
  for (const grade of qrels.values()) if (grade > 0) count++;
  return count;
}

function gain(qrels: Qrels, id: string): number {
  const grade = qrels.get(id) ?? 0;
  return grade > 0 ? grade : 0;
}

export function ndcgAtK(ranked: readonly string[], qrels: Qrels, k: number): number {
  assertCutoff(k);
  let dcg = 0;
  topDistinct(ranked, k).forEach((id, index) => {
    dcg += gain(qrels, id) / Math.log2(index + 2);
  });
  const idealGains = [...qrels.values()].filter((grade) => grade > 0).sort((a, b) => b - a).slice(0, k);
  let idealDcg = 0;
  idealGains.forEach((grade, index) => {
    idealDcg += grade / Math.log2(index + 2);
  });
  return idealDcg === 0 ? 0 : dcg / idealDcg;
}

/** Fraction of the query's relevant documents found in the top k. */
export function recallAtK(ranked: readonly string[], qrels: Qrels, k: number): number {
  assertCutoff(k);
  const relevant = relevantCount(qrels);
  if (relevant === 0) return 0;
  const found = topDistinct(ranked, k).filter((id) => gain(qrels, id) > 0).length;
  return found / relevant;
}

/** Reciprocal rank of the first relevant document within the top k, else 0. */
export function mrrAtK(ranked: readonly string[], qrels: Qrels, k: number): number {
  assertCutoff(k);
  const index = topDistinct(ranked, k).findIndex((id) => gain(qrels, id) > 0);
  return index === -1 ? 0 : 1 / (index + 1);
}

/** 1 when any relevant document is in the top k, else 0. */
export function hitAtK(ranked: readonly string[], qrels: Qrels, k: number): number {
  assertCutoff(k);
  return topDistinct(ranked, k).some((id) => gain(qrels, id) > 0) ? 1 : 0;
}

/**
 * Mean over queries. An empty list gives 0 rather than NaN: NaN would turn
 * into `null` in JSON and a canary run with no queries should read as failing.
 */
export function aggregate(perQuery: readonly number[]): number {
  if (perQuery.length === 0) return 0;
  let sum = 0;
  for (const value of perQuery) sum += value;
  return sum / perQuery.length;
}
