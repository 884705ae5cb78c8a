import { writeFileSync } from 'node:fs';
import { loadBeir } from './beir';
import { openHarness, ingestTexts } from './harness';
import { aggregate, mrrAtK, ndcgAtK, recallAtK } from './metrics';
import type { RetrieveOptions } from '../src/query/retrieve';

export const RETRIEVERS = ['bm25', 'vector', 'hybrid', 'hybrid+rerank'] as const;
export type RetrieverName = (typeof RETRIEVERS)[number];

export interface RetrievalRow {
  retriever: RetrieverName;
  ndcg10: number;
  recall100: number;
  mrr10: number;
  p50Ms: number;
}

export interface RetrievalReport {
  dataset: string;
  split: string;
  queries: number;
  documents: number;
  chunks: number;
  ingestSeconds: number;
  rows: RetrievalRow[];
  /** The build's embedding model (local-hash, or the neural model when MODELS_DIR has it). */
  embeddingModel: string;
  /** --sweep: hybrid and hybrid+rerank under other fusion settings, on the same ingest. */
  sweep: SweepRow[];
  /** p50/p95 of the query embedding alone (ms), one query at a time. */
  queryEmbedMs: { p50: number; p95: number };
}

export interface SweepRow {
  vectorWeight: number;
  rerankCandidates: number;
  rrfK: number;
  hybrid: number;
  hybridRerank: number;
}

export interface SweepOptions {
  vectorWeights: number[];
  rerankCandidates: number[];
  rrfKs: number[];
}

export interface RetrievalEvalOptions {
  beir: string;
  split: string;
  k: number;
  databaseUrl?: string | undefined;
  sampleQueries?: number | undefined;
  /** Keeps every document judged for the sampled queries, plus others up to this many (a faster, harder-to-game subset). */
  maxDocuments?: number | undefined;
  log?: (line: string) => void;
  sweep?: SweepOptions | undefined;
}

/** The judged documents of the queries first, then the rest in corpus order, up to `max`. */
export function selectDocuments<T extends { id: string }>(corpus: readonly T[], judged: ReadonlySet<string>, max: number | undefined): T[] {
  if (!max || max >= corpus.length) return [...corpus];
  const kept = corpus.filter((document) => judged.has(document.id));
  for (const document of corpus) {
    if (kept.length >= max) break;
    if (!judged.has(document.id)) kept.push(document);
  }
  return kept;
}

/** Keeps each document's best rank: a document scores as its best chunk. */
export function documentRanking(chunkDocumentIds: readonly string[]): string[] {
  const seen = new Set<string>();
  const ranking: string[] = [];
  for (const id of chunkDocumentIds) {
    if (seen.has(id)) continue;
    seen.add(id);
    ranking.push(id);
  }
  return ranking;
}

