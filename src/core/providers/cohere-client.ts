/**
 * Builds (or accepts) the Cohere v2 client. The token is passed explicitly (the SDK
 * falls back to CO_API_KEY only when it is undefined) and SDK retries are off:
 * the resilience layer (src/core/resilience) owns retrying.
 */
import { CohereClientV2 } from 'cohere-ai';

export const COHERE_DEFAULT_BASE_URL = 'https://api.cohere.com';

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export type CohereClientOptions =
  | { client: CohereClientV2; apiKey?: never; baseURL?: never; fetch?: never }
  | {
      client?: never;
      apiKey: string;
      /** Without the version segment, e.g. 'https://api.cohere.com'. */
      baseURL?: string;
      fetch?: FetchFunction;
    };

export function createCohereClient(options: CohereClientOptions): CohereClientV2 {
  if (options.client) return options.client;
  return new CohereClientV2({
    token: options.apiKey,
    baseUrl: options.baseURL ?? COHERE_DEFAULT_BASE_URL,
    maxRetries: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** Per-request options: applied even to a prebuilt client, so its own retry setting never multiplies calls. */
export function cohereRequestOptions(timeoutMs: number, signal: AbortSignal | undefined) {
  return { maxRetries: 0, timeoutInSeconds: timeoutMs / 1000, ...(signal ? { abortSignal: signal } : {}) };
}
