import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../src/core/db/client';
import { alerts, canaryRuns, corpora, jobs, type Corpus, type IndexBuild } from '../../src/core/db/schema';
import { getCorpusById } from '../../src/core/corpora';
import { AppError } from '../../src/core/errors';
import type { SearchService } from '../../src/query/search-service';
import { ANALYZER_VERSION } from '../../indexes/analyzer';
import type { BuildStore } from '../../ingestion/builds';
import type { GateReport } from '../../ingestion/reindex';
import { deliveryJobId, type AlertDelivery } from './alert-delivery';
import { alertCauses, alertPayload, resolvedCauses, type AlertCause } from './alerts';
import { lastRun, listCanaries, runView } from './canary-store';
import { proposeCanaries } from './generate';
import { scoreCanary, summarize, type CanaryExpectation, type CanaryOutcome } from './score';

export interface CanarySettings {
  cron: string;
  timezone: string;
  threshold: number;
  dropDelta: number;
  webhooks: string[];
  /** Recall a new build may lose against the active one and still be promoted. */
  gateTolerance: number;
}

export interface CanaryServiceDeps {
  db: Db;
  search: SearchService;
  builds: BuildStore;
  delivery: AlertDelivery;
  defaults: CanarySettings;
  promptVersion: string;
}

export type RunTrigger = 'manual' | 'schedule' | 'build' | 'startup';

