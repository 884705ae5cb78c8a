/**
 * How many answers one process admits at once, adapted to what it can do (AIMD, as TCP does for its window).
 *
 * A fixed cap is wrong both ways: how many answers fit depends on how long the provider takes (waiting costs
 * nothing) and on how much CPU each answer's own work takes (retrieval, assembly, verification, the SDK). Too
 * high and a saturated process queues every answer's own work behind everyone else's: at 200 clients on
 * Postgres the cap of 64 made the service's own time per answer 340 ms at the median and 1.3 s at p99
 * (npm run bench -- load). So the limit follows the signal that matters to callers: each admitted answer's
 * service overhead, its time in this process minus the provider's. While a window's median overhead is over the
 * target the limit shrinks by a factor; while answers meet it and the limit was reached, it grows: by half
 * while well under the target, by a tenth near it (doubling before the first cut, from a low `initial`).
 * Admissions are also paced (see admit).
 *
 * Answers admitted before the last cut finish about one provider latency later and still carry the old
 * queue, so they are not counted against the new limit (else one overload would cut it to the floor).
 * Pure: the caller passes the clock.
 */
export interface AdaptiveLimitOptions {
  /** The most the limit grows to. */
  max: number;
  /** Where it starts (default `max`). Until the first cut it doubles per good window (slow start, as TCP does). */
  initial?: number;
  /** The least it shrinks to: some answers are slow on their own (a large corpus), not from queueing. */
  min: number;
  /**
   * The median service overhead (ms) the limit aims to keep answers under. The median, not a high percentile:
   * on a shared machine a few answers of any window are slow for reasons no limit changes (a GC pause, a
   * neighbour's burst), and judging by p90 cut a process at 30 clients, half idle, to half its answers/s.
   * Queueing moves the median: at 200 clients without a limit it was 340 ms.
   */
  targetMs: number;
  /** How often (ms) the limit is reconsidered. */
  windowMs?: number;
  /** Share of the limit kept at a cut. */
  decrease?: number;
  /** Fewest answers in a window to judge it by. */
  minSamples?: number;
}

export interface AdaptiveLimitState {
  limit: number;
  cuts: number;
  raises: number;
}

export class AdaptiveLimit {
  private current: number;
  private readonly windowMs: number;
  private readonly decrease: number;
  private readonly minSamples: number;
  private windowStart: number | undefined;
  private samples: number[] = [];
  private saturated = false;
  private lastCutAt = Number.NEGATIVE_INFINITY;
  private cuts = 0;
  private raises = 0;
  // Pacing: admissions refill at limit / (mean answer duration) per ms, up to a small burst.
  private meanDurationMs: number | undefined;
  private tokens = 0;
  private refilledAt: number | undefined;

  constructor(private readonly options: AdaptiveLimitOptions) {
    if (options.min < 1 || options.max < options.min) throw new RangeError(`adaptive limit: need 1 <= min (${options.min}) <= max (${options.max})`);
    this.current = Math.min(options.max, Math.max(options.min, options.initial ?? options.max));
    this.windowMs = options.windowMs ?? 250;
    this.decrease = options.decrease ?? 0.75;
    this.minSamples = options.minSamples ?? 5;
  }

  get limit(): number {
    return this.current;
  }

  state(): AdaptiveLimitState {
    return { limit: this.current, cuts: this.cuts, raises: this.raises };
  }

  /**
   * Whether one more answer may start while `inFlight` are running; a refusal marks the window as saturated.
   * With `now`, and while the limit is below its ceiling (answers have been over the target), admissions are
   * also paced: at most limit / (mean answer duration) per ms, with a burst of an eighth of the limit, so that a
   * burst of arrivals (clients refused together retry together) does not become a burst of work that every
   * admitted answer then queues behind, and whose answers all come back at once. An idle process still takes a
   * burst of questions up to its ceiling at once. (npm run bench -- load, 200 clients on Postgres: p99 overhead
   * 672 ms without pacing, 231 ms with it, at more answers per second.)
   */
  admit(inFlight: number, now?: number): boolean {
    // The floor is always open: fewer answers than that are never what makes a process late.
    if (inFlight < this.options.min) {
      if (inFlight + 1 >= this.current) this.saturated = true;
      return true;
    }
    if (inFlight >= this.current || !this.paced(now)) {
      this.saturated = true;
      return false;
    }
    if (inFlight + 1 >= this.current) this.saturated = true;
    return true;
  }

  private paced(now: number | undefined): boolean {
    if (now === undefined || this.meanDurationMs === undefined || this.current >= this.options.max) return true;
    const burst = Math.max(2, Math.ceil(this.current / 8));
    const elapsed = this.refilledAt === undefined ? Number.POSITIVE_INFINITY : now - this.refilledAt;
    this.tokens = Math.min(burst, this.tokens + (elapsed * this.current) / this.meanDurationMs);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** An admitted answer finished: `admittedAt` and `now` on the caller's clock, `overheadMs` its own time (the rest was the provider's). */
  record(admittedAt: number, overheadMs: number, now: number): void {
    const duration = now - admittedAt;
    this.meanDurationMs = this.meanDurationMs === undefined ? duration : this.meanDurationMs * 0.95 + duration * 0.05;
    // The first window opens when its first answer was admitted.
    this.windowStart ??= admittedAt;
    // Admitted before the last cut: it queued behind the old limit, and says nothing about the new one.
    if (admittedAt >= this.lastCutAt) this.samples.push(overheadMs);
    if (now - this.windowStart < this.windowMs || this.samples.length < this.minSamples) return;
    const sorted = this.samples.sort((a, b) => a - b);
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
    if (median > this.options.targetMs) {
      const next = Math.max(this.options.min, Math.floor(this.current * this.decrease));
      if (next < this.current) {
        this.current = next;
        this.cuts++;
      }
      this.lastCutAt = now;
    } else if (this.saturated && this.current < this.options.max) {
      // Well under the target (a cut in a slow spell, start-up's cold code, that has passed): back up by half at
      // a time; near it, by a tenth.
      const fast = this.cuts === 0 || median < this.options.targetMs / 2;
      this.current = Math.min(this.options.max, fast ? Math.ceil(this.current * (this.cuts === 0 ? 2 : 1.5)) : this.current + Math.ceil(this.current / 10));
      this.raises++;
    }
    this.samples = [];
    this.saturated = false;
    this.windowStart = now;
  }
}
