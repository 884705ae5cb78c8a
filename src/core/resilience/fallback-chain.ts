/**
 * Tries generators in order (e.g. openai → anthropic → local extractive), each
 * under its own policy (retry → breaker → timeout). The first success wins;
 * `degraded` says whether the one that answered is marked degraded (the local
 * generator). A caller abort stops the chain and is rethrown unchanged.
 *
 * Malformed output (PROVIDER_BAD_OUTPUT) gets one repair per provider: the
 * retry carries a message saying what was wrong; a second malformed reply
 * moves the chain on without further retries.
 *
 * Streaming: before every attempt after the first (retry or fallback),
 * `request.onRestart` tells the caller that deltas streamed so far came from a
 * failed attempt, so it can take them back before the new text arrives.
 */
import { AppError, isAppError } from '../errors';
import type { GenerationRequest, GenerationResult, Generator } from '../providers/ports';
import type { CircuitBreaker, CircuitState } from './circuit-breaker';
import { callWithPolicy, type RetryPolicy } from './resilience-policy';

export interface FallbackEntry {
  generator: Generator;
  breaker?: CircuitBreaker;
  /** Per-attempt deadline; defaults to the chain's. */
  timeoutMs?: number;
  /** Defaults to the chain's. */
  retry?: RetryPolicy;
  /** Marks answers from this generator as degraded (the local extractive one). */
  degraded?: boolean;
}

export interface FallbackChainOptions {
  /** Default per-attempt deadline. Default 60 000. */
  timeoutMs?: number;
  /** Default retry policy (at most 2 retries). */
  retry?: RetryPolicy;
  onFallback?: (event: { from: string; to: string; error: unknown }) => void;
}

export interface FallbackResult {
  result: GenerationResult;
  providerUsed: string;
  degraded: boolean;
}

export class FallbackChain {
  private readonly entries: readonly FallbackEntry[];
  private readonly options: FallbackChainOptions;

  constructor(entries: readonly FallbackEntry[], options: FallbackChainOptions = {}) {
    if (entries.length === 0) throw new AppError('CONFIG_INVALID', 'a fallback chain needs at least one generator');
    this.entries = entries;
    this.options = options;
  }

  /** Each provider and its circuit state, for metrics. */
  get providers(): { provider: string; modelId: string; state: CircuitState | 'none' }[] {
    return this.entries.map(({ generator, breaker }) => ({
      provider: generator.provider,
      modelId: generator.modelId,
      state: breaker ? breaker.state : 'none',
    }));
  }

  async generate(request: GenerationRequest): Promise<FallbackResult> {
    const failures: { provider: string; error: unknown }[] = [];
    let attempts = 0;
    for (const [position, entry] of this.entries.entries()) {
      const { generator } = entry;
      let malformed: AppError | undefined;
      try {
        const result = await callWithPolicy(
          {
            ...(entry.breaker ? { breaker: entry.breaker } : {}),
            timeoutMs: entry.timeoutMs ?? this.options.timeoutMs ?? 60_000,
            retry: entry.retry ?? this.options.retry ?? {},
          },
          { signal: request.signal, provider: generator.provider },
          async (signal) => {
            if (attempts++ > 0) request.onRestart?.();
            const repairing = malformed;
            const messages = repairing ? [...request.messages, { role: 'user' as const, content: malformedRepairMessage(repairing) }] : request.messages;
            try {
              return await generator.generate({ ...request, messages, signal });
            } catch (error) {
              if (!isAppError(error) || error.code !== 'PROVIDER_BAD_OUTPUT') throw error;
              // One repair per provider: a model that cannot produce the schema when told what was wrong is
              // not asked a third time; the chain moves on (in the end to the local generator).
              if (repairing) throw new AppError(error.code, error.message, { cause: error, retryable: false, ...(error.details ? { details: error.details } : {}) });
              malformed = error;
              throw error;
            }
          },
        );
        return { result, providerUsed: generator.provider, degraded: entry.degraded ?? false };
      } catch (error) {
        if (request.signal?.aborted) throw error;
        failures.push({ provider: generator.provider, error });
        const next = this.entries[position + 1];
        if (next) this.options.onFallback?.({ from: generator.provider, to: next.generator.provider, error });
      }
    }
    throw exhausted(failures);
  }
}

/** Tells the model exactly why its last output was refused (never any document text: only the parse failure). */
export function malformedRepairMessage(error: AppError): string {
  const issues = Array.isArray(error.details?.['issues']) ? (error.details['issues'] as unknown[]).map(String) : [];
  return [
    'Your previous reply could not be used: it ' + (issues.length > 0 ? `did not match the answer schema (${issues.join('; ')}).` : 'was not valid JSON for the answer schema.'),
    'Reply again with only the JSON object the schema describes, answering from the sources above.',
  ].join(' ');
}

function exhausted(failures: { provider: string; error: unknown }[]): AppError {
  const attempts = failures.map(({ provider, error }) => ({
    provider,
    code: isAppError(error) ? error.code : 'INTERNAL',
    message: error instanceof Error ? error.message : String(error),
  }));
  const last = failures.at(-1)?.error;
  const summary = attempts.map(({ provider, code }) => `${provider}: ${code}`).join(', ');
  return new AppError(isAppError(last) ? last.code : 'PROVIDER_ERROR', `every generator failed (${summary})`, {
    details: { attempts },
    cause: last,
    ...(isAppError(last) ? { retryable: last.isRetryable, retryAfterMs: last.retryAfterMs } : {}),
  });
}
