import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../src/core/db/client';
import { documents, sourcePages, sources, sourceSyncs, type SourcePageError, type SourcePageRow, type SourceRow, type SourceSyncCounts, type SourceSyncRow } from '../../src/core/db/schema';
import { AppError } from '../../src/core/errors';
import { isUuid } from '../../src/core/corpora';

export const EMPTY_COUNTS: SourceSyncCounts = { found: 0, fetched: 0, unchanged: 0, added: 0, updated: 0, deleted: 0, failed: 0, skipped: 0 };
/** Per-page errors kept with a sync; the counts still count all of them. */
export const MAX_SYNC_ERRORS = 200;
const ACTIVE = ['queued', 'running'];

export type NewSource = Pick<SourceRow, 'tenantId' | 'corpusId' | 'type' | 'url' | 'include' | 'exclude' | 'schedule'>;

/** The rows of sources, their pages and syncs; every read by id is scoped to the tenant. */
export class SourceStore {
  constructor(private readonly db: Db) {}

  async insert(source: NewSource): Promise<SourceRow> {
    const [row] = await this.db.insert(sources).values(source).returning();
    return row!;
  }

  async get(tenantId: string, id: string): Promise<SourceRow> {
    const [row] = isUuid(id) ? await this.db.select().from(sources).where(and(eq(sources.id, id), eq(sources.tenantId, tenantId))) : [];
    if (!row) throw new AppError('SOURCE_NOT_FOUND', `source ${id} not found`);
    return row;
  }

  async find(id: string): Promise<SourceRow | undefined> {
    const [row] = await this.db.select().from(sources).where(eq(sources.id, id));
    return row;
  }

  list(tenantId: string, corpusId: string): Promise<SourceRow[]> {
    return this.db.select().from(sources).where(and(eq(sources.tenantId, tenantId), eq(sources.corpusId, corpusId))).orderBy(sources.createdAt);
  }

  withSchedule(): Promise<SourceRow[]> {
    return this.db.select().from(sources).where(sql`${sources.schedule} IS NOT NULL`);
  }

  async remove(id: string): Promise<void> {
    await this.db.delete(sources).where(eq(sources.id, id));
  }

  pages(sourceId: string): Promise<SourcePageRow[]> {
    return this.db.select().from(sourcePages).where(eq(sourcePages.sourceId, sourceId));
  }

  async pageCount(sourceIds: string[]): Promise<Map<string, number>> {
    if (sourceIds.length === 0) return new Map();
    const rows = await this.db
      .select({ sourceId: sourcePages.sourceId, count: sql<number>`count(*)::int` })
      .from(sourcePages)
      .where(inArray(sourcePages.sourceId, sourceIds))
      .groupBy(sourcePages.sourceId);
    return new Map(rows.map((row) => [row.sourceId, Number(row.count)]));
  }

  /** Which of these documents still exist and are not being deleted (a user may delete a crawled page's document). */
  async liveDocuments(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.select({ id: documents.id }).from(documents).where(and(inArray(documents.id, ids), isNull(documents.deletingAt)));
    return new Set(rows.map((row) => row.id));
  }

  async savePage(page: Omit<SourcePageRow, 'fetchedAt'>): Promise<void> {
    const values = { ...page, fetchedAt: new Date() };
    await this.db.insert(sourcePages).values(values).onConflictDoUpdate({ target: [sourcePages.sourceId, sourcePages.url], set: values });
  }

  async removePage(sourceId: string, url: string): Promise<void> {
    await this.db.delete(sourcePages).where(and(eq(sourcePages.sourceId, sourceId), eq(sourcePages.url, url)));
  }

  async createSync(source: Pick<SourceRow, 'id' | 'tenantId'>, trigger: string, jobId?: string): Promise<SourceSyncRow> {
    const [row] = await this.db.insert(sourceSyncs).values({ sourceId: source.id, tenantId: source.tenantId, trigger, jobId: jobId ?? null }).returning();
    return row!;
  }

  async setSyncJob(syncId: string, jobId: string): Promise<void> {
    await this.db.update(sourceSyncs).set({ jobId }).where(eq(sourceSyncs.id, syncId));
  }

  async sync(syncId: string): Promise<SourceSyncRow | undefined> {
    const [row] = await this.db.select().from(sourceSyncs).where(eq(sourceSyncs.id, syncId));
    return row;
  }

  /** The queued or running sync of a source, if any. */
  async activeSync(sourceId: string): Promise<SourceSyncRow | undefined> {
    const [row] = await this.db
      .select()
      .from(sourceSyncs)
      .where(and(eq(sourceSyncs.sourceId, sourceId), inArray(sourceSyncs.status, ACTIVE)))
      .orderBy(desc(sourceSyncs.createdAt))
      .limit(1);
    return row;
  }

  async latestSyncs(sourceIds: string[]): Promise<Map<string, SourceSyncRow>> {
    if (sourceIds.length === 0) return new Map();
    const rows = await this.db
      .selectDistinctOn([sourceSyncs.sourceId])
      .from(sourceSyncs)
      .where(inArray(sourceSyncs.sourceId, sourceIds))
      .orderBy(sourceSyncs.sourceId, desc(sourceSyncs.createdAt));
    return new Map(rows.map((row) => [row.sourceId, row]));
  }

  async started(syncId: string): Promise<void> {
    await this.db.update(sourceSyncs).set({ status: 'running', startedAt: new Date() }).where(eq(sourceSyncs.id, syncId));
  }

  async progress(syncId: string, counts: SourceSyncCounts, errors: SourcePageError[]): Promise<void> {
    await this.db.update(sourceSyncs).set({ counts, errors: errors.slice(0, MAX_SYNC_ERRORS) }).where(eq(sourceSyncs.id, syncId));
  }

  async finished(syncId: string, outcome: { counts?: SourceSyncCounts; errors?: SourcePageError[]; error?: { code: string; message: string } }): Promise<void> {
    await this.db
      .update(sourceSyncs)
      .set({
        status: outcome.error ? 'failed' : 'completed',
        finishedAt: new Date(),
        ...(outcome.counts ? { counts: outcome.counts } : {}),
        ...(outcome.errors ? { errors: outcome.errors.slice(0, MAX_SYNC_ERRORS) } : {}),
        errorCode: outcome.error?.code ?? null,
        errorMessage: outcome.error?.message.slice(0, 500) ?? null,
      })
      .where(and(eq(sourceSyncs.id, syncId), inArray(sourceSyncs.status, ACTIVE)));
  }
}
