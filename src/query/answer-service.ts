import { randomUUID, createHash } from 'node:crypto';
import type { Corpus } from '../core/db/schema';
import { AppError } from '../core/errors';
import type { PriceBook } from '../core/pricing';
import type { GenerationMessage, GenerationResult, GenerationUsage } from '../core/providers/ports';
import type { FallbackChain } from '../core/resilience';
import { withSpan } from '../core/telemetry';
import { countTextTokens } from './tokens';
import { answerCacheKey, SingleFlight, type AnswerCache } from './answer-cache';
import { toAnswerBody, type AnswerBodyCitation } from './answer-body';
import { assembleContext, baseInputTokens, type ContextCache } from './assemble';
import type { Prompt } from './prompts';
import { escapeText } from './prompts/render';
import type { RetrievedChunk } from './retrieve';
import type { SearchService } from './search-service';
import type { TraceLog } from './trace-log';
import type { AnswerGate } from './answer-gate';
import { narrowPages, ocrOfPages, type PageSpan } from './citation-pages';
import { applySupport, scoreSupport } from './claim-support';
import type { RelevanceScorer } from './relevance';
import type { GateDecision } from './answerability';
import { StreamTextExtractor } from './stream-text';
import { describeFailures, verifyAnswer, type VerifiedAnswer } from './verify';

export interface AnswerOptions {
  k: number;
}

/** A conversation turn's extra input: the earlier turns generation sees, and what the trace says of them. */
export interface ConversationContext {
  conversationId: string;
  turn: number;
  /** The earlier turns as messages (src/conversations/history.ts), oldest first. */
  history: GenerationMessage[];
  historyTokens: number;
  /** What the history could take at most: CONVERSATION_HISTORY_TOKENS, less for a long question (historyRoom). */
  historyBudgetTokens?: number;
  /** Turns left out of the history for the token budget, oldest first. */
  trimmedTurns: number[];
  /** The question as the user asked it; the answer's `question` is the standalone rewrite. */
  originalQuestion: string;
  rewrite: string;
  /** Which rewriter ran, and why the provider's was not used (src/conversations/rewriter.ts); no question text. */
  rewriter?: Record<string, unknown>;
  /** The turn is the last one answered again (Regenerate). */
  regenerated?: boolean;
}

export interface AnswerContext {
  signal?: AbortSignal;
  requestId?: string;
  events?: AnswerEvents;
  conversation?: ConversationContext;
  /** Answer afresh: no answer-cache lookup (Regenerate); the new answer still fills the cache. */
  fresh?: boolean;
}

export interface AnswerEvents {
  onRetrieval?: (sources: SourceSummary[]) => void;
  onDelta?: (text: string) => void;
  /**
   * Discard the text streamed so far; the next deltas start over. `retry`: it came from a provider attempt
   * that failed; `unverified`: verification removed or a repair replaced part of it (the verified text follows).
   */
  onReset?: (reason: 'retry' | 'unverified') => void;
  onCitation?: (citation: AnswerBodyCitation) => void;
}

export interface SourceSummary {
  chunkId: string;
  documentId: string;
  versionId: string;
  title: string;
  page: number | null;
  start: number;
  end: number;
  score: number;
  text: string;
}

export interface AnswerBody extends Record<string, unknown> {
  answer: string;
  sentences: { text: string; citations: number[]; support?: number }[];
  citations: AnswerBodyCitation[];
  refused: boolean;
  refusalReason: string | null;
  degraded: boolean;
  cached: boolean;
  traceId: string;
  sources: SourceSummary[];
  /** `extractive`: the local answerer quoted passages (no language model); `generative`: a model wrote it. */
  mode: AnswerMode;
  /** The answerability gate: whether the question cleared it, and why not (a sentence the agent can read). */
  gate: { passed: boolean; reason: string | null; message: string | null };
  usage: AnswerUsage;
  timings: { retrieveMs: number; rerankMs: number; assembleMs: number; generateMs: number; verifyMs: number; totalMs: number };
}

/**
 * Provider tokens of an answer (the first call and any repair). cachedTokens were read from the provider's
 * prompt cache, cacheWriteTokens written to it (Anthropic); cachedShare = cachedTokens / inputTokens, the share
 * of the prompt the provider served from its cache (0 when nothing was).
 */
