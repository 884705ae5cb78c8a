import { and, asc, desc, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../core/db/client';
import { conversationMessages, conversations, documentVersions, feedback, type ConversationMessageRow, type ConversationRow } from '../core/db/schema';
import { AppError } from '../core/errors';

/** Conversation rows, always read and written within one tenant. */
export class ConversationStore {
  constructor(private readonly db: Db) {}

  async create(values: { tenantId: string; corpusId: string; apiKeyId: string | null; title: string | null; expiresAt: Date | null }): Promise<ConversationRow> {
    const [row] = await this.db.insert(conversations).values(values).returning();
    if (!row) throw new AppError('INTERNAL', 'the conversation was not created');
    return row;
  }

  async get(tenantId: string, id: string): Promise<ConversationRow> {
    const [row] = await this.db.select().from(conversations).where(and(eq(conversations.id, id), eq(conversations.tenantId, tenantId)));
    if (!row) throw new AppError('CONVERSATION_NOT_FOUND', `conversation ${id} not found`);
    return row;
  }

  async list(tenantId: string, options: { limit: number; offset: number; corpusId?: string | undefined }): Promise<ConversationRow[]> {
    const where = options.corpusId ? and(eq(conversations.tenantId, tenantId), eq(conversations.corpusId, options.corpusId)) : eq(conversations.tenantId, tenantId);
    return this.db.select().from(conversations).where(where).orderBy(desc(conversations.updatedAt), desc(conversations.id)).limit(options.limit).offset(options.offset);
  }

  async rename(tenantId: string, id: string, title: string): Promise<ConversationRow> {
    const [row] = await this.db.update(conversations).set({ title, updatedAt: new Date() }).where(and(eq(conversations.id, id), eq(conversations.tenantId, tenantId))).returning();
    if (!row) throw new AppError('CONVERSATION_NOT_FOUND', `conversation ${id} not found`);
    return row;
  }

  async delete(tenantId: string, id: string): Promise<void> {
    const deleted = await this.db.delete(conversations).where(and(eq(conversations.id, id), eq(conversations.tenantId, tenantId))).returning({ id: conversations.id });
    if (deleted.length === 0) throw new AppError('CONVERSATION_NOT_FOUND', `conversation ${id} not found`);
  }

  /**
   * Takes the conversation for one turn: a second message while a turn is being answered gets 409
   * CONVERSATION_BUSY instead of interleaving with it. A lease, not a lock: a process that dies mid-turn
   * frees it when `leaseMs` runs out.
   */
  async lease(tenantId: string, id: string, leaseMs: number): Promise<ConversationRow> {
    const [row] = await this.db
      .update(conversations)
      .set({ busyUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
      .where(and(eq(conversations.id, id), eq(conversations.tenantId, tenantId), sql`(${conversations.busyUntil} IS NULL OR ${conversations.busyUntil} < now())`))
      .returning();
    if (row) return row;
    await this.get(tenantId, id);
    throw new AppError('CONVERSATION_BUSY', 'this conversation is answering another message; send the next one when it is done', { retryAfterMs: 1_000 });
  }

  async release(id: string): Promise<void> {
    await this.db.update(conversations).set({ busyUntil: null }).where(eq(conversations.id, id));
  }

  async messages(conversationId: string): Promise<ConversationMessageRow[]> {
    return this.db.select().from(conversationMessages).where(eq(conversationMessages.conversationId, conversationId)).orderBy(asc(conversationMessages.turn));
  }

  /** Adds a turn and moves the conversation on, in one transaction (the turn number is the primary key). */
  async addMessage(conversation: ConversationRow, message: Omit<ConversationMessageRow, 'createdAt' | 'conversationId' | 'tenantId'>, expiresAt: Date | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(conversationMessages).values({ ...message, conversationId: conversation.id, tenantId: conversation.tenantId });
      await tx
        .update(conversations)
        .set({ turns: message.turn, updatedAt: new Date(), expiresAt, ...(conversation.title ? {} : { title: message.question.slice(0, 80) }) })
        .where(eq(conversations.id, conversation.id));
    });
  }

  /** Replaces the last turn with its regenerated answer (same turn number), in one transaction. */
  async replaceMessage(conversation: ConversationRow, message: Omit<ConversationMessageRow, 'createdAt' | 'conversationId' | 'tenantId'>, expiresAt: Date | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(conversationMessages).where(and(eq(conversationMessages.conversationId, conversation.id), eq(conversationMessages.turn, message.turn)));
      await tx.insert(conversationMessages).values({ ...message, conversationId: conversation.id, tenantId: conversation.tenantId });
      await tx.update(conversations).set({ updatedAt: new Date(), expiresAt }).where(eq(conversations.id, conversation.id));
    });
  }

  /** The latest rating given to each of these traces (POST /v1/feedback), within the tenant. */
  async ratings(tenantId: string, traceIds: string[]): Promise<Map<string, string>> {
    if (traceIds.length === 0) return new Map();
    const rows = await this.db
      .select({ traceId: feedback.traceId, rating: feedback.rating })
      .from(feedback)
      .where(and(eq(feedback.tenantId, tenantId), inArray(feedback.traceId, [...new Set(traceIds)])))
      .orderBy(asc(feedback.createdAt));
    return new Map(rows.map((row) => [row.traceId, row.rating]));
  }

  /** Of these document versions, the ones still stored (a deleted document's versions are gone). */
  async liveVersions(versionIds: string[]): Promise<Set<string>> {
    if (versionIds.length === 0) return new Set();
    const rows = await this.db.select({ id: documentVersions.id }).from(documentVersions).where(inArray(documentVersions.id, [...new Set(versionIds)]));
    return new Set(rows.map((row) => row.id));
  }

  /** Deletes conversations past their retention; returns how many. */
  async purgeExpired(now: Date = new Date()): Promise<number> {
    const deleted = await this.db.delete(conversations).where(and(isNotNull(conversations.expiresAt), lt(conversations.expiresAt, now))).returning({ id: conversations.id });
    return deleted.length;
  }
}
