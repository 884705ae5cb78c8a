import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AnswerBody } from '../query/answer-service';

/** Prometheus series of the service; one registry per app so tests can build several. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'attest_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly stageDuration = new Histogram({
    name: 'attest_answer_stage_duration_seconds',
    help: 'Latency of each stage of the answer pipeline',
    labelNames: ['stage'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly tokens = new Counter({ name: 'attest_tokens_total', help: 'Provider tokens by tenant, model and kind', labelNames: ['tenant', 'model', 'kind'] as const, registers: [this.registry] });
  readonly cost = new Counter({ name: 'attest_cost_usd_total', help: 'Estimated provider cost in USD', labelNames: ['tenant', 'model'] as const, registers: [this.registry] });
  readonly cacheEvents = new Counter({ name: 'attest_cache_events_total', help: 'Cache hits and misses per cache', labelNames: ['cache', 'result'] as const, registers: [this.registry] });
  readonly deferredWrites = new Counter({
    name: 'attest_deferred_write_errors_total',
    help: 'Batched writes (answer traces, token usage) that failed: result=retry counts failures whose records are kept for a retry (store down), result=dropped counts records given up',
    labelNames: ['table', 'result'] as const,
    registers: [this.registry],
  });
  readonly recoveries = new Counter({
    name: 'attest_recoveries_total',
    help: 'Things the recovery sweep finished or re-queued (task=deletes, uploads, alerts, temporary-originals); task=<name>_error counts failed passes',
    labelNames: ['task'] as const,
    registers: [this.registry],
  });
  readonly answers = new Counter({ name: 'attest_answers_total', help: 'Answers by outcome', labelNames: ['outcome'] as const, registers: [this.registry] });
  readonly unsupported = new Counter({ name: 'attest_unsupported_sentences_total', help: 'Generated sentences removed by citation verification', registers: [this.registry] });
  readonly citations = new Counter({ name: 'attest_citations_total', help: 'Verified citations in answers', registers: [this.registry] });
  readonly unpricedAnswers = new Counter({ name: 'attest_unpriced_answers_total', help: 'Answers from a model the price table does not know (recorded at cost 0; see MODEL_PRICES_JSON)', labelNames: ['model'] as const, registers: [this.registry] });
  readonly providerErrors = new Counter({ name: 'attest_provider_errors_total', help: 'Provider call failures', labelNames: ['provider', 'code'] as const, registers: [this.registry] });
  readonly rateLimited = new Counter({ name: 'attest_rate_limited_total', help: 'Requests refused by limits', labelNames: ['class', 'code'] as const, registers: [this.registry] });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) {
      collectDefaultMetrics({ register: this.registry, prefix: 'attest_' });
      watchRetainedHeap(this.registry);
    }
  }

  /**
   * Gauges read at scrape time (queue depth, circuit state, canary recall). Registering a name again replaces
   * the gauge: an app built twice over one container (tests, the API fuzzer) reports its latest routes' state.
   */
  gauge(name: string, help: string, labelNames: string[], collect: (gauge: Gauge<string>) => Promise<void> | void): void {
    this.registry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect(this);
      },
    });
  }

  recordAnswer(tenantId: string, body: AnswerBody & { removedCount?: number }): void {
    const outcome = body.refused ? 'refused' : body.degraded ? 'degraded' : 'answered';
    this.answers.inc({ outcome });
    this.cacheEvents.inc({ cache: 'answer', result: body.cached ? 'hit' : 'miss' });
    this.citations.inc(body.citations.length);
    if (body.removedCount) this.unsupported.inc(body.removedCount);
    if (!body.cached) {
      for (const stage of ['retrieve', 'rerank', 'assemble', 'generate', 'verify'] as const) {
        this.stageDuration.observe({ stage }, body.timings[`${stage}Ms`] / 1000);
      }
      const model = body.usage.model;
      this.tokens.inc({ tenant: tenantId, model, kind: 'input' }, body.usage.inputTokens);
      this.tokens.inc({ tenant: tenantId, model, kind: 'output' }, body.usage.outputTokens);
      this.tokens.inc({ tenant: tenantId, model, kind: 'cached' }, body.usage.cachedTokens);
      this.tokens.inc({ tenant: tenantId, model, kind: 'cache_write' }, body.usage.cacheWriteTokens);
      this.cost.inc({ tenant: tenantId, model }, body.usage.costUsd);
    }
  }
}

// V8 spaces that hold objects until a full GC; the young generation's only until the next scavenge.
const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);
let retainedAfterFullGc = 0;
let gcObserver: PerformanceObserver | undefined;

/**
 * The old generation's size just after the latest full (mark-compact) GC: what the process keeps, without the
 * garbage that a heap sample at scrape time also counts. A leak raises it. RSS and the committed heap do not
 * tell: under steady load they follow V8's sizing of the heap after each full GC and move by 50-100 MB from
 * minute to minute (npm run bench -- soak). The observer's callback runs just after the GC, so it reads the
 * old spaces before much is promoted into them. One observer per process, however many registries read it.
 */
function watchRetainedHeap(registry: Registry): void {
  if (!gcObserver) {
    gcObserver = new PerformanceObserver((list) => {
      const full = list.getEntries().some((entry) => (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
      if (!full) return;
      let retained = 0;
      for (const space of getHeapSpaceStatistics()) if (!YOUNG_SPACES.has(space.space_name)) retained += space.space_used_size;
      retainedAfterFullGc = retained;
    });
    gcObserver.observe({ entryTypes: ['gc'] });
  }
  new Gauge({
    name: 'attest_nodejs_heap_retained_after_full_gc_bytes',
    help: 'V8 old-generation bytes in use just after the latest full (mark-compact) GC: the leak signal (0 before the first)',
    registers: [registry],
    collect() {
      this.set(retainedAfterFullGc);
    },
  });
}
