import { aggregate, hitAtK, mrrAtK } from '../metrics';

export interface CanaryExpectation {
  documentId?: string | null | undefined;
  chunkContains?: string | null | undefined;
}

export interface CanaryResultItem {
  chunkId: string;
  documentId: string;
  title: string;
  text: string;
}

export interface CanaryOutcome {
  canaryId: string;
  query: string;
  k: number;
  hit: boolean;
  rank: number | null;
  reciprocalRank: number;
  latencyMs: number;
  expect: CanaryExpectation;
  /** What came back instead, for a miss. */
  got: { documentId: string; title: string; chunkId: string }[];
}

const fold = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** Whether one retrieved chunk satisfies the expectation (document and/or contained text). */
export function satisfies(item: CanaryResultItem, expect: CanaryExpectation): boolean {
  if (expect.documentId && item.documentId !== expect.documentId) return false;
  if (expect.chunkContains && !fold(item.text).includes(fold(expect.chunkContains))) return false;
  return Boolean(expect.documentId || expect.chunkContains);
}

/** Scores one canary with the same metrics code as the retrieval eval (hit@k = recall of "any relevant", MRR@k). */
export function scoreCanary(
  canary: { id: string; query: string; k: number; expect: CanaryExpectation },
  results: readonly CanaryResultItem[],
  latencyMs: number,
): CanaryOutcome {
  const ranking = results.map((item) => item.chunkId);
  const relevant = new Map(results.filter((item) => satisfies(item, canary.expect)).map((item) => [item.chunkId, 1]));
  const hit = hitAtK(ranking, relevant, canary.k) === 1;
  const reciprocalRank = mrrAtK(ranking, relevant, canary.k);
  return {
    canaryId: canary.id,
    query: canary.query,
    k: canary.k,
    hit,
    rank: reciprocalRank > 0 ? Math.round(1 / reciprocalRank) : null,
    reciprocalRank,
    latencyMs,
    expect: canary.expect,
    got: hit ? [] : results.slice(0, Math.min(5, canary.k)).map(({ documentId, title, chunkId }) => ({ documentId, title, chunkId })),
  };
}

export interface RunSummary {
  recallAtK: number;
  mrr: number;
  hits: number;
  total: number;
  misses: CanaryOutcome[];
}

export function summarize(outcomes: readonly CanaryOutcome[]): RunSummary {
  return {
    recallAtK: aggregate(outcomes.map((outcome) => (outcome.hit ? 1 : 0))),
    mrr: aggregate(outcomes.map((outcome) => outcome.reciprocalRank)),
    hits: outcomes.filter((outcome) => outcome.hit).length,
    total: outcomes.length,
    misses: outcomes.filter((outcome) => !outcome.hit),
  };
}
