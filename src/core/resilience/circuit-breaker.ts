/**
 * A count-based circuit breaker, one per provider.
 *
 * - closed: calls pass; each outcome goes into a rolling window of the last
 *   `windowSize` calls. Once the window holds at least `minimumCalls` outcomes and
 *   the failure rate exceeds `failureRateThreshold`, the circuit opens.
 * - open: calls are rejected at once with CIRCUIT_OPEN (no provider call), until
 *   `coolDownMs` has passed.
 * - half-open: one probe call passes (others are rejected); success closes the
 *   circuit with an empty window, failure opens it again for another cool-down.
 *
 * Outcomes: a retryable AppError (5xx, 429, timeout, bad output) is a failure; a
 * non-retryable AppError (e.g. a 400) means the provider answered, so it counts as
 * a success; anything else (an abort, a bug) is not counted. PROVIDER_QUOTA_EXCEEDED
 * trips the circuit at once, whatever the window holds: the account cannot be
 * billed, so every further call would fail the same way; the rejections then say
 * why the circuit is open, and a probe after each cool-down sees whether credit
 * has been added.
 *
 * The CIRCUIT_OPEN rejection is marked not retryable, with retryAfterMs = the time
 * left in the cool-down: retrying inside the same logical call cannot help, and a
 * caller further out (HTTP client, job runner) learns when to come back.
 */
import { AppError, isAppError } from '../errors';

export type CircuitState = 'closed' | 'open' | 'half-open';
type Outcome = 'success' | 'failure' | 'ignored' | 'trip';

export interface CircuitBreakerOptions {
  /** The provider it guards; named in errors and metrics. */
  name: string;
  /** Rolling window length, in calls. Default 20. */
  windowSize?: number;
  /** Outcomes needed in the window before the rate is judged. Default 10. */
  minimumCalls?: number;
  /** Opens when failures / calls in the window exceed this. Default 0.5. */
  failureRateThreshold?: number;
  /** Time open before a probe is let through. Default 30 000. */
  coolDownMs?: number;
  /** Injectable clock (ms). Default Date.now. */
  now?: () => number;
  /** Overrides the outcome classification of a thrown error. */
  classify?: (error: unknown) => Outcome;
  onStateChange?: (state: CircuitState, previous: CircuitState, name: string) => void;
}

export function classifyOutcome(error: unknown): Outcome {
  if (!isAppError(error)) return 'ignored';
  if (error.code === 'PROVIDER_QUOTA_EXCEEDED') return 'trip';
  return error.isRetryable ? 'failure' : 'success';
}

export class CircuitBreaker {
  readonly name: string;
  private readonly windowSize: number;
  private readonly minimumCalls: number;
  private readonly failureRateThreshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;
  private readonly classify: (error: unknown) => Outcome;
  private readonly onStateChange: CircuitBreakerOptions['onStateChange'];
  private mode: CircuitState = 'closed';
  /** true = failure, oldest first. */
  private window: boolean[] = [];
  private openedAt = 0;
  private probeInFlight = false;
  /** Why the circuit was tripped open, when one error did it (a billing refusal); said in every rejection. */
  private tripReason: string | undefined;
  /** Bumped on every transition, so that calls admitted under an earlier state do not count. */
  private generation = 0;

  constructor(options: CircuitBreakerOptions) {
    this.name = options.name;
    this.windowSize = options.windowSize ?? 20;
    this.minimumCalls = Math.min(options.minimumCalls ?? 10, this.windowSize);
    this.failureRateThreshold = options.failureRateThreshold ?? 0.5;
    this.coolDownMs = options.coolDownMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.classify = options.classify ?? classifyOutcome;
    this.onStateChange = options.onStateChange;
  }

  /** Current state; an open circuit whose cool-down has passed reports (and becomes) half-open. */
  get state(): CircuitState {
    this.refresh();
    return this.mode;
  }

  /** State plus calls and failures in the current window, for metrics. */
  get stats(): { state: CircuitState; calls: number; failures: number } {
    return { state: this.state, calls: this.window.length, failures: this.window.filter(Boolean).length };
  }

  async execute<T>(operation: () => Promise<T>): Promise<T> {
    this.refresh();
    if (this.mode === 'open') throw this.rejection(this.openedAt + this.coolDownMs - this.now());
    if (this.mode === 'half-open') return this.probe(operation);
    const generation = this.generation;
    try {
      const result = await operation();
      this.record(generation, 'success');
      return result;
    } catch (error) {
      const outcome = this.classify(error);
      if (outcome === 'trip') this.trip(error);
      else this.record(generation, outcome);
      throw error;
    }
  }

  private trip(error: unknown): void {
    if (this.mode === 'open') return;
    this.tripReason = error instanceof Error ? error.message : String(error);
    this.transition('open');
  }

  private async probe<T>(operation: () => Promise<T>): Promise<T> {
    if (this.probeInFlight) throw this.rejection(0);
    this.probeInFlight = true;
    try {
      const result = await operation();
      this.transition('closed');
      return result;
    } catch (error) {
      const outcome = this.classify(error);
      if (outcome === 'trip') this.trip(error);
      else if (outcome === 'failure') {
        this.tripReason = undefined;
        this.transition('open');
      }
      else if (outcome === 'success') this.transition('closed');
      throw error;
    } finally {
      this.probeInFlight = false;
    }
  }

  private record(generation: number, outcome: Outcome): void {
    if (outcome === 'ignored' || generation !== this.generation || this.mode !== 'closed') return;
    this.window.push(outcome === 'failure');
    if (this.window.length > this.windowSize) this.window.shift();
    if (this.window.length < this.minimumCalls) return;
    const failures = this.window.filter(Boolean).length;
    if (failures / this.window.length > this.failureRateThreshold) this.transition('open');
  }

  private refresh(): void {
    if (this.mode === 'open' && this.now() - this.openedAt >= this.coolDownMs) this.transition('half-open');
  }

  private transition(next: CircuitState): void {
    const previous = this.mode;
    this.mode = next;
    this.generation += 1;
    if (next === 'open') this.openedAt = this.now();
    if (next === 'closed') {
      this.window = [];
      this.tripReason = undefined;
    }
    if (previous !== next) this.onStateChange?.(next, previous, this.name);
  }

  private rejection(remainingMs: number): AppError {
    const reason = this.tripReason ? `: ${this.tripReason}` : '';
    return new AppError('CIRCUIT_OPEN', `${this.name} circuit is open; not calling the provider${reason}`, {
      details: { provider: this.name, state: this.mode, ...(this.tripReason ? { reason: this.tripReason } : {}) },
      retryable: false,
      retryAfterMs: Math.max(0, remainingMs),
    });
  }
}
