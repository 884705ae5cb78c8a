import type { Queue } from 'bullmq';
import type { ScheduleSpec, Scheduler } from './ports';

/**
 * BullMQ job schedulers: Redis holds the schedule, so however many workers run,
 * each tick produces exactly one job, and a tick missed while every process was
 * down runs once when a worker returns (its delayed job is simply overdue).
 */
export class BullmqScheduler implements Scheduler {
  constructor(private readonly queue: Queue) {}

  async upsert(spec: ScheduleSpec): Promise<void> {
    await this.queue.upsertJobScheduler(
      spec.id,
      { pattern: spec.cron, tz: spec.timezone },
      { name: spec.jobName, data: { name: spec.jobName, data: spec.data }, opts: { attempts: 1 } },
    );
  }

  async remove(id: string): Promise<void> {
    await this.queue.removeJobScheduler(id);
  }

  async close(): Promise<void> {}
}
