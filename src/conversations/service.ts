import type { Corpus, ConversationMessageRow, ConversationRow } from '../core/db/schema';
import type { AnswerBody, AnswerContext, AnswerService } from '../query/answer-service';
import { historyWindow } from './history';
import { LRUCache } from 'lru-cache';
import { localRewriter, type EarlierTurn, type QuestionRewriter, type RewriteOutcome, type RewriterReport } from './rewriter';
import type { ConversationStore } from './store';

export interface ConversationSettings {
  /** Days a conversation is kept after its last turn; 0 keeps it until deleted. */
  retentionDays: number;
  /** Tokens of earlier turns generation sees at most (the oldest turns go first). */
  historyTokens: number;
  /** How long one turn may hold the conversation before another message is let in. */
  leaseMs: number;
}

export interface MessageView {
  turn: number;
  question: string;
  standaloneQuestion: string;
  createdAt: string;
  traceId: string | null;
  /** The latest rating of the turn's answer (POST /v1/feedback with its traceId), if any. */
  feedback: string | null;
  answer: Record<string, unknown>;
}

export type TurnBody = AnswerBody & { conversationId: string; turn: number; question: string; standaloneQuestion: string; rewriter: RewriterReport };

export interface AskOptions {
  /** Answer the last turn again (its question, or an edited one) and replace it, instead of adding a turn. */
  regenerate?: boolean;
}

const answerText = (message: ConversationMessageRow) => String((message.answer as { answer?: unknown }).answer ?? '');

function expiry(settings: ConversationSettings, from = Date.now()): Date | null {
  return settings.retentionDays > 0 ? new Date(from + settings.retentionDays * 86_400_000) : null;
}