export interface AnswerUsage {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  cachedShare: number;
  costUsd: number;
}

export type AnswerMode = 'extractive' | 'generative';

/** Bumped when the gate's decisions change: cached answers of an older gate are not reused. */
export const GATE_VERSION = 'gate-v1';

export interface AnswerServiceDeps {
  /** Claim support: each kept sentence scored against its quotes; generated sentences under the floor are removed. */
  support?: { scorer: RelevanceScorer; floor: number };
  /** Page spans of a version: a citation from a chunk that spans pages gets the pages of its quote, and OCR'd pages mark it. */
  pagesOf?: (versionId: string) => Promise<PageSpan[]>;
  /** Refuses, before any generator, questions the documents cannot answer (none: every question goes on). */
  gate?: AnswerGate;
  /** Where every answer's trace goes (written in batches, off the answer's path). */
  traces: Pick<TraceLog, 'record'>;
  search: SearchService;
  chain: FallbackChain;
  cache: AnswerCache;
  contextCache: ContextCache;
  prompt: Prompt;
  /** Prices each provider call of an answer (by the answered model id, or the alias asked for). */
  prices: PriceBook;
  limits: {
    maxInputTokens: number;
    maxOutputTokens: number;
    cacheTtlSeconds: number;
    /** Whole-answer deadline (retrieval, every provider attempt, repair); past it the request fails 504 PROVIDER_TIMEOUT. 0: none. */
    deadlineMs?: number;
  };
  /** Process-wide cap on in-flight provider calls (backpressure). */
  providerSlots?: { acquire(): Promise<(() => void) | undefined> };
  /** Called for every finished answer (metrics, token accounting). */
  onAnswered?: (tenantId: string, body: AnswerBody) => void;
}

const SOURCE_SNIPPET = 600;

function summarize(results: RetrievedChunk[]): SourceSummary[] {
  return results.slice(0, 5).map((item) => ({
    chunkId: item.chunkId,
    documentId: item.documentId,
    versionId: item.versionId,
    title: item.title,
    page: item.page,
    start: item.charStart,
    end: item.charEnd,
    score: item.score,
    text: item.text.slice(0, SOURCE_SNIPPET),
  }));
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** What a conversation turn's trace says of it: hashes of both questions (traces keep no question text), the rewrite and the history kept. */
function conversationTrace(conversation: ConversationContext | undefined, standaloneQuestion: string): Record<string, unknown> {
  if (!conversation) return {};
  return {
    conversation: {
      id: conversation.conversationId,
      turn: conversation.turn,
      rewrite: conversation.rewrite,
      originalQuestionHash: hashOf(conversation.originalQuestion),
      standaloneQuestionHash: hashOf(standaloneQuestion),
      historyTurns: conversation.history.length,
      historyTokens: conversation.historyTokens,
      ...(conversation.historyBudgetTokens === undefined ? {} : { historyBudgetTokens: conversation.historyBudgetTokens }),
      trimmedTurns: conversation.trimmedTurns,
      ...(conversation.rewriter ? { rewriter: conversation.rewriter } : {}),
      ...(conversation.regenerated ? { regenerated: true } : {}),
    },
  };
}

/** Only verified answers and refusals are cached; a degraded (fallback) answer is not kept. */
const cacheable = (body: AnswerBody) => !body.degraded || body.refused;

const round = (ms: number) => Math.round(ms * 100) / 100;
const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : 0);

function addUsage(a: GenerationUsage, b: GenerationUsage): Required<GenerationUsage> {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    cacheWriteTokens: (a.cacheWriteTokens ?? 0) + (b.cacheWriteTokens ?? 0),
  };
}

/** Groups one tenant's requests with one prompt for the provider's cache routing: opaque, 39 characters. */
export function promptCacheKey(promptVersion: string, tenantId: string): string {
  return `attest-${createHash('sha256').update(`${promptVersion}\u0000${tenantId}`).digest('hex').slice(0, 32)}`;
}
const squash = (text: string) => text.replace(/\s+/gu, ' ').trim();

