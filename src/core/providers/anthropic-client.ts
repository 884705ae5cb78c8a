/**
 * Builds (or accepts) the Anthropic client. Credentials and base URL are passed
 * explicitly, so the SDK never falls back to environment or profile lookup, and
 * SDK retries are off: the resilience layer (src/core/resilience) owns retrying.
 */
import Anthropic from '@anthropic-ai/sdk';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export type AnthropicClientOptions =
  | { client: Anthropic; apiKey?: never; baseURL?: never; fetch?: never }
  | {
      client?: never;
      apiKey: string;
      /** Without the version segment, e.g. 'https://api.anthropic.com'. */
      baseURL?: string;
      fetch?: FetchFunction;
    };

export function createAnthropicClient(options: AnthropicClientOptions): Anthropic {
  if (options.client) return options.client;
  return new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? ANTHROPIC_DEFAULT_BASE_URL,
    webhookKey: null,
    maxRetries: 0,
    logLevel: 'warn',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** Per-request options: applied even to a prebuilt client, so its own retry setting never multiplies calls. */
export function anthropicRequestOptions(timeoutMs: number, signal: AbortSignal | undefined) {
  return { maxRetries: 0, timeout: timeoutMs, ...(signal ? { signal } : {}) };
}
