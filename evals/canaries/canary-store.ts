import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../src/core/db/client';
import { canaries, canaryRuns, type CanaryRow, type CanaryRunRow, type Corpus } from '../../src/core/db/schema';
import { AppError } from '../../src/core/errors';

export interface CanaryInput {
  query: string;
  expect: { documentId?: string | undefined; chunkContains?: string | undefined };
  k?: number | undefined;
}

export async function createCanary(db: Db, corpus: Corpus, input: CanaryInput): Promise<CanaryRow> {
  if (!input.expect.documentId && !input.expect.chunkContains) {
    throw new AppError('VALIDATION_FAILED', 'expect needs a documentId or a chunkContains text');
  }
  const [row] = await db
    .insert(canaries)
    .values({
      tenantId: corpus.tenantId,
      corpusId: corpus.id,
      query: input.query,
      expectDocumentId: input.expect.documentId ?? null,
      expectChunkContains: input.expect.chunkContains ?? null,
      k: input.k ?? 10,
    })
    .returning();
  if (!row) throw new AppError('INTERNAL', 'canary could not be stored');
  return row;
}

export async function listCanaries(db: Db, corpusId: string): Promise<CanaryRow[]> {
  return db.select().from(canaries).where(eq(canaries.corpusId, corpusId)).orderBy(asc(canaries.createdAt));
}

export async function deleteCanary(db: Db, tenantId: string, corpusId: string, canaryId: string): Promise<void> {
  const deleted = await db
    .delete(canaries)
    .where(and(eq(canaries.id, canaryId), eq(canaries.tenantId, tenantId), eq(canaries.corpusId, corpusId)))
    .returning({ id: canaries.id });
  if (deleted.length === 0) throw new AppError('CANARY_NOT_FOUND', `canary ${canaryId} not found`);
}

export async function listRuns(db: Db, corpusId: string, limit = 100): Promise<CanaryRunRow[]> {
  return db.select().from(canaryRuns).where(eq(canaryRuns.corpusId, corpusId)).orderBy(desc(canaryRuns.createdAt)).limit(limit);
}

export async function lastRun(db: Db, corpusId: string, options: { scheduledOnly?: boolean } = {}): Promise<CanaryRunRow | undefined> {
  const rows = await listRuns(db, corpusId, 50);
  return options.scheduledOnly ? rows.find((row) => row.trigger === 'schedule') : rows[0];
}

export function canaryView(row: CanaryRow) {
  return {
    id: row.id,
    corpusId: row.corpusId,
    query: row.query,
    expect: { ...(row.expectDocumentId ? { documentId: row.expectDocumentId } : {}), ...(row.expectChunkContains ? { chunkContains: row.expectChunkContains } : {}) },
    k: row.k,
    createdAt: row.createdAt.toISOString(),
  };
}

export function runView(row: CanaryRunRow) {
  return {
    id: row.id,
    corpusId: row.corpusId,
    buildId: row.buildId,
    generation: row.generation,
    embeddingModel: row.embeddingModelId,
    analyzerVersion: row.analyzerVersion,
    promptVersion: row.promptVersion,
    trigger: row.trigger,
    recallAtK: row.recallAtK,
    mrr: row.mrr,
    k: row.k,
    hits: row.hits,
    total: row.total,
    misses: row.misses,
    latencyMs: row.latencyMs,
    failed: row.failed,
    error: row.error,
    alerted: row.alerted,
    createdAt: row.createdAt.toISOString(),
  };
}