/** The answer pipeline: cache → retrieve → assemble → generate → verify (one repair) → trace → cache. */
export class AnswerService {
  private readonly flights = new SingleFlight<{ body: AnswerBody; fromCache: boolean }>();

  constructor(private readonly deps: AnswerServiceDeps) {}

  /** Throws 413 BUDGET_EXCEEDED, with the numbers, when the question alone does not fit the input budget. */
  checkBudget(question: string, tenantId?: string): void {
    // A token is at least one UTF-8 byte: a question that fits by bytes needs no tokenizing.
    const withoutQuestion = baseInputTokens(this.deps.prompt, '', tenantId);
    if (withoutQuestion + Buffer.byteLength(escapeText(question.trim()), 'utf8') <= this.deps.limits.maxInputTokens) return;
    // Exactly what the assembler puts around the sources (tenant line, system prompt, user template, question).
    const requiredTokens = baseInputTokens(this.deps.prompt, question, tenantId);
    if (requiredTokens > this.deps.limits.maxInputTokens) {
      const questionTokens = countTextTokens(question);
      throw new AppError('BUDGET_EXCEEDED', `the question needs ${requiredTokens} input tokens with the prompt; the per-request limit is ${this.deps.limits.maxInputTokens}`, {
        status: 413,
        details: { questionTokens, requiredTokens, maxInputTokens: this.deps.limits.maxInputTokens },
      });
    }
  }

  /**
   * Tokens a conversation's earlier turns may take beside this question: half of what the prompt, the
   * question and the reserved output leave, so sources keep the other half. A long question shrinks it:
   * history is trimmed (oldest first) before the question would not fit.
   */
  historyRoom(question: string, tenantId?: string): number {
    const left = this.deps.limits.maxInputTokens - this.deps.limits.maxOutputTokens - baseInputTokens(this.deps.prompt, question, tenantId);
    return Math.max(0, Math.floor(left / 2));
  }

  async answer(corpus: Corpus, question: string, options: AnswerOptions, context: AnswerContext = {}): Promise<AnswerBody> {
    this.checkBudget(question, corpus.tenantId);
    const deadlineMs = this.deps.limits.deadlineMs ?? 0;
    if (deadlineMs <= 0) return this.answerWithin(corpus, question, options, context);
    // Per-call timeouts bound one attempt; retries and fallbacks can add up past what a client waits for.
    // A timer cleared when the answer ends, not AbortSignal.timeout: that one stays armed its full 60 s after
    // the answer, keeping the combined signal and any abort listener left on it reachable until then.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new AppError('PROVIDER_TIMEOUT', `no answer within the ${deadlineMs} ms deadline`)), deadlineMs);
    const signal = context.signal ? AbortSignal.any([context.signal, deadline.signal]) : deadline.signal;
    try {
      return await this.answerWithin(corpus, question, options, { ...context, signal });
    } catch (error) {
      if (!deadline.signal.aborted || context.signal?.aborted) throw error;
      throw new AppError('PROVIDER_TIMEOUT', `no answer within the ${deadlineMs} ms deadline`, { cause: error, details: { deadlineMs } });
    } finally {
      clearTimeout(timer);
    }
  }

