import { and, eq, gte } from 'drizzle-orm';
import type { Db } from '../../src/core/db/client';
import { canaryRuns, corpora, type Corpus } from '../../src/core/db/schema';
import { previousTick, tickJobId } from '../../src/jobs/inline-scheduler';
import type { JobQueue, Scheduler } from '../../src/jobs/ports';
import type { CanaryService } from './canary-service';

export const CANARY_RUN_JOB = 'canary-run';

export function scheduleId(corpusId: string): string {
  return `canary-${corpusId}`;
}

/** Keeps one schedule per corpus in the scheduler and runs the canary job on each tick. */
export class CanarySchedules {
  constructor(
    private readonly db: Db,
    private readonly scheduler: Scheduler,
    private readonly canaries: CanaryService,
  ) {}

  registerHandlers(queue: JobQueue): void {
    queue.register<{ corpusId: string }>(CANARY_RUN_JOB, async (data, context) => {
      const run = await this.canaries.run(data.corpusId, 'schedule', context.jobId);
      return run ? { runId: run.id, recallAtK: run.recallAtK } : { skipped: 'tick already ran or corpus gone' };
    });
  }

  async upsert(corpus: Corpus): Promise<void> {
    const settings = this.canaries.settings(corpus);
    await this.scheduler.upsert({ id: scheduleId(corpus.id), cron: settings.cron, timezone: settings.timezone, jobName: CANARY_RUN_JOB, data: { corpusId: corpus.id } });
  }

  async syncAll(): Promise<void> {
    for (const corpus of await this.db.select().from(corpora)) await this.upsert(corpus);
  }

  /**
   * For the in-process scheduler: a tick that passed while the process was down
   * runs once at start (the latest one only, not once per missed tick).
   */
  async runMissedTicks(now: Date = new Date()): Promise<number> {
    let ran = 0;
    for (const corpus of await this.db.select().from(corpora)) {
      const settings = this.canaries.settings(corpus);
      const tick = previousTick(settings.cron, settings.timezone, now);
      if (!tick || corpus.createdAt > tick) continue;
      const since = await this.db
        .select({ id: canaryRuns.id })
        .from(canaryRuns)
        .where(and(eq(canaryRuns.corpusId, corpus.id), eq(canaryRuns.trigger, 'schedule'), gte(canaryRuns.createdAt, tick)))
        .limit(1);
      if (since.length > 0) continue;
      if (await this.canaries.run(corpus.id, 'schedule', tickJobId(scheduleId(corpus.id), tick))) ran += 1;
    }
    return ran;
  }
}
