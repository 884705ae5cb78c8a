/**
 * Retrieval sanity bench on a BEIR dataset (default: SciFact train), fully in
 * memory: BM25 (the reference scorer), local-hash vectors (brute-force
 * cosine), RRF of the two, and RRF followed by the local lexical reranker on
 * the top 30. It exists to check, without Postgres, that the analyzer keeps
 * BM25 at its published level and that hybrid + rerank adds to BM25 rather
 * than diluting it. Not a test: it reads the shared dataset and takes seconds.
 *
 *   npx tsx evals/bench/bm25-inmemory.ts [datasetDir] [split]
 */
import { join } from 'node:path';
import { LocalHashEmbedder } from '../../src/core/providers/local-hash-embedder';
import { LocalLexicalReranker } from '../../src/core/providers/local-reranker';
import type { RerankCandidate } from '../../src/core/providers/ports';
import { reciprocalRankFusion } from '../../src/query/fuse';
import { loadBeir, type BeirDataset } from '../beir';
import { Bm25Reference } from '../bm25-reference';
import { aggregate, mrrAtK, ndcgAtK, recallAtK } from '../metrics';

const DEPTH = 100;
const RERANK_DEPTH = 30;
/**
 * 1 is plain RRF. 0.2 is what suits the local-hash embedder: it is a weak,
 * IDF-less lexical vector, and at equal weight it drags BM25 down further
 * than the reranker can lift it back.
 */
const VECTOR_WEIGHTS = [1, 0.2];

export type Runs = Map<string, string[]>;

export interface RunSummary {
  name: string;
  ndcgAt10: number;
  recallAt100: number;
  mrrAt10: number;
}

export function summarize(name: string, runs: Runs, qrels: BeirDataset['qrels'], queryIds?: readonly string[]): RunSummary {
  const ids = queryIds ?? [...qrels.keys()];
  const per = (metric: (ranked: string[], judged: Map<string, number>) => number): number =>
    aggregate(ids.map((id) => metric(runs.get(id) ?? [], qrels.get(id) ?? new Map())));
  return {
    name,
    ndcgAt10: per((ranked, judged) => ndcgAtK(ranked, judged, 10)),
    recallAt100: per((ranked, judged) => recallAtK(ranked, judged, 100)),
    mrrAt10: per((ranked, judged) => mrrAtK(ranked, judged, 10)),
  };
}

function documentText(document: { title: string; text: string }): string {
  return document.title.length > 0 ? `${document.title} ${document.text}` : document.text;
}

export function bm25Runs(data: BeirDataset): Runs {
  const index = new Bm25Reference();
  for (const document of data.corpus.values()) index.add(document.id, documentText(document));
  const runs: Runs = new Map();
  for (const query of data.queries.values()) runs.set(query.id, index.search(query.text, DEPTH).map((hit) => hit.id));
  return runs;
}

export function vectorRuns(data: BeirDataset, embedder: LocalHashEmbedder): { runs: Runs; docsPerSecond: number } {
  const ids = [...data.corpus.keys()];
  const dimensions = embedder.dimensions;
  const matrix = new Float32Array(ids.length * dimensions);
  const started = performance.now();
  ids.forEach((id, row) => {
    const document = data.corpus.get(id);
    if (document !== undefined) matrix.set(embedder.embedOne(documentText(document)), row * dimensions);
  });
  const docsPerSecond = ids.length / ((performance.now() - started) / 1000);
  const runs: Runs = new Map();
  const scores = new Float32Array(ids.length);
  for (const query of data.queries.values()) {
    const vector = embedder.embedOne(query.text, 'query');
    for (let row = 0; row < ids.length; row++) {
      let dot = 0;
      const base = row * dimensions;
      for (let column = 0; column < dimensions; column++) dot += (matrix[base + column] ?? 0) * (vector[column] ?? 0);
      scores[row] = dot;
    }
    const order = ids.map((_, row) => row).sort((left, right) => (scores[right] ?? 0) - (scores[left] ?? 0) || left - right);
    runs.set(query.id, order.slice(0, DEPTH).map((row) => ids[row] ?? ''));
  }
  return { runs, docsPerSecond };
}

