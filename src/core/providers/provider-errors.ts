/**
 * Maps what the provider SDKs throw into AppError, so that the resilience layer
 * decides from `isRetryable` / `retryAfterMs` alone:
 *
 * - a billing refusal (OpenAI 429 `insufficient_quota`, Anthropic `billing_error` or "credit balance is too
 *   low", any 402, a Cohere trial key's monthly limit) → PROVIDER_QUOTA_EXCEEDED (not retryable; the
 *   breaker opens at once: no call can succeed until someone adds credit)
 * - 429 → PROVIDER_RATE_LIMITED (retryable, retryAfterMs from retry-after-ms / retry-after)
 * - 408, connection timeout → PROVIDER_TIMEOUT (retryable)
 * - 5xx, connection failure, error event mid-stream → PROVIDER_ERROR (retryable)
 * - other 4xx → PROVIDER_ERROR (not retryable: retrying the same request cannot help)
 * - an abort (the caller's signal) → the abort error itself, unchanged
 *
 * Bad model output is raised as PROVIDER_BAD_OUTPUT where it is parsed (answer-schema);
 * output cut at the output token limit as PROVIDER_OUTPUT_TRUNCATED (`outputTruncated`).
 * Without a status (an error event inside a 200 stream), the error's type decides:
 * `rate_limit_error` → PROVIDER_RATE_LIMITED; `overloaded_error`, `api_error`,
 * `server_error` (and an unknown type) → retryable PROVIDER_ERROR, as their 529/5xx
 * would be; the request's own faults (`invalid_request_error`, `request_too_large`,
 * `authentication_error`, `permission_error`, `not_found_error`, `billing_error`)
 * → PROVIDER_ERROR, not retryable.
 */
import {
  APIConnectionError as AnthropicConnectionError,
  APIConnectionTimeoutError as AnthropicTimeoutError,
  APIError as AnthropicAPIError,
  APIUserAbortError as AnthropicAbortError,
} from '@anthropic-ai/sdk';
import { CohereError, CohereTimeoutError } from 'cohere-ai';
import {
  APIConnectionError as OpenAIConnectionError,
  APIConnectionTimeoutError as OpenAITimeoutError,
  APIError as OpenAIAPIError,
  APIUserAbortError as OpenAIAbortError,
} from 'openai';
import { AppError, isAppError } from '../errors';

interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Milliseconds to wait from `retry-after-ms` (milliseconds) or `retry-after`
 * (delta-seconds or an HTTP date). Undefined when absent, unparsable or not positive.
 */
export function parseRetryAfter(headers: HeaderSource | undefined | null, now: () => number = Date.now): number | undefined {
  if (!headers) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && milliseconds.trim() !== '') {
    const value = Number(milliseconds);
    if (Number.isFinite(value) && value > 0) return value;
  }
  const retryAfter = headers.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) {
    const seconds = Number(retryAfter);
    return seconds > 0 ? seconds * 1000 : undefined;
  }
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  const delta = date - now();
  return delta > 0 ? delta : undefined;
}

/** True for the SDKs' user-abort errors and the platform's AbortError. */
export function isAbortError(error: unknown): boolean {
  if (error instanceof OpenAIAbortError || error instanceof AnthropicAbortError) return true;
  if (error instanceof Error && error.name === 'AbortError') return true;
  return false;
}

export interface ProviderErrorContext {
  provider: string;
  /** The caller's signal: when it has fired, whatever was thrown is the abort and passes unchanged. */
  signal?: AbortSignal | undefined;
}

/** The providers' own names for an account that cannot be billed (error type or code in the body). */
const BILLING_IDS = new Set(['insufficient_quota', 'billing_error', 'billing_hard_limit_reached', 'billing_not_active', 'access_terminated']);
/** The wording where a provider has no such name (Anthropic's 400, Cohere's trial key limit, sent as a 429). */
const BILLING_MESSAGES = /credit balance is too low|exceeded your current quota|check your plan and billing|trial key/i;

/** True when a provider's 4xx is about the account's quota or credit, not about this moment's load. */
export function isBillingRefusal(status: number, message: string, ids: readonly (string | null | undefined)[] = []): boolean {
  if (status === 402) return true;
  if (status < 400 || status >= 500) return false;
  return ids.some((id) => typeof id === 'string' && BILLING_IDS.has(id.toLowerCase())) || BILLING_MESSAGES.test(message);
}

function quotaError(provider: string, status: number, message: string, cause: unknown): AppError {
  return new AppError(
    'PROVIDER_QUOTA_EXCEEDED',
    `${provider} refused the call for billing reasons (quota or credit exhausted): add credit or raise the usage limit of the ${provider} account; calls to ${provider} are stopped until then. Provider said: ${message}`,
    { details: { provider, status }, retryable: false, cause },
  );
}

