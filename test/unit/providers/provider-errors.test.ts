import {
  APIConnectionError as AnthropicConnectionError,
  APIConnectionTimeoutError as AnthropicTimeoutError,
  APIError as AnthropicAPIError,
  APIUserAbortError as AnthropicAbortError,
  OverloadedError,
} from '@anthropic-ai/sdk';
import { CohereError, CohereTimeoutError } from 'cohere-ai';
import { APIConnectionTimeoutError, APIUserAbortError, BadRequestError, InternalServerError, RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { parseRetryAfter, toProviderError } from '../../../src/core/providers/provider-errors';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const now = () => NOW;
const context = { provider: 'test' };

function asAppError(value: unknown): AppError {
  expect(value).toBeInstanceOf(AppError);
  return value as AppError;
}

describe('parseRetryAfter', () => {
  it('reads delta-seconds, HTTP dates and retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfter(new Headers({ 'retry-after': new Date(NOW + 7000).toUTCString() }), now)).toBe(7000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '120', 'retry-after': '9' }), now)).toBe(120);
  });

  it('ignores absent, past, zero and unparsable values', () => {
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': new Date(NOW - 1000).toUTCString() }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': '0' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': 'x', 'retry-after': '2' }), now)).toBe(2000);
  });
});

describe('toProviderError', () => {
  it('maps status errors from every SDK by status', () => {
    const headers = new Headers({ 'retry-after': '2' });
    const openAI429 = asAppError(toProviderError(new RateLimitError(429, { message: 'slow down' }, undefined, headers), context));
    expect([openAI429.code, openAI429.isRetryable, openAI429.retryAfterMs]).toEqual(['PROVIDER_RATE_LIMITED', true, 2000]);
    const overloaded = asAppError(toProviderError(new OverloadedError(529, {}, undefined, new Headers()), context));
    expect([overloaded.code, overloaded.isRetryable]).toEqual(['PROVIDER_ERROR', true]);
    const openAI500 = asAppError(toProviderError(new InternalServerError(500, {}, undefined, new Headers()), context));
    expect([openAI500.code, openAI500.isRetryable]).toEqual(['PROVIDER_ERROR', true]);
    const badRequest = asAppError(toProviderError(new BadRequestError(400, {}, undefined, new Headers()), context));
    expect([badRequest.code, badRequest.isRetryable]).toEqual(['PROVIDER_ERROR', false]);
    const cohere429 = asAppError(toProviderError(new CohereError({ statusCode: 429, body: { message: 'busy' } }), context));
    expect([cohere429.code, cohere429.message]).toEqual(['PROVIDER_RATE_LIMITED', 'test rate limited the request: busy']);
  });

  it('maps timeouts and connection failures', () => {
    for (const error of [new APIConnectionTimeoutError(), new AnthropicTimeoutError(), new CohereTimeoutError('late')]) {
      expect(asAppError(toProviderError(error, context)).code).toBe('PROVIDER_TIMEOUT');
    }
    const connection = asAppError(toProviderError(new AnthropicConnectionError({ message: 'ECONNRESET' }), context));
    expect([connection.code, connection.isRetryable]).toEqual(['PROVIDER_ERROR', true]);
  });

  it('maps an error event inside a stream (no status) as retryable', () => {
    const streamed = new AnthropicAPIError(undefined, { type: 'error', error: { type: 'rate_limit_error', message: 'x' } }, undefined, new Headers(), 'rate_limit_error');
    expect(asAppError(toProviderError(streamed, context)).code).toBe('PROVIDER_RATE_LIMITED');
  });

  it('returns aborts unchanged', () => {
    for (const abort of [new APIUserAbortError(), new AnthropicAbortError(), new DOMException('stop', 'AbortError')]) {
      expect(toProviderError(abort, context)).toBe(abort);
    }
    const controller = new AbortController();
    controller.abort();
    const cohereAbort = new CohereError({ message: 'The user aborted a request' });
    expect(toProviderError(cohereAbort, { provider: 'cohere', signal: controller.signal })).toBe(cohereAbort);
  });

  it('keeps AppErrors and marks unknown errors not retryable', () => {
    const appError = new AppError('PROVIDER_BAD_OUTPUT', 'bad');
    expect(toProviderError(appError, context)).toBe(appError);
    const unknown = asAppError(toProviderError(new TypeError('undefined is not a function'), context));
    expect([unknown.code, unknown.isRetryable]).toEqual(['PROVIDER_ERROR', false]);
  });
});