  private async answerWithin(corpus: Corpus, question: string, options: AnswerOptions, context: AnswerContext): Promise<AnswerBody> {
    // The corpus row names its active build: no query for it before the cache lookup.
    const buildId = corpus.activeBuildId ?? (await this.deps.search.activeBuild(corpus)).id;
    const key = answerCacheKey({
      tenantId: corpus.tenantId,
      corpusId: corpus.id,
      buildId,
      generation: corpus.generation,
      question,
      promptVersion: this.deps.prompt.version,
      model: this.deps.chain.providers.map((provider) => `${provider.provider}:${provider.modelId}`).join('>'),
      // A follow-up's answer also depends on the turns generation saw.
      options: {
        ...options,
        gate: this.deps.gate ? `${GATE_VERSION}:${this.deps.gate.scorerId}` : 'none',
        ...(context.conversation ? { history: createHash('sha256').update(context.conversation.history.map((message) => message.content).join('\n')).digest('hex') } : {}),
      },
    });
    const started = performance.now();
    const hit = context.fresh ? undefined : await this.deps.cache.get(key, corpus.tenantId).catch(() => undefined);
    if (hit) return this.reuse(corpus, context, question, hit as AnswerBody, 'hit', buildId, started);
    const flight = this.flights.run(
      key,
      async (signal) => {
        // A flight that ended between our cache miss and now has already filled the cache. Flights are per
        // process, so a cache with a local tier answers that from memory; without one, one indexed read.
        const { cache } = this.deps;
        const filled = context.fresh ? undefined : cache.peek ? cache.peek(key, corpus.tenantId) : await cache.get(key, corpus.tenantId).catch(() => undefined);
        if (filled) return { body: filled as AnswerBody, fromCache: true };
        const body = await this.compute(corpus, question, options, { ...context, signal });
        if (cacheable(body)) {
          // Written before the flight ends, so that no identical request slips between the two.
          await this.deps.cache.set(key, corpus.tenantId, body, this.deps.limits.cacheTtlSeconds).catch(() => undefined);
        }
        return { body, fromCache: false };
      },
      context.signal,
    );
    const { body, fromCache } = await flight.promise;
    if (fromCache) return this.reuse(corpus, context, question, body, 'hit', buildId, started);
    if (flight.shared) return this.reuse(corpus, context, question, body, 'shared', buildId, started);
    return body;
  }

  /**
   * An answer computed for another request (a cache hit, or a concurrent identical
   * request): its own trace and timings, no provider usage of its own, and the
   * stream events a fresh answer would have sent.
   */
  private async reuse(
    corpus: Corpus,
    context: AnswerContext,
    question: string,
    original: AnswerBody,
    cache: 'hit' | 'shared',
    buildId: string,
    started: number,
  ): Promise<AnswerBody> {
    const body: AnswerBody = {
      ...original,
      cached: true,
      // This request made no provider call: nothing to charge to the tenant's token budgets.
      usage: { ...original.usage, inputTokens: 0, outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, cachedShare: 0, costUsd: 0 },
      timings: { retrieveMs: 0, rerankMs: 0, assembleMs: 0, generateMs: 0, verifyMs: 0, totalMs: round(performance.now() - started) },
    };
    body.traceId = this.recordTrace(corpus, context.requestId, question, body, {
      cache,
      buildId,
      sourceTraceId: original.traceId,
      fallbackUsed: false,
      ...conversationTrace(context.conversation, question),
    });
    context.events?.onRetrieval?.(body.sources);
    const text = body.sentences.map((sentence) => sentence.text).join(' ');
    if (text) context.events?.onDelta?.(text);
    for (const citation of body.citations) context.events?.onCitation?.(citation);
    return body;
  }

