/**
 * What the fake provider server does on each call, scripted per route: a queue
 * of behaviours (consumed one per call, then the route's default), or a function
 * of the call.
 */
import { createHash } from 'node:crypto';
import type { GeneratedAnswer } from '../../src/core/providers/ports';
import type { PromptCache } from './prompt-cache';

export type RouteName = 'openai.chat' | 'openai.embeddings' | 'anthropic.messages' | 'cohere.rerank' | 'cohere.embed';

export const ROUTE_NAMES: readonly RouteName[] = [
  'openai.chat',
  'openai.embeddings',
  'anthropic.messages',
  'cohere.rerank',
  'cohere.embed',
];

export type Behaviour =
  /**
   * A valid response; on generation routes, with this answer (and cached prompt
   * tokens), after `latencyMs` (a fixed provider latency, for benchmarks).
   */
  | { answer: GeneratedAnswer; cachedTokens?: number; latencyMs?: number }
  /**
   * A valid response whose model output is this JSON value instead of an answer (the output of another
   * schema: a conversation's follow-up rewrite, `{ standaloneQuestion }`), after `latencyMs`.
   */
  | { output: unknown; latencyMs?: number }
  /**
   * An error status, with Retry-After (seconds, or an HTTP date) and/or retry-after-ms headers.
   * errorType: the provider's error type/code in the body (OpenAI `insufficient_quota`, Anthropic `billing_error`).
   */
  | { status: number; retryAfter?: number | string; retryAfterMs?: number; message?: string; errorType?: string }
  /**
   * Waits before answering normally. midStream: sends the headers and the first
   * half of the body (or of the SSE events) first, then waits.
   */
  | { stallMs: number; midStream?: boolean }
  /** A 200 whose model output is broken: invalid JSON text, a schema-invalid tool input, wrong vectors. */
  | { malformed: true }
  /** A reply that ends the way the service can end one (see Ending), with this answer where there is one. */
  | { ending: Ending; answer?: GeneratedAnswer }
  /** The route's default: a valid response with the server's default answer. */
  | { default: true };

/**
 * Ways a generation reply ends other than with one whole answer, as the services send them:
 * - two_tool_uses: Anthropic, two answer tool_use blocks (the answer, then a different one);
 * - first_tool_use_invalid: Anthropic, a schema-invalid answer block, then the answer;
 * - overloaded_mid_stream: an error event after the first deltas (Anthropic `overloaded_error`,
 *   OpenAI `server_error`); not streamed, Anthropic 529 / OpenAI 503;
 * - truncated: the output cut at max_tokens (Anthropic stop_reason `max_tokens`, OpenAI finish_reason `length`);
 * - refusal: Anthropic stop_reason `refusal` after partial output, OpenAI `message.refusal`;
 * - content_filter: OpenAI finish_reason `content_filter` after partial output.
 */
export type Ending = 'two_tool_uses' | 'first_tool_use_invalid' | 'overloaded_mid_stream' | 'truncated' | 'refusal' | 'content_filter';

export interface CallInfo {
  /** 0-based count of earlier calls to this route. */
  index: number;
  body: unknown;
}

export type BehaviourScript = Behaviour[] | ((call: CallInfo) => Behaviour);

export interface FakeCall {
  route: RouteName;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  behaviour: Behaviour;
  /** performance.now() when the request body had been read. */
  receivedAt: number;
  /** performance.now() when the connection's response closed (undefined while open). */
  closedAt?: number;
  /** True when the client went away before the response was complete (an aborted call). */
  clientClosed?: boolean;
  /** Why the fake refused the request as the service would (a body outside the published schema, a limit): the 400's message. */
  rejected?: string;
}

export class Scripts {
  private readonly scripts = new Map<RouteName, BehaviourScript>();
  private readonly defaults = new Map<RouteName, Behaviour>();
  private readonly counts = new Map<RouteName, number>();

  script(route: RouteName, script: BehaviourScript): void {
    this.scripts.set(route, Array.isArray(script) ? [...script] : script);
  }

