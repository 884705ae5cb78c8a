import { isStoreUnavailable } from './db/store-errors';

export interface WriteBatcherOptions<T> {
  /** Writes one batch (one statement, ideally). A rejection keeps the batch for a retry only when the store is unavailable. */
  write(items: T[]): Promise<void>;
  /** How long the first item waits for others to join its batch. */
  delayMs: number;
  /** A batch this big is written at once, without waiting out the delay. */
  maxBatch: number;
  /** Items held while the store is down; past it the oldest are dropped (and reported). */
  maxPending: number;
  /** Wait before writing again after a failed write. */
  retryDelayMs: number;
  /** A failed write: `dropped` items were given up (0 when all are kept for the retry). */
  onError?(error: unknown, dropped: number): void;
}

/**
 * Collects records that need not be written before a response is sent (answer
 * traces, token usage) and writes them in batches, one statement per batch.
 *
 * Why: each was its own INSERT in every answer's response time. On PGlite the
 * engine runs on the API thread, about 1.5 ms per statement; on PostgreSQL a
 * round trip and a pooled connection each. Batched, under load N answers cost
 * one statement, and none waits for it.
 *
 * What it gives up: a record is in memory for up to `delayMs` (longer while the
 * store is down, up to `maxPending` records) before it is durable, so a crash
 * in that window loses it; callers that must read their own writes call
 * `flush()` first. A write failing for any reason but an unavailable store
 * (a constraint, a bad value) drops its batch rather than retrying it forever.
 */
export class WriteBatcher<T> {
  private pending: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  /** The drain in progress: drains run one at a time, in order. */
  private draining: Promise<void> = Promise.resolve();
  private droppedCount = 0;
  /** After a failed write, timed writes wait until then (an explicit flush does not). */
  private retryNotBefore = 0;

  constructor(private readonly options: WriteBatcherOptions<T>) {}

  add(item: T): void {
    this.pending.push(item);
    this.trim();
    this.schedule(this.pending.length >= this.options.maxBatch ? 0 : this.options.delayMs);
  }

  /** Writes everything pending now; rejects when a write fails (the batch is then kept or dropped as above). */
  flush(): Promise<void> {
    this.cancelTimer();
    return this.drain();
  }

  /** Records not yet written. */
  items(): readonly T[] {
    return this.pending;
  }

  /** Records given up since start (store down past maxPending, or a write that cannot succeed). */
  get dropped(): number {
    return this.droppedCount;
  }

  private drain(): Promise<void> {
    const run = this.draining.catch(() => undefined).then(() => this.writeAll());
    this.draining = run;
    return run;
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.maxBatch);
      try {
        await this.options.write(batch);
        this.retryNotBefore = 0;
      } catch (error) {
        if (isStoreUnavailable(error)) {
          this.retryNotBefore = Date.now() + this.options.retryDelayMs;
          // Back in front, in order, behind nothing newer: the retry writes them first.
          this.pending.unshift(...batch);
          const before = this.droppedCount;
          this.trim();
          this.options.onError?.(error, this.droppedCount - before);
          this.schedule(this.options.retryDelayMs);
        } else {
          this.droppedCount += batch.length;
          this.options.onError?.(error, batch.length);
        }
        throw error;
      }
    }
  }

  private trim(): void {
    const excess = this.pending.length - this.options.maxPending;
    if (excess <= 0) return;
    this.pending.splice(0, excess);
    this.droppedCount += excess;
  }

  private schedule(requestedMs: number): void {
    const now = Date.now();
    // New records during an outage do not bring the next attempt forward.
    const delayMs = Math.max(requestedMs, this.retryNotBefore - now);
    const due = now + delayMs;
    if (this.timer !== undefined && this.timerDue <= due) return;
    this.cancelTimer();
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Number.POSITIVE_INFINITY;
      // The failure is reported through onError and the batch rescheduled or dropped there.
      this.drain().catch(() => undefined);
    }, delayMs);
    // Pending records never keep a process alive by themselves: close() flushes them.
    this.timer.unref();
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
  }
}