/** Every k-th query, so a sample is spread over the whole file and reproducible. */
export function sampleEvenly<T>(items: readonly T[], size: number | undefined): T[] {
  if (!size || size >= items.length) return [...items];
  const step = items.length / size;
  return Array.from({ length: size }, (_unused, index) => items[Math.floor(index * step)]!);
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runRetrievalEval(options: RetrievalEvalOptions): Promise<RetrievalReport> {
  const log = options.log ?? (() => undefined);
  const dataset = await loadBeir(options.beir, options.split);
  const harness = await openHarness({ databaseUrl: options.databaseUrl });
  try {
    const started = performance.now();
    const queries = sampleEvenly([...dataset.queries.values()], options.sampleQueries);
    const judged = new Set(queries.flatMap((query) => [...(dataset.qrels.get(query.id)?.keys() ?? [])]));
    const documents = selectDocuments([...dataset.corpus.values()], judged, options.maxDocuments);
    log(`ingesting ${documents.length} documents through the pipeline…`);
    const externalOf = await ingestTexts(
      harness,
      documents.map((document) => ({ externalId: document.id, title: document.title, text: document.text })),
      (count) => log(`  uploaded ${count}`),
    );
    const ingestSeconds = (performance.now() - started) / 1000;
    const build = await harness.container.services.builds.active(harness.corpus);
    const stats = await harness.container.services.builds.refreshStats(build.id);
    log(`ingested ${stats.documents} documents, ${stats.chunks} chunks in ${ingestSeconds.toFixed(1)} s`);

    const rows: RetrievalRow[] = [];
    // Enough chunks to fill 100 distinct documents for Recall@100.
    const depth: Partial<RetrieveOptions> = { candidates: 200, k: 200 };
    for (const retriever of RETRIEVERS) {
      const ndcg: number[] = [];
      const recall: number[] = [];
      const mrr: number[] = [];
      const latencies: number[] = [];
      for (const query of queries) {
        const judged = dataset.qrels.get(query.id) ?? new Map<string, number>();
        const result = await harness.container.services.search.search(harness.corpus, query.text, { ...depth, mode: retriever }, build);
        latencies.push(result.timings.totalMs);
        const ranking = documentRanking(result.results.map((item) => externalOf.get(item.documentId) ?? item.documentId));
        ndcg.push(ndcgAtK(ranking, judged, options.k));
        recall.push(recallAtK(ranking, judged, 100));
        mrr.push(mrrAtK(ranking, judged, options.k));
      }
      rows.push({ retriever, ndcg10: aggregate(ndcg), recall100: aggregate(recall), mrr10: aggregate(mrr), p50Ms: percentile(latencies, 50) });
      log(`  ${retriever} done`);
    }
    const embedder = harness.container.registry.provider(build.embeddingModelId);
    const embedMs: number[] = [];
    for (const query of queries) {
      const startedAt = performance.now();
      await embedder.embed([query.text], { inputType: 'query' });
      embedMs.push(performance.now() - startedAt);
    }
    const sweep: SweepRow[] = [];
    for (const vectorWeight of options.sweep?.vectorWeights ?? []) {
      for (const rerankCandidates of options.sweep?.rerankCandidates ?? []) {
        for (const rrfK of options.sweep?.rrfKs ?? []) {
          const scores = { hybrid: [] as number[], 'hybrid+rerank': [] as number[] };
          for (const mode of ['hybrid', 'hybrid+rerank'] as const) {
            if (mode === 'hybrid' && rerankCandidates !== options.sweep?.rerankCandidates[0]) continue;
            for (const query of queries) {
              const judged = dataset.qrels.get(query.id) ?? new Map<string, number>();
              const settings = { ...depth, mode, weights: { bm25: 1, vector: vectorWeight }, rerankCandidates, rrfK };
              const result = await harness.container.services.search.search(harness.corpus, query.text, settings, build);
              scores[mode].push(ndcgAtK(documentRanking(result.results.map((item) => externalOf.get(item.documentId) ?? item.documentId)), judged, options.k));
            }
          }
          const row = { vectorWeight, rerankCandidates, rrfK, hybrid: scores.hybrid.length ? aggregate(scores.hybrid) : Number.NaN, hybridRerank: aggregate(scores['hybrid+rerank']) };
          sweep.push(row);
          log(`  sweep vector ${vectorWeight} rerank ${rerankCandidates} rrfK ${rrfK}: hybrid ${row.hybrid.toFixed(4)} hybrid+rerank ${row.hybridRerank.toFixed(4)}`);
        }
      }
    }
    return {
      embeddingModel: build.embeddingModelId,
      sweep,
      queryEmbedMs: { p50: percentile(embedMs, 50), p95: percentile(embedMs, 95) },
      dataset: options.beir.replace(/\/+$/, '').split('/').pop() ?? options.beir,
      split: options.split,
      queries: queries.length,
      documents: stats.documents,
      chunks: stats.chunks,
      ingestSeconds,
      rows,
    };
  } finally {
    await harness.close();
  }
}

export function formatRetrievalTable(report: RetrievalReport): string {
  const header = `${report.dataset} (${report.split}, ${report.queries} queries, ${report.documents} docs, ${report.chunks} chunks, ${report.embeddingModel}, ingest ${report.ingestSeconds.toFixed(1)} s, query embedding p50 ${report.queryEmbedMs.p50.toFixed(1)} ms p95 ${report.queryEmbedMs.p95.toFixed(1)} ms)`;
  const lines = [header, 'retriever       nDCG@10  Recall@100  MRR@10   p50 ms', '-------------   -------  ----------  ------   ------'];
  for (const row of report.rows) {
    lines.push(`${row.retriever.padEnd(14)}  ${row.ndcg10.toFixed(4)}   ${row.recall100.toFixed(4)}      ${row.mrr10.toFixed(4)}   ${row.p50Ms.toFixed(1)}`);
  }
  if (report.sweep.length > 0) {
    lines.push('', 'sweep: vector weight  rerank candidates  rrfK   hybrid   hybrid+rerank');
    for (const row of report.sweep) {
      lines.push(`       ${String(row.vectorWeight).padEnd(13)}  ${String(row.rerankCandidates).padEnd(17)}  ${String(row.rrfK).padEnd(4)}   ${Number.isNaN(row.hybrid) ? '  -   ' : row.hybrid.toFixed(4)}   ${row.hybridRerank.toFixed(4)}`);
    }
  }
  return lines.join('\n');
}

export function writeRetrievalJson(file: string, report: RetrievalReport): void {
  const { dataset, split, queries, rows } = report;
  writeFileSync(
    file,
    JSON.stringify({ dataset, split, queries, rows: rows.map(({ retriever, ndcg10, recall100, mrr10 }) => ({ retriever, ndcg10, recall100, mrr10 })) }, null, 2),
  );
}