export class CanaryService {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: CanaryServiceDeps) {}

  settings(corpus: Corpus): CanarySettings {
    const own = (corpus.settings.canaries ?? {}) as Partial<CanarySettings>;
    return { ...this.deps.defaults, ...own };
  }

  async updateSettings(corpus: Corpus, patch: Partial<CanarySettings>): Promise<CanarySettings> {
    const own = { ...((corpus.settings.canaries ?? {}) as Partial<CanarySettings>), ...patch };
    await this.deps.db.update(corpora).set({ settings: { ...corpus.settings, canaries: own } }).where(eq(corpora.id, corpus.id));
    return { ...this.deps.defaults, ...own };
  }

  /** Scores a build (the active one by default) on the corpus's canaries; no storage, no alerts. */
  async evaluate(corpus: Corpus, build?: IndexBuild, useProposalsWhenEmpty = false): Promise<{ outcomes: CanaryOutcome[]; build: IndexBuild; latencyMs: number }> {
    const target = build ?? (await this.deps.builds.active(corpus));
    let rows: { id: string; query: string; k: number; expect: CanaryExpectation }[] = (await listCanaries(this.deps.db, corpus.id)).map((row) => ({
      id: row.id,
      query: row.query,
      k: row.k,
      expect: { documentId: row.expectDocumentId, chunkContains: row.expectChunkContains },
    }));
    if (rows.length === 0 && useProposalsWhenEmpty) {
      const active = await this.deps.builds.active(corpus);
      rows = (await proposeCanaries(this.deps.db, active, 20)).map((proposal, index) => ({ id: `proposed-${index}`, query: proposal.query, k: proposal.k, expect: proposal.expect }));
    }
    const started = performance.now();
    const outcomes: CanaryOutcome[] = [];
    for (const canary of rows) {
      const t0 = performance.now();
      const result = await this.deps.search.search(corpus, canary.query, { k: canary.k }, target);
      outcomes.push(scoreCanary(canary, result.results, performance.now() - t0));
    }
    return { outcomes, build: target, latencyMs: performance.now() - started };
  }

  /** A stored run: scores, records, raises or resolves alerts. One run per (corpus, tick) when tickKey is given. */
  /** Runs of one corpus are serialized in this process, so two overlapping ticks cannot both raise the same alert. */
  async run(corpusId: string, trigger: RunTrigger, tickKey?: string): Promise<ReturnType<typeof runView> | undefined> {
    const previous = this.running.get(corpusId) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(() => this.runNow(corpusId, trigger, tickKey));
    const settled = current.catch(() => undefined).finally(() => {
      if (this.running.get(corpusId) === settled) this.running.delete(corpusId);
    });
    this.running.set(corpusId, settled);
    return current;
  }

  private async runNow(corpusId: string, trigger: RunTrigger, tickKey?: string): Promise<ReturnType<typeof runView> | undefined> {
    const corpus = await getCorpusById(this.deps.db, corpusId);
    if (!corpus) return undefined;
    const previous = await lastRun(this.deps.db, corpus.id);
    const base = {
      tenantId: corpus.tenantId,
      corpusId: corpus.id,
      generation: corpus.generation,
      analyzerVersion: ANALYZER_VERSION,
      promptVersion: this.deps.promptVersion,
      trigger,
      tickKey: tickKey ?? null,
    };
    let values: typeof canaryRuns.$inferInsert;
    try {
      const { outcomes, build, latencyMs } = await this.evaluate(corpus);
      const summary = summarize(outcomes);
      values = {
        ...base,
        buildId: build.id,
        embeddingModelId: build.embeddingModelId,
        k: Math.max(10, ...outcomes.map((outcome) => outcome.k)),
        recallAtK: summary.total > 0 ? summary.recallAtK : null,
        mrr: summary.total > 0 ? summary.mrr : null,
        hits: summary.hits,
        total: summary.total,
        misses: summary.misses,
        latencyMs,
      };
    } catch (error) {
      values = { ...base, k: 10, failed: true, error: error instanceof Error ? error.message : String(error) };
    }
    const [row] = await this.deps.db.insert(canaryRuns).values(values).onConflictDoNothing().returning();
    // Another worker already ran this tick: exactly one run per tick.
    if (!row) return undefined;
    const alerted = await this.handleAlerts(corpus, row, previous);
    if (alerted) await this.deps.db.update(canaryRuns).set({ alerted: true }).where(eq(canaryRuns.id, row.id));
    return runView({ ...row, alerted });
  }

  private async handleAlerts(corpus: Corpus, run: typeof canaryRuns.$inferSelect, previous: typeof canaryRuns.$inferSelect | undefined): Promise<boolean> {
    const settings = this.settings(corpus);
    const raised = alertCauses(run, previous, settings);
    const open = await this.deps.db.select().from(alerts).where(and(eq(alerts.corpusId, corpus.id), eq(alerts.status, 'open')));
    const message = (cause: AlertCause) => ({
      corpus: { id: corpus.id, name: corpus.name },
      buildId: run.buildId,
      cause,
      recallAtK: run.recallAtK,
      previous: previous?.recallAtK ?? null,
      threshold: settings.threshold,
      misses: (run.misses as CanaryOutcome[]).map(({ query, got }) => ({ query, got })),
      runId: run.id,
      error: run.error,
    });
    // One open alert per corpus and cause until a run recovers; one webhook per run, naming every new cause.
    const fresh = raised.filter((cause) => !open.some((alert) => alert.cause === cause));
    let alerted = false;
    for (const [index, cause] of fresh.entries()) {
      const payload = { ...alertPayload(message(cause), 'alert'), causes: fresh };
      const [alert] = await this.deps.db.insert(alerts).values({ tenantId: corpus.tenantId, corpusId: corpus.id, cause, runId: run.id, payload }).returning();
      if (alert && index === 0) {
        await this.deps.delivery.enqueue(alert.id, corpus.tenantId, settings.webhooks, 'alert');
        alerted = true;
      }
    }
    // Only a healthy run (no cause at all) recovers: a run that stops dropping but stays low has not.
    if (!run.failed && raised.length === 0) {
      const recovered = resolvedCauses(open.map((alert) => alert.cause as AlertCause), raised);
      for (const [index, cause] of recovered.entries()) {
        for (const alert of open.filter((item) => item.cause === cause)) {
          const recovery = alertPayload(message(cause), 'recovery');
          await this.deps.db
            .update(alerts)
            .set({ status: 'resolved', resolvedAt: new Date(), payload: { ...alert.payload, recovery } })
            .where(eq(alerts.id, alert.id));
          if (index === 0) await this.deps.delivery.enqueue(alert.id, corpus.tenantId, settings.webhooks, 'recovery');
        }
      }
    }
    return alerted;
  }

  /**
   * The recovery sweep's part for alerts: an open, undelivered alert whose delivery jobs were never queued (the
   * process died between the alert's insert and the enqueue, or the queue refused it) gets them now, to the
   * corpus's current webhooks. Only the first alert of a run carries its run's webhook (see handleAlerts), and
   * only alerts older than `graceMs`, so that one being raised right now is left to its own enqueue.
   * Returns how many alerts got deliveries.
   */
  async deliverStrandedAlerts(graceMs = 60_000): Promise<number> {
    const rows = await this.deps.db
      .select({ alert: alerts, corpus: corpora })
      .from(alerts)
      .innerJoin(corpora, eq(corpora.id, alerts.corpusId))
      .where(and(eq(alerts.status, 'open'), eq(alerts.delivered, false), lt(alerts.createdAt, new Date(Date.now() - graceMs))));
    let count = 0;
    for (const { alert, corpus } of rows) {
      const causes = alert.payload.causes;
      if (!Array.isArray(causes) || causes[0] !== alert.cause) continue;
      const urls = this.settings(corpus).webhooks;
      if (urls.length === 0) continue;
      const ids = urls.map((url) => deliveryJobId(alert.id, url, 'alert'));
      const known = new Set((await this.deps.db.select({ id: jobs.id }).from(jobs).where(inArray(jobs.id, ids))).map((row) => row.id));
      const missing = urls.filter((url, index) => !known.has(ids[index] ?? ''));
      if (missing.length === 0) continue;
      await this.deps.delivery.enqueue(alert.id, alert.tenantId, missing, 'alert');
      count += 1;
    }
    return count;
  }

  async openAlerts(corpusId: string) {
    return this.deps.db
      .select()
      .from(alerts)
      .where(and(eq(alerts.corpusId, corpusId), eq(alerts.status, 'open')))
      .orderBy(sql`${alerts.createdAt} desc`);
  }

  /**
   * The promotion gate: the candidate's recall@k must be at least the active
   * build's minus the tolerance, and its chunk count within 10% of the active's.
   * Without stored canaries, proposals generated from the corpus stand in.
   */
  async gate(build: IndexBuild): Promise<GateReport> {
    const corpus = await getCorpusById(this.deps.db, build.corpusId);
    if (!corpus) throw new AppError('CORPUS_NOT_FOUND', `corpus of build ${build.id} is gone`);
    const active = await this.deps.builds.activeOf(corpus.id);
    if (!active || active.id === build.id) return { passed: true, reasons: ['no other active build'] };
    const settings = this.settings(corpus);
    const candidate = summarize((await this.evaluate(corpus, build, true)).outcomes);
    const baseline = summarize((await this.evaluate(corpus, active, true)).outcomes);
    const reasons: string[] = [];
    if (candidate.total === 0) reasons.push('no canaries to score the build with');
    if (candidate.recallAtK < baseline.recallAtK - settings.gateTolerance) {
      reasons.push(`recall@k ${candidate.recallAtK.toFixed(3)} is below the active build's ${baseline.recallAtK.toFixed(3)} minus tolerance ${settings.gateTolerance}`);
    }
    const chunks = (await this.deps.builds.refreshStats(build.id, build.stats.failures)).chunks;
    const activeChunks = (await this.deps.builds.refreshStats(active.id, active.stats.failures)).chunks;
    if (activeChunks > 0 && Math.abs(chunks - activeChunks) > activeChunks * 0.1) {
      reasons.push(`chunk count ${chunks} differs from the active build's ${activeChunks} by more than 10%`);
    }
    return {
      passed: reasons.length === 0,
      reasons,
      candidate: { recallAtK: candidate.recallAtK, mrr: candidate.mrr, total: candidate.total, misses: candidate.misses.length, chunks },
      active: { buildId: active.id, recallAtK: baseline.recallAtK, mrr: baseline.mrr, chunks: activeChunks },
    };
  }
}