/** Fused lists keep their scores so the reranker can use them as priors. */
export function fusedRuns(first: Runs, second: Runs, weights = { bm25: 1, vector: 1 }): Map<string, { chunkId: string; score: number }[]> {
  const fused = new Map<string, { chunkId: string; score: number }[]>();
  for (const [queryId, bm25] of first) {
    const vector = second.get(queryId) ?? [];
    const lists = [
      { name: 'bm25', weight: weights.bm25, items: bm25.map((chunkId, index) => ({ chunkId, score: -index })) },
      { name: 'vector', weight: weights.vector, items: vector.map((chunkId, index) => ({ chunkId, score: -index })) },
    ];
    fused.set(queryId, reciprocalRankFusion(lists).slice(0, DEPTH));
  }
  return fused;
}

export async function rerankedRuns(
  data: BeirDataset,
  fused: Map<string, { chunkId: string; score: number }[]>,
  reranker: LocalLexicalReranker,
): Promise<Runs> {
  const runs: Runs = new Map();
  for (const [queryId, items] of fused) {
    const query = data.queries.get(queryId);
    if (query === undefined) continue;
    const head = items.slice(0, RERANK_DEPTH);
    const candidates: RerankCandidate[] = head.map(({ chunkId }) => {
      const document = data.corpus.get(chunkId);
      return { id: chunkId, title: document?.title ?? '', text: document?.text ?? '' };
    });
    const priors = new Map(head.map((item) => [item.chunkId, item.score]));
    const reranked = await reranker.rerank(query.text, candidates, { topK: RERANK_DEPTH, priors });
    runs.set(queryId, [...reranked.map((result) => result.id), ...items.slice(RERANK_DEPTH).map((item) => item.chunkId)]);
  }
  return runs;
}

function printTable(rows: readonly RunSummary[]): void {
  console.log('| run | nDCG@10 | Recall@100 | MRR@10 |');
  console.log('|---|---|---|---|');
  for (const row of rows) {
    console.log(`| ${row.name} | ${row.ndcgAt10.toFixed(4)} | ${row.recallAt100.toFixed(4)} | ${row.mrrAt10.toFixed(4)} |`);
  }
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? join(import.meta.dirname, '../../../shared/datasets/scifact');
  const split = process.argv[3] ?? 'train';
  const started = performance.now();
  const data = await loadBeir(dir, split);
  console.log(`${dir} (${split}): ${data.corpus.size} documents, ${data.queries.size} judged queries`);

  const bm25 = bm25Runs(data);
  const embedder = new LocalHashEmbedder();
  const vector = vectorRuns(data, embedder);
  const reranker = new LocalLexicalReranker();
  const rows = [summarize('bm25 (k1 0.9, b 0.4)', bm25, data.qrels), summarize(`vector (${embedder.fingerprint})`, vector.runs, data.qrels)];
  for (const vectorWeight of VECTOR_WEIGHTS) {
    const fused = fusedRuns(bm25, vector.runs, { bm25: 1, vector: vectorWeight });
    const hybrid: Runs = new Map([...fused].map(([queryId, items]) => [queryId, items.map((item) => item.chunkId)]));
    const label = `RRF(bm25 ×1, vector ×${vectorWeight})`;
    rows.push(summarize(`hybrid ${label}`, hybrid, data.qrels));
    rows.push(summarize(`hybrid ${label} + ${reranker.modelId} top ${RERANK_DEPTH}`, await rerankedRuns(data, fused, reranker), data.qrels));
  }
  printTable(rows);
  console.log(`local-hash embedding: ${Math.round(vector.docsPerSecond)} documents/s; total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