  private async compute(corpus: Corpus, question: string, options: AnswerOptions, context: AnswerContext): Promise<AnswerBody> {
    const started = performance.now();
    const retrieval = await withSpan('answer.retrieve', { 'attest.corpus': corpus.id, 'attest.k': options.k }, () => this.deps.search.search(corpus, question, { k: options.k }));
    const retrieveMs = retrieval.timings.totalMs - retrieval.timings.rerankMs;
    const sources = summarize(retrieval.results);
    context.events?.onRetrieval?.(sources);
    const timings = { retrieveMs: round(retrieveMs), rerankMs: round(retrieval.timings.rerankMs), assembleMs: 0, generateMs: 0, verifyMs: 0, totalMs: 0 };
    const none: AnswerUsage = { provider: 'none', model: 'none', inputTokens: 0, outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, cachedShare: 0, costUsd: 0 };

    const gateStart = performance.now();
    const gate = this.deps.gate
      ? await withSpan('answer.gate', { 'attest.corpus': corpus.id }, () => this.deps.gate!.check(question, retrieval.build, retrieval.results, context.signal))
      : undefined;
    const gateMs = round(performance.now() - gateStart);
    if (retrieval.empty || (gate && !gate.answerable)) {
      const reason = gate && !gate.answerable ? (gate.reason ?? 'refused') : 'no_relevant_sources';
      const pieces = toAnswerBody({ sentences: [], citations: [], removed: [], refused: true, refusalReason: reason });
      const body = this.body(gate?.message ? { ...pieces, answer: gate.message } : pieces, { degraded: false, sources, usage: none, timings, started, mode: this.plannedMode(), gate });
      body.traceId = this.recordTrace(corpus, context.requestId, question, body, {
        cache: 'miss',
        retrieved: retrieval.results.map((item) => item.chunkId),
        buildId: retrieval.build.id,
        gate: gateTrace(gate, gateMs),
        verification: { removed: [], repaired: false },
        fallbackUsed: false,
        ...conversationTrace(context.conversation, question),
      });
      return body;
    }

    const assembleStart = performance.now();
    const historyTokens = context.conversation?.historyTokens ?? 0;
    const packed = assembleContext(
      retrieval.results.map((item) => ({ ...item, score: item.score })),
      { question, maxInputTokens: this.deps.limits.maxInputTokens - this.deps.limits.maxOutputTokens - historyTokens, prompt: this.deps.prompt, cache: this.deps.contextCache, tenantId: corpus.tenantId },
    );
    // Earlier turns go between the system prompt and the sources: the stable prefix grows turn by turn.
    const assembled = context.conversation
      ? { ...packed, messages: [...packed.messages.slice(0, 1), ...context.conversation.history, ...packed.messages.slice(1)], tokens: packed.tokens + historyTokens }
      : packed;
    timings.assembleMs = round(performance.now() - assembleStart);
    if (assembled.sources.length === 0) {
      // Retrieval found sources but the question leaves no room for even one: asking a model with none is wasted money.
      const budget = this.deps.limits.maxInputTokens - this.deps.limits.maxOutputTokens;
      const smallest = Math.min(...retrieval.results.map((item) => item.tokenCount));
      throw new AppError('BUDGET_EXCEEDED', `the question and prompt take ${assembled.tokens} of the ${budget} input tokens left after reserving the output; the smallest retrieved source needs ${smallest} more`, {
        status: 413,
        details: { requiredTokens: assembled.tokens + smallest, questionAndPromptTokens: assembled.tokens, maxInputTokens: this.deps.limits.maxInputTokens, reservedOutputTokens: this.deps.limits.maxOutputTokens },
      });
    }

    const generateStart = performance.now();
    let extractor = new StreamTextExtractor();
    let streamedText = '';
    const onDelta = context.events?.onDelta
      ? (delta: string) => {
          const text = extractor.push(delta);
          if (!text) return;
          streamedText += text;
          context.events?.onDelta?.(text);
        }
      : undefined;
    const onRestart = () => {
      extractor = new StreamTextExtractor();
      if (!streamedText) return;
      streamedText = '';
      context.events?.onReset?.('retry');
    };
    const generate = (messages: GenerationMessage[], withStream: boolean) =>
      this.deps.chain.generate({
        messages,
        sources: assembled.sources,
        question,
        maxOutputTokens: this.deps.limits.maxOutputTokens,
        // The assembler's count holds for its own messages, not for a repair call's.
        ...(messages === assembled.messages ? { inputTokens: assembled.tokens } : {}),
        promptCacheKey: promptCacheKey(this.deps.prompt.version, corpus.tenantId),
        ...(context.signal ? { signal: context.signal } : {}),
        ...(withStream && onDelta ? { onDelta, onRestart } : {}),
      });
    const release = await this.deps.providerSlots?.acquire();
    if (this.deps.providerSlots && !release) {
      throw new AppError('OVERLOADED', 'too many answers are being generated right now; retry shortly', { retryAfterMs: 2_000 });
    }
    let first: Awaited<ReturnType<typeof generate>>;
    try {
      first = await withSpan('answer.generate', { 'attest.sources': assembled.sources.length, 'attest.input_tokens': assembled.tokens }, () => generate(assembled.messages, true));
    } finally {
      release?.();
    }
    timings.generateMs = round(performance.now() - generateStart);
    let usage = addUsage(first.result.usage, { inputTokens: 0, outputTokens: 0, cachedTokens: 0 });
    // Each call priced by the model that answered it: a repair answered by another provider bills at its own price.
    let costUsd = this.costOf(first.result);
    let result: GenerationResult = first.result;
    let answered = first;

    let verifyStart = performance.now();
    let verified: VerifiedAnswer = verifyAnswer(result.output, assembled.sources);
    timings.verifyMs = round(performance.now() - verifyStart);
    // Every sentence removed, from the first answer and from the repair: the trace keeps them all.
    const removed = verified.removed.map((entry) => ({ ...entry, attempt: 1 }));
    let repaired = false;
    if (verified.removed.length > 0 && !first.degraded) {
      const repairStart = performance.now();
      const repairMessages: GenerationMessage[] = [
        ...assembled.messages,
        { role: 'user', content: `<previous_answer>${JSON.stringify(result.output)}</previous_answer>\n${describeFailures(verified.removed)}` },
      ];
      try {
        const second = await generate(repairMessages, false);
        timings.generateMs = round(timings.generateMs + performance.now() - repairStart);
        usage = addUsage(usage, second.result.usage);
        costUsd = Math.round((costUsd + this.costOf(second.result)) * 1e8) / 1e8;
        verifyStart = performance.now();
        const again = verifyAnswer(second.result.output, assembled.sources);
        timings.verifyMs = round(timings.verifyMs + performance.now() - verifyStart);
        removed.push(...again.removed.map((entry) => ({ ...entry, attempt: 2 })));
        if (again.sentences.length >= verified.sentences.length || (again.refused && verified.refused)) {
          verified = again;
          result = second.result;
          answered = second;
          repaired = true;
        }
      } catch (error) {
        if (context.signal?.aborted) throw error;
      }
    }
    let support: number[] | undefined;
    if (this.deps.support && !verified.refused) {
      const scores = await scoreSupport(verified, this.deps.support.scorer, context.signal);
      // An extractive answer quotes itself: its support is reported, never used to remove it.
      const supported = applySupport(verified, scores, result.provider === 'local' ? Number.NEGATIVE_INFINITY : this.deps.support.floor);
      removed.push(...supported.removed.slice(verified.removed.length).map((entry) => ({ ...entry, attempt: repaired ? 2 : 1 })));
      verified = supported;
      support = supported.support;
    }
    const verifiedPieces = toAnswerBody(verified);
    const pieces = await this.withQuotePages(
      support ? { ...verifiedPieces, sentences: verifiedPieces.sentences.map((sentence, index) => ({ ...sentence, support: support[index] ?? 0 })) } : verifiedPieces,
    );
    // Deltas are the model's text as it arrives, before verification. When verification removed or a repair
    // replaced any of it, the stream takes it back and sends the verified text, so a client that shows deltas
    // never keeps a sentence the answer does not stand behind.
    const verifiedText = pieces.sentences.map((sentence) => sentence.text).join(' ');
    if (streamedText && squash(streamedText) !== squash(verifiedText)) {
      context.events?.onReset?.('unverified');
      if (verifiedText) context.events?.onDelta?.(verifiedText);
    }
    for (const citation of pieces.citations) context.events?.onCitation?.(citation);
    const body = this.body(pieces, {
      // The answer shown is the one that decides: a repair answered by the local fallback is degraded.
      degraded: answered.degraded,
      sources,
      usage: { provider: result.provider, model: result.model, ...usage, cachedShare: share(usage.cachedTokens, usage.inputTokens), costUsd },
      timings,
      started,
      mode: result.provider === 'local' ? 'extractive' : 'generative',
      gate,
    });
    body.traceId = this.recordTrace(corpus, context.requestId, question, body, {
      cache: 'miss',
      buildId: retrieval.build.id,
      retrieved: retrieval.results.map((item) => item.chunkId),
      contextChunks: assembled.sources.flatMap((source) => source.chunkIds),
      contextCache: assembled.cacheHit ? 'hit' : 'miss',
      gate: gateTrace(gate, gateMs),
      verification: { removed, repaired },
      fallbackUsed: answered.providerUsed !== this.deps.chain.providers[0]?.provider,
      ...conversationTrace(context.conversation, question),
    });
    return body;
  }

