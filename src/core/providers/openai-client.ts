/**
 * Builds (or accepts) the OpenAI client the OpenAI adapters share. Everything the
 * SDK would otherwise read from the environment is passed explicitly, and SDK
 * retries are off: the resilience layer (src/core/resilience) owns retrying.
 */
import OpenAI from 'openai';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Either a prebuilt client, or what is needed to build one. */
export type OpenAIClientOptions =
  | { client: OpenAI; apiKey?: never; baseURL?: never; fetch?: never }
  | {
      client?: never;
      apiKey: string;
      /** Includes the version segment, e.g. 'https://api.openai.com/v1'. */
      baseURL?: string;
      fetch?: FetchFunction;
    };

export function createOpenAIClient(options: OpenAIClientOptions): OpenAI {
  if (options.client) return options.client;
  return new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? OPENAI_DEFAULT_BASE_URL,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    logLevel: 'warn',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** Per-request options: applied even to a prebuilt client, so its own retry setting never multiplies calls. */
export function openAIRequestOptions(timeoutMs: number, signal: AbortSignal | undefined) {
  return { maxRetries: 0, timeout: timeoutMs, ...(signal ? { signal } : {}) };
}
