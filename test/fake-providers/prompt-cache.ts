/**
 * Prompt caching as the services publish it, per fake server (cleared by reset()):
 *
 * - Anthropic: the prefix up to the last block marked `cache_control` (tools, then
 *   system, then messages) is cached only when it is at least the model's minimum
 *   (1,024 tokens; 2,048 for Sonnet 4.6 and the Haiku 3 models; 4,096 for Opus 4.5 /
 *   4.6 and Haiku 4.5). The first request with a prefix writes it
 *   (`cache_creation_input_tokens`), later identical prefixes of the same model read
 *   it (`cache_read_input_tokens`); `input_tokens` is the rest.
 * - OpenAI: automatic, for prompts of at least 1,024 tokens: the longest prefix this
 *   model has already seen counts as cached, in 128-token steps from 1,024; the first
 *   request of a prefix is never cached.
 *
 * Tokens are the fake's estimate (one per four characters), as everywhere in the fake.
 */
import { createHash } from 'node:crypto';
import { estimateTokens } from './behaviours';

export const OPENAI_MIN_CACHED_TOKENS = 1024;
const OPENAI_CACHE_STEP = 128;

/** The published minimum cacheable prompt length of an Anthropic model (by model name, dated or not). */
export function anthropicMinCacheableTokens(model: string): number {
  if (/claude-(opus-4-[56]|haiku-4-5)/.test(model)) return 4096;
  if (/claude-sonnet-4-6|claude-3-haiku|claude-3-5-haiku|claude-haiku-3/.test(model)) return 2048;
  return 1024;
}

export interface AnthropicCacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** Characters per token in the fake's estimate (estimateTokens). */
const CHARS_PER_TOKEN = 4;

export class PromptCache {
  private readonly anthropicPrefixes = new Set<string>();
  /**
   * Digests of every prefix an OpenAI model has seen that ends on a cache step (1,024 tokens, then every 128):
   * the longest step prefix a new prompt shares with any earlier one is then found in a few lookups. Comparing
   * the prompt with every earlier one, as before, made the fake's own time grow with each request: over a
   * 50-client load bench it took seconds of the bench's CPU and its event-loop stalls were read as the
   * service's overhead.
   */
  private readonly openaiPrefixes = new Map<string, Set<string>>();

  /** `prefix`: the request's text up to the last cache_control breakpoint ('' when it marks none). */
  anthropic(model: string, prefix: string, totalTokens: number): AnthropicCacheUsage {
    const prefixTokens = estimateTokens(prefix);
    if (prefix === '' || prefixTokens < anthropicMinCacheableTokens(model)) {
      return { input_tokens: totalTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    }
    const key = digest(`${model}\u0000${prefix}`);
    const seen = this.anthropicPrefixes.has(key);
    this.anthropicPrefixes.add(key);
    return seen
      ? { input_tokens: totalTokens - prefixTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: prefixTokens }
      : { input_tokens: totalTokens - prefixTokens, cache_creation_input_tokens: prefixTokens, cache_read_input_tokens: 0 };
  }

  /** Cached tokens of an OpenAI prompt (its text, messages in order); remembers the prompt for later requests. */
  openai(model: string, prompt: string): number {
    const seen = this.openaiPrefixes.get(model) ?? new Set<string>();
    this.openaiPrefixes.set(model, seen);
    // Step prefixes are nested: a prompt shares the k-th with an earlier one only if it shares every shorter one.
    let cached = 0;
    let sharing = true;
    // One running hash, copied at each step: the prompt is hashed once, not once per step (as UTF-16 code
    // units, so that a step falling inside a surrogate pair still hashes exactly the characters before it).
    const running = createHash('sha256');
    let hashed = 0;
    for (let tokens = OPENAI_MIN_CACHED_TOKENS; tokens * CHARS_PER_TOKEN <= prompt.length; tokens += OPENAI_CACHE_STEP) {
      running.update(prompt.slice(hashed, tokens * CHARS_PER_TOKEN), 'utf16le');
      hashed = tokens * CHARS_PER_TOKEN;
      const key = running.copy().digest('hex');
      if (sharing && seen.has(key)) cached = tokens;
      else sharing = false;
      seen.add(key);
    }
    return cached;
  }

  clear(): void {
    this.anthropicPrefixes.clear();
    this.openaiPrefixes.clear();
  }
}