  setDefault(route: RouteName, behaviour: Behaviour): void {
    this.defaults.set(route, behaviour);
  }

  next(route: RouteName, body: unknown): Behaviour {
    const index = this.counts.get(route) ?? 0;
    this.counts.set(route, index + 1);
    const script = this.scripts.get(route);
    const scripted = typeof script === 'function' ? script({ index, body }) : script?.shift();
    return scripted ?? this.defaults.get(route) ?? { default: true };
  }

  reset(): void {
    this.scripts.clear();
    this.defaults.clear();
    this.counts.clear();
  }
}

/** Rough token count: one per four characters. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

/** A deterministic unit vector from the text's hash. */
export function hashVector(text: string, dimensions: number): number[] {
  const seed = createHash('sha256').update(text).digest();
  let state = seed.readUInt32LE(0) || 1;
  const values: number[] = [];
  for (let index = 0; index < dimensions; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    values.push(state / 0xffffffff - 0.5);
  }
  const norm = Math.hypot(...values) || 1;
  // Round-trip through float32, so that float and base64 encodings carry the same numbers.
  return Array.from(new Float32Array(values.map((value) => value / norm)));
}

/** Splits text into pieces of at most `size` characters (the deltas of a stream). */
export function pieces(text: string, size: number): string[] {
  const result: string[] = [];
  for (let start = 0; start < text.length; start += size) result.push(text.slice(start, start + size));
  return result;
}

/** The answer as a strict-mode model writes it: refusalReason present, null when absent. */
export function wireAnswer(answer: GeneratedAnswer): Record<string, unknown> {
  return { refused: answer.refused, refusalReason: answer.refusalReason ?? null, sentences: answer.sentences };
}

/** Model output that is not JSON: the answer cut short, with junk after it. */
export function brokenJson(answer: GeneratedAnswer): string {
  const text = JSON.stringify(wireAnswer(answer));
  return `${text.slice(0, Math.max(1, text.length - 10))}<<oops`;
}

/** A conversation's follow-up rewrite call (src/core/providers/rewrite-schema.ts), not an answer. */
export function isRewriteRequest(body: unknown): boolean {
  if (!isRecord(body)) return false;
  const format = body['response_format'];
  const schema = isRecord(format) ? format['json_schema'] : undefined;
  const tool = body['tool_choice'];
  return (isRecord(schema) && schema['name'] === 'standalone_question') || (isRecord(tool) && tool['name'] === 'standalone_question');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a route answers with when the behaviour is a success (or a malformed success). */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** Written in order; a midStream stall waits halfway through. */
  parts: string[];
}

export interface SuccessRequest {
  body: Record<string, unknown>;
  answer: GeneratedAnswer;
  /** The model output to send instead of the answer (a behaviour's `output`). */
  output?: unknown;
  cachedTokens: number | undefined;
  malformed: boolean;
  ending?: Ending | undefined;
  /** The server's prompt cache (hits only above the minimum prefix, from the second identical prefix on). */
  promptCache: PromptCache;
}

export interface RouteHandler {
  route: RouteName;
  path: string;
  success(request: SuccessRequest): Reply;
  /** The provider's error body for a status (errorType: the provider's own error type, when the behaviour names one). */
  errorBody(status: number, message: string, errorType?: string): unknown;
  /** Checks a request as the service does (published schema, limits) before any behaviour: a rejection is answered as is. */
  validate?(body: Record<string, unknown>): Rejection | undefined;
}

/** A request the service would refuse, with its error body. */
export interface Rejection {
  status: number;
  message: string;
  body: unknown;
}

export function jsonReply(value: unknown): Reply {
  return { status: 200, headers: { 'content-type': 'application/json' }, parts: [JSON.stringify(value)] };
}

export function sseReply(events: string[]): Reply {
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' },
    parts: events,
  };
}

export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('\n');
  if (isRecord(value)) return textOf(value['text'] ?? value['content'] ?? '');
  return '';
}
