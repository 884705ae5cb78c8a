import type { Corpus, IndexBuild } from '../src/core/db/schema';
import { AppError } from '../src/core/errors';
import type { JobQueue } from '../src/jobs/ports';
import { BACKFILL_JOB, backfillBuild } from './backfill';
import type { BuildStore } from './builds';
import { DEFAULT_CHUNKER, type ChunkerConfig } from './chunk';
import type { PipelineDeps } from './pipeline';

export interface GateReport extends Record<string, unknown> {
  passed: boolean;
  reasons: string[];
}

/** Decides whether a ready build may replace the active one (the canary gate). */
export type BuildGate = (build: IndexBuild) => Promise<GateReport>;

export class ReindexService {
  private gate: BuildGate | undefined;

  constructor(
    private readonly deps: PipelineDeps & { builds: BuildStore },
    private readonly queue: JobQueue,
    private readonly defaults: { embeddingModel: string; chunker: ChunkerConfig },
  ) {}

  /** The canary gate arrives after construction (it needs search, which needs builds). */
  setGate(gate: BuildGate): void {
    this.gate = gate;
  }

  registerHandlers(queue: JobQueue = this.queue): void {
    queue.register<{ buildId: string }>(BACKFILL_JOB, (data, context) => backfillBuild(this.deps, data.buildId, context, (build) => this.onReady(build)));
  }

  async start(corpus: Corpus, input: { embeddingModel?: string | undefined; chunker?: Partial<ChunkerConfig> | undefined }, requestId?: string) {
    const chunker = { ...DEFAULT_CHUNKER, ...this.defaults.chunker, ...input.chunker };
    if (chunker.overlapTokens >= chunker.targetTokens) throw new AppError('VALIDATION_FAILED', 'chunker.overlapTokens must be below targetTokens');
    const build = await this.deps.builds.create(corpus, { embeddingModel: input.embeddingModel ?? this.defaults.embeddingModel, chunker, status: 'building' });
    const jobId = await this.queue.enqueue(BACKFILL_JOB, { buildId: build.id }, { tenantId: corpus.tenantId, jobId: `backfill-${build.id}`, requestId });
    return { build, jobId };
  }

  /** Runs the gate on a freshly backfilled build; promotes it when the gate passes. */
  private async onReady(build: IndexBuild): Promise<void> {
    if (!this.gate) {
      await this.deps.builds.setStatus(build.id, 'ready', { canaryReport: { passed: false, reasons: ['no canary gate configured: promote manually'] } });
      return;
    }
    const report = await this.gate(build);
    await this.deps.builds.setStatus(build.id, 'ready', { canaryReport: report });
    if (report.passed) await this.deps.builds.promote(build.id, build.tenantId);
  }

  /** Promotion without force requires the gate's pass; force is the deliberate override. */
  async promote(buildId: string, tenantId: string, options: { force: boolean }): Promise<IndexBuild> {
    const build = await this.deps.builds.get(buildId, tenantId);
    if (!options.force && build.status === 'ready') {
      const report = build.canaryReport as GateReport | null;
      if (!report?.passed) {
        throw new AppError('BUILD_NOT_PROMOTABLE', `build ${buildId} did not pass the canary gate; use ?force=true to override`, {
          details: { report: report ?? null },
        });
      }
    }
    return this.deps.builds.promote(buildId, tenantId);
  }
}
