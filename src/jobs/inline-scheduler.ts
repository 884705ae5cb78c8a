import { Cron } from 'croner';
import type { JobQueue, ScheduleSpec, Scheduler } from './ports';

/**
 * In-process cron (croner) for the embedded default: each tick enqueues the job
 * with a job id derived from the tick time, so a tick yields one job even if it
 * is enqueued twice.
 */
export class InlineScheduler implements Scheduler {
  private readonly crons = new Map<string, Cron>();

  constructor(private readonly queue: JobQueue) {}

  async upsert(spec: ScheduleSpec): Promise<void> {
    this.crons.get(spec.id)?.stop();
    const cron = new Cron(spec.cron, { timezone: spec.timezone, protect: true }, async (self: Cron) => {
      const tick = self.currentRun() ?? new Date();
      await this.queue
        .enqueue(spec.jobName, spec.data, { jobId: tickJobId(spec.id, tick), maxAttempts: 1 })
        .catch(() => undefined);
    });
    this.crons.set(spec.id, cron);
  }

  async remove(id: string): Promise<void> {
    this.crons.get(id)?.stop();
    this.crons.delete(id);
  }

  async close(): Promise<void> {
    for (const cron of this.crons.values()) cron.stop();
    this.crons.clear();
  }
}

export function tickJobId(scheduleId: string, tick: Date): string {
  const rounded = new Date(Math.floor(tick.getTime() / 1000) * 1000);
  return `${scheduleId}@${rounded.toISOString()}`;
}

/** The most recent tick at or before `now`, or undefined for a pattern that never fired. */
export function previousTick(cron: string, timezone: string, now: Date = new Date()): Date | undefined {
  const pattern = new Cron(cron, { timezone, paused: true });
  try {
    return pattern.previousRuns(1, now)[0];
  } finally {
    pattern.stop();
  }
}
