import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../core/db/client';
import type { SnapshotCounters } from '../../indexes/postgres/build-snapshots';
import type { CircuitBreaker, FallbackChain } from '../core/resilience';
import type { JobQueue } from '../jobs/ports';
import type { ProviderSemaphore } from './limits/concurrency';
import type { Metrics } from './metrics';

/** An index with an in-memory snapshot cache (CachedBm25Index, CachedVectorIndex). */
interface Cached {
  counters(): Readonly<SnapshotCounters>;
}

const CIRCUIT_VALUE = { closed: 0, 'half-open': 1, open: 2, none: 0 } as const;

/** Scrape-time gauges: read the live state instead of mirroring it on every change. */
export function registerGauges(
  metrics: Metrics,
  sources: {
    jobs: JobQueue;
    chain: FallbackChain;
    breakers: CircuitBreaker[];
    db: Db;
    providerSlots: ProviderSemaphore;
    lexical?: Cached;
    vectors?: Cached;
    /** The local neural model's inference pool, when loaded. */
    localModel?: { workerCounts: { queryLanes: number; documents: number } };
  },
): void {
  const caches = [
    { name: 'attest_bm25_cache_events', what: 'BM25', cache: sources.lexical },
    { name: 'attest_vector_cache_events', what: 'Vector', cache: sources.vectors },
  ];
  for (const { name, what, cache } of caches) {
    if (!cache) continue;
    metrics.gauge(name, `${what} searches answered from memory or SQL, and snapshot loads, since start`, ['event'], (gauge) => {
      const counters = cache.counters();
      gauge.set({ event: 'memory_hit' }, counters.memoryHits);
      gauge.set({ event: 'sql_fallback' }, counters.sqlFallbacks);
      gauge.set({ event: 'load' }, counters.loads);
      gauge.set({ event: 'load_failure' }, counters.loadFailures);
      gauge.set({ event: 'write_applied' }, counters.advances);
    });
  }
  const { localModel } = sources;
  if (localModel) {
    // A second query lane starts while questions wait and stops when idle: this shows when it runs.
    metrics.gauge('attest_local_model_workers', 'Worker threads running the local neural model, by role', ['role'], (gauge) => {
      const counts = localModel.workerCounts;
      gauge.set({ role: 'query_lane' }, counts.queryLanes);
      gauge.set({ role: 'document' }, counts.documents);
    });
  }
  metrics.gauge('attest_queue_depth', 'Jobs waiting or running', ['state'], async (gauge) => {
    const depth = await sources.jobs.depth().catch(() => undefined);
    if (!depth) return;
    gauge.set({ state: 'waiting' }, depth.waiting);
    gauge.set({ state: 'active' }, depth.active);
  });
  metrics.gauge('attest_queue_oldest_waiting_seconds', 'Age of the oldest waiting job', [], async (gauge) => {
    const depth = await sources.jobs.depth().catch(() => undefined);
    if (depth) gauge.set(depth.oldestWaitingAgeMs / 1000);
  });
  metrics.gauge('attest_circuit_state', 'Circuit breaker state per provider (0 closed, 1 half-open, 2 open)', ['provider'], (gauge) => {
    for (const breaker of sources.breakers) gauge.set({ provider: breaker.name }, CIRCUIT_VALUE[breaker.state]);
    for (const entry of sources.chain.providers) gauge.set({ provider: `generator:${entry.provider}` }, CIRCUIT_VALUE[entry.state]);
  });
  metrics.gauge('attest_provider_calls_inflight', 'Provider calls running and queued', ['state'], (gauge) => {
    gauge.set({ state: 'running' }, sources.providerSlots.active);
    gauge.set({ state: 'queued' }, sources.providerSlots.queued);
  });
  metrics.gauge('attest_canary_recall', 'Recall@k of the latest canary run per corpus', ['corpus'], async (gauge) => {
    const rows = await queryRows<{ corpus_id: string; recall_at_k: number | null }>(
      sources.db,
      sql`SELECT DISTINCT ON (corpus_id) corpus_id, recall_at_k FROM canary_runs ORDER BY corpus_id, created_at DESC`,
    ).catch(() => []);
    for (const row of rows) if (row.recall_at_k !== null) gauge.set({ corpus: row.corpus_id }, Number(row.recall_at_k));
  });
}