  private costOf(result: GenerationResult): number {
    const requested = this.deps.chain.providers.find((entry) => entry.provider === result.provider)?.modelId;
    return this.deps.prices.cost(result.model, result.usage, requested);
  }

  private body(
    pieces: ReturnType<typeof toAnswerBody>,
    extra: { degraded: boolean; sources: SourceSummary[]; usage: AnswerBody['usage']; timings: AnswerBody['timings']; started: number; mode: AnswerMode; gate: GateDecision | undefined },
  ): AnswerBody {
    return {
      ...pieces,
      mode: extra.mode,
      gate: { passed: extra.gate?.answerable ?? true, reason: extra.gate?.reason ?? null, message: extra.gate?.message ?? null },
      degraded: extra.degraded,
      cached: false,
      traceId: '',
      sources: extra.sources,
      usage: extra.usage,
      timings: { ...extra.timings, totalMs: round(performance.now() - extra.started) },
    };
  }

  /**
   * Citations whose chunk spans a page break get the pages where their quote starts and ends; a quote on pages
   * read by OCR is marked with their confidence. Paged sources only: the rest have no page to look up.
   */
  private async withQuotePages(pieces: ReturnType<typeof toAnswerBody>): Promise<ReturnType<typeof toAnswerBody>> {
    const pagesOf = this.deps.pagesOf;
    if (!pagesOf || !pieces.citations.some((citation) => citation.page !== null)) return pieces;
    const citations = await Promise.all(
      pieces.citations.map(async (citation) => {
        if (citation.page === null) return citation;
        const pages = await pagesOf(citation.versionId).catch(() => []);
        const narrowed = citation.pageEnd === citation.page ? citation : narrowPages(citation, pages);
        const ocr = ocrOfPages(pages, narrowed.page, narrowed.pageEnd);
        return ocr ? { ...narrowed, ocr } : narrowed;
      }),
    );
    return { ...pieces, citations };
  }