export function conversationView(row: ConversationRow) {
  return {
    id: row.id,
    corpusId: row.corpusId,
    title: row.title,
    turns: row.turns,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}

/**
 * A turn's answer as it was given, its citations marked `deleted: true` when their document version is no
 * longer stored (the quote and offsets stay readable; the source cannot be opened any more).
 */
function messageView(row: ConversationMessageRow, live: Set<string>, ratings: Map<string, string>): MessageView {
  const answer = row.answer as { citations?: { versionId: string }[] };
  const citations = (answer.citations ?? []).map((citation) => ({ ...citation, deleted: !live.has(citation.versionId) }));
  return {
    turn: row.turn,
    question: row.question,
    standaloneQuestion: row.standaloneQuestion,
    createdAt: row.createdAt.toISOString(),
    traceId: row.traceId,
    feedback: (row.traceId ? ratings.get(row.traceId) : undefined) ?? null,
    answer: { ...row.answer, citations },
  };
}

export class ConversationService {
  constructor(
    private readonly store: ConversationStore,
    private readonly answers: Pick<AnswerService, 'answer' | 'checkBudget' | 'historyRoom'>,
    private readonly settings: ConversationSettings,
    private readonly rewriter: QuestionRewriter = localRewriter,
  ) {}

  /**
   * Provider rewrites by (conversation, turn) for a turn asked again after it failed (the client retries,
   * no row was stored). A turn that was stored keeps its rewrite in its row: regenerating it reuses that.
   */
  private readonly rewrites = new LRUCache<string, { question: string; standaloneQuestion: string }>({ max: 10_000 });

  create(tenantId: string, corpus: Corpus, options: { title?: string | undefined; apiKeyId?: string | undefined }) {
    return this.store.create({ tenantId, corpusId: corpus.id, apiKeyId: options.apiKeyId ?? null, title: options.title ?? null, expiresAt: expiry(this.settings) });
  }

  list(tenantId: string, options: { limit: number; offset: number; corpusId?: string | undefined }) {
    return this.store.list(tenantId, options);
  }

  get(tenantId: string, id: string) {
    return this.store.get(tenantId, id);
  }

  rename(tenantId: string, id: string, title: string) {
    return this.store.rename(tenantId, id, title);
  }

  delete(tenantId: string, id: string) {
    return this.store.delete(tenantId, id);
  }

  async messages(row: ConversationRow): Promise<MessageView[]> {
    const rows = await this.store.messages(row.id);
    const versionIds = rows.flatMap((message) => ((message.answer as { citations?: { versionId: string }[] }).citations ?? []).map((citation) => citation.versionId));
    const [live, ratings] = await Promise.all([
      this.store.liveVersions(versionIds),
      this.store.ratings(row.tenantId, rows.flatMap((message) => (message.traceId ? [message.traceId] : []))),
    ]);
    return rows.map((message) => messageView(message, live, ratings));
  }

  /**
   * Answers the next turn: the conversation is leased (one turn at a time), the question rewritten into a
   * standalone one from the earlier turns, retrieval runs on that, generation also sees the earlier turns
   * within the history budget (smaller for a long question: history is trimmed before the question fails),
   * and the whole answer body is stored as the turn. With `regenerate`, the last turn is answered afresh
   * (no answer cache) and replaced.
   */
  async ask(tenantId: string, conversationId: string, corpusOf: (row: ConversationRow) => Promise<Corpus>, question: string, context: AnswerContext, options: AskOptions = {}): Promise<TurnBody> {
    const row = await this.store.lease(tenantId, conversationId, this.settings.leaseMs);
    try {
      const corpus = await corpusOf(row);
      const stored = await this.store.messages(row.id);
      const replacing = options.regenerate ? stored[stored.length - 1] : undefined;
      const earlier = (replacing ? stored.slice(0, -1) : stored).map((message): EarlierTurn => ({ turn: message.turn, question: message.question, standaloneQuestion: message.standaloneQuestion, answer: answerText(message) }));
      const turn = replacing?.turn ?? (earlier[earlier.length - 1]?.turn ?? 0) + 1;
      const rewrite = await this.rewriteOnce({ question, earlier, conversationId: row.id, turn, signal: context.signal }, replacing);
      this.answers.checkBudget(rewrite.standaloneQuestion, tenantId);
      const historyBudget = Math.min(this.settings.historyTokens, this.answers.historyRoom(rewrite.standaloneQuestion, tenantId));
      const history = historyWindow(earlier, historyBudget);
      const body = await this.answers.answer(corpus, rewrite.standaloneQuestion, { k: 8 }, {
        ...context,
        ...(replacing ? { fresh: true } : {}),
        conversation: {
          conversationId: row.id,
          turn,
          history: history.messages,
          historyTokens: history.tokens,
          historyBudgetTokens: historyBudget,
          trimmedTurns: history.trimmed,
          originalQuestion: question,
          rewrite: rewrite.kind,
          rewriter: rewrite.rewriter,
          ...(replacing ? { regenerated: true } : {}),
        },
      });
      const turnBody: TurnBody = { ...body, conversationId: row.id, turn, question, standaloneQuestion: rewrite.standaloneQuestion, rewriter: rewrite.rewriter };
      const message = { turn, question, standaloneQuestion: rewrite.standaloneQuestion, answer: turnBody, traceId: body.traceId || null };
      if (replacing) await this.store.replaceMessage(row, message, expiry(this.settings));
      else await this.store.addMessage(row, message, expiry(this.settings));
      return turnBody;
    } finally {
      await this.store.release(row.id).catch(() => undefined);
    }
  }

  /** The turn's rewrite: the stored one when this turn is regenerated with its question, else a cached or new one. */
  private async rewriteOnce(input: Parameters<QuestionRewriter['rewrite']>[0], stored: ConversationMessageRow | undefined): Promise<RewriteOutcome> {
    // The previous turn's rewrite is part of the key: a turn asked again after the one before it was regenerated is rewritten anew.
    const key = `${input.conversationId}:${input.turn}:${input.earlier[input.earlier.length - 1]?.standaloneQuestion ?? ''}`;
    const same = (entry: { question: string } | undefined) => entry !== undefined && entry.question.trim() === input.question.trim();
    const reused = same(stored) ? stored?.standaloneQuestion : same(this.rewrites.get(key)) ? this.rewrites.get(key)?.standaloneQuestion : undefined;
    if (reused !== undefined && input.earlier.length > 0) return { standaloneQuestion: reused, kind: 'cached', rewriter: { by: 'cached', ms: 0 } };
    const outcome = await this.rewriter.rewrite(input);
    // Only a provider's rewrite is worth keeping: a fallback's may be bettered when the turn is asked again.
    if (!['none', 'local', 'cached'].includes(outcome.rewriter.by)) this.rewrites.set(key, { question: input.question, standaloneQuestion: outcome.standaloneQuestion });
    return outcome;
  }

  purgeExpired(now?: Date): Promise<number> {
    return this.store.purgeExpired(now);
  }
}