/** Builds the AppError for an HTTP status a provider answered with; ids: the body's error type and code, when it has them. */
export function providerStatusError(
  provider: string,
  status: number,
  headers: HeaderSource | undefined | null,
  message: string,
  cause: unknown,
  ids: readonly (string | null | undefined)[] = [],
): AppError {
  const details = { provider, status };
  const retryAfterMs = parseRetryAfter(headers);
  if (isBillingRefusal(status, message, ids)) return quotaError(provider, status, message, cause);
  if (status === 429) {
    return new AppError('PROVIDER_RATE_LIMITED', `${provider} rate limited the request: ${message}`, {
      details,
      retryAfterMs,
      retryable: true,
      cause,
    });
  }
  if (status === 408) {
    return new AppError('PROVIDER_TIMEOUT', `${provider} timed out: ${message}`, { details, retryAfterMs, cause });
  }
  if (status >= 500) {
    return new AppError('PROVIDER_ERROR', `${provider} failed with ${status}: ${message}`, {
      details,
      retryAfterMs,
      retryable: true,
      cause,
    });
  }
  return new AppError('PROVIDER_ERROR', `${provider} rejected the request with ${status}: ${message}`, {
    details,
    retryable: false,
    cause,
  });
}

function timeoutError(provider: string, cause: unknown): AppError {
  return new AppError('PROVIDER_TIMEOUT', `${provider} did not respond in time`, {
    details: { provider },
    retryable: true,
    cause,
  });
}

function connectionError(provider: string, message: string, cause: unknown): AppError {
  return new AppError('PROVIDER_ERROR', `${provider} connection failed: ${message}`, {
    details: { provider },
    retryable: true,
    cause,
  });
}

/** `error.type` of an error body ({type:'error', error:{type}} for Anthropic, {error:{type, code}} unwrapped by OpenAI's SDK). */
function bodyErrorType(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const inner = 'error' in body && typeof body.error === 'object' && body.error !== null ? body.error : body;
  return 'type' in inner && typeof inner.type === 'string' ? inner.type : undefined;
}

function fromStainless(error: OpenAIAPIError | AnthropicAPIError, provider: string): AppError {
  if (error instanceof OpenAITimeoutError || error instanceof AnthropicTimeoutError) return timeoutError(provider, error);
  if (error instanceof OpenAIConnectionError || error instanceof AnthropicConnectionError) {
    return connectionError(provider, error.message, error);
  }
  if (error.status !== undefined) {
    const ids = [(error as { type?: string | null }).type, (error as { code?: string | null }).code, bodyErrorType(error.error)];
    return providerStatusError(provider, error.status, error.headers, error.message, error, ids);
  }
  // No status: an error event inside a 200 stream (e.g. Anthropic overloaded_error mid-stream).
  const type = error.type ?? undefined;
  if (type === 'rate_limit_error') {
    return new AppError('PROVIDER_RATE_LIMITED', `${provider} rate limited the stream: ${error.message}`, {
      details: { provider, type },
      retryable: true,
      cause: error,
    });
  }
  const overloaded = type === 'overloaded_error';
  return new AppError('PROVIDER_ERROR', `${provider} ${overloaded ? 'was overloaded mid-stream' : 'stream failed'}: ${error.message}`, {
    details: { provider, ...(type ? { type } : {}) },
    retryable: !(type && NOT_RETRYABLE_STREAM_ERRORS.has(type)),
    cause: error,
  });
}

/** Error event types that say the request itself is at fault: sending it again cannot help. */
const NOT_RETRYABLE_STREAM_ERRORS = new Set([
  'invalid_request_error',
  'request_too_large',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'billing_error',
]);

/**
 * The answer was cut at the output token limit (Anthropic stop_reason `max_tokens` or
 * `model_context_window_exceeded`, OpenAI finish_reason `length`). Not retryable: the
 * same request is cut again; the fallback chain moves on to the next provider.
 */
export function outputTruncated(provider: string, model: string, stopReason: string): AppError {
  return new AppError(
    'PROVIDER_OUTPUT_TRUNCATED',
    `${provider}: the answer was cut off at the output token limit (${stopReason}); raise MAX_OUTPUT_TOKENS if this recurs`,
    { details: { provider, model, stopReason }, retryable: false },
  );
}

function fromCohere(error: CohereError, provider: string): AppError {
  if (error.statusCode !== undefined) {
    // The SDK's message spans lines (class name, status, body); the body's message says it best.
    const body: unknown = error.body;
    const bodyMessage = typeof body === 'object' && body !== null && 'message' in body ? body.message : undefined;
    const message = typeof bodyMessage === 'string' ? bodyMessage : (error.message.split('\n')[0] ?? error.message);
    return providerStatusError(provider, error.statusCode, error.rawResponse?.headers, message, error);
  }
  // The cohere fetcher turns its own timeout signal (reason 'timeout') into an unknown error.
  if (error.cause === 'timeout' || /timeout/i.test(error.message)) return timeoutError(provider, error);
  return connectionError(provider, error.message, error);
}

/**
 * Converts anything a provider call threw into an AppError, except an abort,
 * which is returned unchanged. Use as `throw toProviderError(error, {provider, signal})`.
 */
export function toProviderError(error: unknown, context: ProviderErrorContext): unknown {
  const { provider, signal } = context;
  if (signal?.aborted || isAbortError(error)) return error;
  if (isAppError(error)) return error;
  if (error instanceof OpenAIAPIError || error instanceof AnthropicAPIError) return fromStainless(error, provider);
  if (error instanceof CohereTimeoutError) return timeoutError(provider, error);
  if (error instanceof CohereError) return fromCohere(error, provider);
  if (error instanceof SyntaxError) {
    return new AppError('PROVIDER_BAD_OUTPUT', `${provider} sent a response that is not valid JSON`, {
      details: { provider },
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('PROVIDER_ERROR', `${provider} call failed: ${message}`, {
    details: { provider },
    retryable: false,
    cause: error,
  });
}
