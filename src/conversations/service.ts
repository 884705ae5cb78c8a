import type { Corpus, ConversationMessageRow, ConversationRow } from '../core/db/schema';
import type { AnswerBody, AnswerContext, AnswerService } from '../query/answer-service';
import { historyWindow } from './history';
import { rewriteFollowUp, type Rewrite } from './rewrite';
import type { ConversationStore } from './store';

export interface ConversationSettings {
  /** Days a conversation is kept after its last turn; 0 keeps it until deleted. */
  retentionDays: number;
  /** Tokens of earlier turns generation sees at most (the oldest turns go first). */
  historyTokens: number;
  /** How long one turn may hold the conversation before another message is let in. */
  leaseMs: number;
}

/** Turns a follow-up into a standalone question. The embedded default's is deterministic (./rewrite.ts). */
export interface QuestionRewriter {
  rewrite(question: string, previous: { standaloneQuestion: string } | undefined, context: { conversationId: string; turn: number; signal?: AbortSignal }): Promise<Rewrite>;
}

export const localRewriter: QuestionRewriter = {
  rewrite: async (question, previous) => rewriteFollowUp(question, previous),
};

export interface MessageView {
  turn: number;
  question: string;
  standaloneQuestion: string;
  createdAt: string;
  answer: Record<string, unknown>;
}

export type TurnBody = AnswerBody & { conversationId: string; turn: number; question: string; standaloneQuestion: string };

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
function messageView(row: ConversationMessageRow, live: Set<string>): MessageView {
  const answer = row.answer as { citations?: { versionId: string }[] };
  const citations = (answer.citations ?? []).map((citation) => ({ ...citation, deleted: !live.has(citation.versionId) }));
  return {
    turn: row.turn,
    question: row.question,
    standaloneQuestion: row.standaloneQuestion,
    createdAt: row.createdAt.toISOString(),
    answer: { ...row.answer, citations },
  };
}

export class ConversationService {
  constructor(
    private readonly store: ConversationStore,
    private readonly answers: Pick<AnswerService, 'answer' | 'checkBudget'>,
    private readonly settings: ConversationSettings,
    private readonly rewriter: QuestionRewriter = localRewriter,
  ) {}

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
    const live = await this.store.liveVersions(versionIds);
    return rows.map((message) => messageView(message, live));
  }

  /**
   * Answers the next turn: the conversation is leased (one turn at a time), the question rewritten into a
   * standalone one from the previous turn, retrieval runs on that, generation also sees the earlier turns
   * within the history budget, and the whole answer body is stored as the turn.
   */
  async ask(tenantId: string, conversationId: string, corpusOf: (row: ConversationRow) => Promise<Corpus>, question: string, context: AnswerContext): Promise<TurnBody> {
    const row = await this.store.lease(tenantId, conversationId, this.settings.leaseMs);
    try {
      const corpus = await corpusOf(row);
      const earlier = await this.store.messages(row.id);
      const previous = earlier[earlier.length - 1];
      const turn = (previous?.turn ?? 0) + 1;
      const rewrite = await this.rewriter.rewrite(question, previous ? { standaloneQuestion: previous.standaloneQuestion } : undefined, { conversationId: row.id, turn, ...(context.signal ? { signal: context.signal } : {}) });
      this.answers.checkBudget(rewrite.standaloneQuestion, tenantId);
      const history = historyWindow(
        earlier.map((message) => ({ turn: message.turn, question: message.question, answer: String((message.answer as { answer?: unknown }).answer ?? '') })),
        this.settings.historyTokens,
      );
      const body = await this.answers.answer(corpus, rewrite.standaloneQuestion, { k: 8 }, {
        ...context,
        conversation: {
          conversationId: row.id,
          turn,
          history: history.messages,
          historyTokens: history.tokens,
          trimmedTurns: history.trimmed,
          originalQuestion: question,
          rewrite: rewrite.kind,
        },
      });
      const turnBody: TurnBody = { ...body, conversationId: row.id, turn, question, standaloneQuestion: rewrite.standaloneQuestion };
      await this.store.addMessage(row, { turn, question, standaloneQuestion: rewrite.standaloneQuestion, answer: turnBody, traceId: body.traceId || null }, expiry(this.settings));
      return turnBody;
    } finally {
      await this.store.release(row.id).catch(() => undefined);
    }
  }

  purgeExpired(now?: Date): Promise<number> {
    return this.store.purgeExpired(now);
  }
}
