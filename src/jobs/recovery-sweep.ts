/**
 * The recovery sweep: finishes what a crash, an outage or a lost message left half done, at start and then every
 * interval (deletes stopped between their steps, uploads without a live job, alerts whose delivery was never
 * queued). Each task is idempotent and finds its own work in the database; a failing task does not stop the others.
 */
export interface SweepTask {
  name: string;
  /** Returns how many things it repaired. */
  run(): Promise<number>;
}

export interface RecoverySweepOptions {
  intervalMs: number;
  /** Run once before the periodic tasks at start only (e.g. temporary files no live request can own yet). */
  atStart?: SweepTask[];
  onError?(task: string, error: unknown): void;
  onRepaired?(task: string, count: number): void;
}

export class RecoverySweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Record<string, number>> | undefined;

  constructor(
    private readonly tasks: SweepTask[],
    private readonly options: RecoverySweepOptions,
  ) {}

  /** The start-up pass: the start-only tasks, then every periodic one. */
  async runAtStart(): Promise<Record<string, number>> {
    const counts = await this.runTasks(this.options.atStart ?? []);
    return { ...counts, ...(await this.runOnce()) };
  }

  /** One pass over the periodic tasks; a pass already running is joined, never doubled. */
  runOnce(): Promise<Record<string, number>> {
    this.running ??= this.runTasks(this.tasks).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runTasks(tasks: SweepTask[]): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const task of tasks) {
      try {
        counts[task.name] = await task.run();
        if (counts[task.name]) this.options.onRepaired?.(task.name, counts[task.name] ?? 0);
      } catch (error) {
        this.options.onError?.(task.name, error);
      }
    }
    return counts;
  }

  /** Starts the periodic passes (none when the interval is 0). */
  start(): void {
    if (this.timer || this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