  /** The mode of the chain's first generator: what would have answered a question refused before generation. */
  private plannedMode(): AnswerMode {
    return this.deps.chain.providers[0]?.provider === 'local' ? 'extractive' : 'generative';
  }

  /** The canonical trace: no question text (only its hash) and no document text. */
  private recordTrace(corpus: Corpus, requestId: string | undefined, question: string, body: AnswerBody, extra: Record<string, unknown>): string {
    const id = randomUUID();
    const trace = {
      requestId: requestId ?? null,
      tenantId: corpus.tenantId,
      corpusId: corpus.id,
      generation: corpus.generation,
      questionHash: createHash('sha256').update(question).digest('hex'),
      prompt: { id: this.deps.prompt.id, version: this.deps.prompt.version, hash: this.deps.prompt.hash },
      provider: body.usage.provider,
      model: body.usage.model,
      tokens: {
        input: body.usage.inputTokens,
        output: body.usage.outputTokens,
        cached: body.usage.cachedTokens,
        cacheWrite: body.usage.cacheWriteTokens,
        cachedShare: body.usage.cachedShare,
      },
      costUsd: body.usage.costUsd,
      timings: body.timings,
      citedChunkIds: body.citations.map((citation) => citation.chunkId),
      citations: body.citations.map(({ n, documentId, versionId, chunkId, start, end, verified }) => ({ n, documentId, versionId, chunkId, start, end, verified })),
      refused: body.refused,
      refusalReason: body.refusalReason,
      degraded: body.degraded,
      cached: body.cached,
      ...extra,
    };
    this.deps.traces.record({ id, tenantId: corpus.tenantId, corpusId: corpus.id, requestId: requestId ?? null, trace, createdAt: new Date() });
    const verification = extra['verification'] as { removed?: unknown[] } | undefined;
    this.deps.onAnswered?.(corpus.tenantId, { ...body, traceId: id, removedCount: verification?.removed?.length ?? 0 });
    return id;
  }
}

/** The gate's decision and scores for the trace (no question text: per-term statistics only). */
function gateTrace(gate: GateDecision | undefined, ms: number): Record<string, unknown> {
  if (!gate) return { ran: false };
  return { ran: true, answerable: gate.answerable, reason: gate.reason, missingTerms: gate.missing.length, ms, ...gate.scores };
}
