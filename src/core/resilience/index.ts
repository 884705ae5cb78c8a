export { withTimeout, type TimeoutOptions } from './with-timeout';
export { retry, retryDelayMs, abortableSleep, type RetryOptions } from './retry';
export { CircuitBreaker, classifyOutcome, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker';
export { callWithPolicy, type ResiliencePolicy, type RetryPolicy } from './resilience-policy';
export { FallbackChain, type FallbackChainOptions, type FallbackEntry, type FallbackResult } from './fallback-chain';
export { ResilientEmbedder } from './resilient-embedder';
export { ResilientReranker } from './resilient-reranker';
