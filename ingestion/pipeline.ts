import { randomUUID } from 'node:crypto';
import { and, eq, gt, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Db, Store } from '../src/core/db/client';
import { chunks, documentVersions, documents, type AttachmentOutcome, type ChunkRow, type DocumentVersion, type IndexBuild } from '../src/core/db/schema';
import { bumpGeneration } from '../src/core/corpora';
import { AppError, isAppError, toAppError } from '../src/core/errors';
import type { LexicalIndex, VectorIndex } from '../indexes/ports';
import { copyInOf } from '../indexes/postgres/transaction';
import type { JobContext } from '../src/jobs/ports';
import { buildScope, type BuildStore } from './builds';
import type { ChunkDraft, ChunkerConfig } from './chunk';
import { CHUNK_COPY_COLUMNS, chunksCopy } from './chunks-copy';
import { readVersionBytes } from './documents';
import { embedWithCache } from './embed';
import type { EmbeddingRegistry } from './embedding-registry';
import type { NormalizedDocument } from './normalize';
import { parseDocument, type ParseOptions } from './parse';
import type { ParsedAttachment } from './parse/types';
import type { DocumentMime } from './sniff';
import { inlineTextStages, type TextStages } from './text-stages';

export const INGEST_JOB = 'ingest-version';

export interface PipelineDeps {
  db: Db;
  /** PGlite takes binary COPY (see indexes/postgres/transaction.ts). */
  driver: Store['driver'];
  /** Store.originalsDir: original bytes as files (PGlite with a data directory). */
  originalsDir?: string | undefined;
  builds: BuildStore;
  registry: EmbeddingRegistry;
  lexical: LexicalIndex;
  vectors: VectorIndex;
  parse: { pdfTimeoutMs: number; pdfMaxMemoryMb: number } & Omit<ParseOptions, 'signal'>;
  /** Where normalization and chunking run (default: inline, on the calling thread). */
  textStages?: TextStages;
}

type Progress = JobContext['progress'];

/**
 * Writes one version's chunks for a chunker config; idempotent on (version,
 * chunker, ordinal). A retry rewrites the rows in place (same ids, so the
 * indexes replace rather than duplicate them), with the drafts' content.
 */
export async function saveChunks(db: Db, version: DocumentVersion, chunkerHash: string, drafts: ChunkDraft[], driver: Store['driver']): Promise<ChunkRow[]> {
  if (drafts.length === 0) return [];
  const copied = driver === 'pglite' ? await copyFirstChunks(db, driver, version, chunkerHash, drafts) : undefined;
  if (copied) return copied;
  const rows: ChunkRow[] = [];
  for (let start = 0; start < drafts.length; start += 500) {
    const values = drafts.slice(start, start + 500).map((draft) => chunkValues(version, chunkerHash, draft));
    // Only the ids come back: echoing every chunk's text cost as much as writing it.
    const inserted = await db
      .insert(chunks)
      .values(values)
      .onConflictDoUpdate({
        target: [chunks.versionId, chunks.chunkerHash, chunks.ordinal],
        set: {
          text: sql`excluded.text`,
          charStart: sql`excluded.char_start`,
          charEnd: sql`excluded.char_end`,
          pageStart: sql`excluded.page_start`,
          pageEnd: sql`excluded.page_end`,
          headingPath: sql`excluded.heading_path`,
          tokenCount: sql`excluded.token_count`,
          contentHash: sql`excluded.content_hash`,
        },
      })
      .returning({ id: chunks.id, ordinal: chunks.ordinal });
    const ids = new Map(inserted.map((row) => [row.ordinal, row.id]));
    for (const value of values) {
      const id = ids.get(value.ordinal);
      if (!id) throw new AppError('INTERNAL', `chunk ${value.ordinal} of version ${version.id} was not written`);
      rows.push({ ...value, id });
    }
  }
  // Chunking is deterministic, but a chunker bug fixed between attempts must not leave strays.
  await db.delete(chunks).where(and(eq(chunks.versionId, version.id), eq(chunks.chunkerHash, chunkerHash), gte(chunks.ordinal, drafts.length)));
  return rows;
}

function chunkValues(version: DocumentVersion, chunkerHash: string, draft: ChunkDraft): Omit<ChunkRow, 'id'> {
  return {
    tenantId: version.tenantId,
    corpusId: version.corpusId,
    documentId: version.documentId,
    versionId: version.id,
    chunkerHash,
    ordinal: draft.ordinal,
    text: draft.text,
    charStart: draft.start,
    charEnd: draft.end,
    pageStart: draft.pageStart,
    pageEnd: draft.pageEnd,
    headingPath: draft.headingPath,
    tokenCount: draft.tokenCount,
    contentHash: draft.contentHash,
  };
}

/**
 * PGlite, when the version has no rows for this chunker yet (a first attempt, the usual case): one binary COPY of
 * all rows, ids made here. Checked and written in one transaction (PGlite runs one at a time), so a retry that
 * finds rows takes the upsert path and keeps their ids. 705 chunks of the five bench PDFs: the upsert's SQL took
 * ~63 ms (drizzle's building of its 10K parameters aside), the COPY ~32 ms.
 */
async function copyFirstChunks(db: Db, driver: Store['driver'], version: DocumentVersion, chunkerHash: string, drafts: ChunkDraft[]): Promise<ChunkRow[] | undefined> {
  return db.transaction(async (tx) => {
    const copyIn = copyInOf(driver, tx);
    if (!copyIn) return undefined;
    const [existing] = await tx
      .select({ id: chunks.id })
      .from(chunks)
      .where(and(eq(chunks.versionId, version.id), eq(chunks.chunkerHash, chunkerHash)))
      .limit(1);
    if (existing) return undefined;
    const rows: ChunkRow[] = drafts.map((draft) => ({ id: randomUUID(), ...chunkValues(version, chunkerHash, draft) }));
    await copyIn(CHUNK_COPY_COLUMNS, chunksCopy(rows));
    return rows;
  });
}

export function lexicalTitle(documentTitle: string, headingPath: string[]): string {
  return [documentTitle, ...headingPath].join(' / ');
}

/** Indexes already-saved chunks into one build: BM25 postings and vectors. */
export async function indexIntoBuild(
  deps: PipelineDeps,
  build: IndexBuild,
  documentTitle: string,
  rows: ChunkRow[],
  progress?: Progress,
  signal?: AbortSignal,
): Promise<void> {
  const scope = buildScope(build);
  const provider = deps.registry.provider(build.embeddingModelId);
  // The postings do not wait for the embeddings: on PostgreSQL the two writes run on two
  // connections at once (PGlite serialises them), and embedding overlaps the postings insert.
  const lexical = deps.lexical.add(
    scope,
    rows.map((row) => ({ chunkId: row.id, documentId: row.documentId, versionId: row.versionId, text: row.text, title: lexicalTitle(documentTitle, row.headingPath) })),
  );
  const vectors = (async () => {
    const embedded = await embedWithCache(deps.db, provider, rows, {
      signal,
      onProgress: progress ? (done, total) => progress({ stage: 'embed', done, total }) : undefined,
    });
    await progress?.({ stage: 'index', done: 0, total: rows.length });
    await deps.vectors.upsert(
      scope,
      build.embeddingModelId,
      rows.map((row, index) => ({ chunkId: row.id, documentId: row.documentId, versionId: row.versionId, vector: embedded[index] ?? [] })),
    );
  })();
  // Both settle before anything is reported: a failed half must not leave the other still writing.
  const [lexicalDone, vectorsDone] = await Promise.allSettled([lexical, vectors]);
  if (lexicalDone.status === 'rejected') throw lexicalDone.reason;
  if (vectorsDone.status === 'rejected') throw vectorsDone.reason;
  await progress?.({ stage: 'index', done: rows.length, total: rows.length });
}

export async function loadVersion(db: Db, versionId: string): Promise<{ version: DocumentVersion; title: string; deleting: boolean } | undefined> {
  const [row] = await db
    .select({ version: documentVersions, title: documents.title, deleting: sql<boolean>`${documents.deletingAt} IS NOT NULL` })
    .from(documentVersions)
    .innerJoin(documents, eq(documents.id, documentVersions.documentId))
    .where(eq(documentVersions.id, versionId));
  return row;
}

export async function parseVersion(
  deps: PipelineDeps,
  version: DocumentVersion,
  signal?: AbortSignal,
): Promise<NormalizedDocument & { pageCount: number | null; title?: string | undefined; attachments?: ParsedAttachment[] | undefined }> {
  const bytes = await readVersionBytes(deps.db, deps.driver, version.id, deps.originalsDir);
  if (!bytes) throw new AppError('INTERNAL', `original bytes of version ${version.id} are missing`, { retryable: false });
  const parsed = await parseDocument(bytes, version.mime as DocumentMime, { ...deps.parse, ...(signal ? { signal } : {}) });
  const normalized = await (deps.textStages ?? inlineTextStages).normalize(parsed);
  if (normalized.text.trim().length === 0) throw new AppError('NO_TEXT', 'the document contains no extractable text', { retryable: false });
  return { ...normalized, pageCount: parsed.pageCount, title: parsed.title, attachments: parsed.attachments };
}

/**
 * The document's own title (metadata or first heading) replaces a title that was only the file name or the
 * placeholder: an explicit upload `title` stays. Only the display title changes; the match key does not.
 */
async function adoptParsedTitle(deps: PipelineDeps, version: DocumentVersion, current: string, parsed: string | undefined): Promise<string> {
  const placeholder = current === version.fileName || current === `document ${version.contentSha256.slice(0, 12)}`;
  const title = parsed?.replace(/\s+/gu, ' ').trim().slice(0, 300);
  if (!placeholder || !title || title === current) return current;
  await deps.db.update(documents).set({ title }).where(and(eq(documents.id, version.documentId), eq(documents.title, current)));
  return title;
}

/** Removes a version's chunks from every live build's indexes (keeps the rows for old traces). */
export async function unindexVersion(deps: PipelineDeps, version: Pick<DocumentVersion, 'id' | 'corpusId'>): Promise<void> {
  const rows = await deps.db.select({ id: chunks.id }).from(chunks).where(eq(chunks.versionId, version.id));
  if (rows.length === 0) return;
  const ids = rows.map((row) => row.id);
  for (const build of await deps.builds.live(version.corpusId)) {
    await deps.lexical.removeChunks(buildScope(build), ids);
    await deps.vectors.removeChunks(buildScope(build), ids);
  }
}

/**
 * The ingestion job: parse → normalize → chunk → embed → index into every live
 * build. Safe to retry after a crash at any stage: chunk rows are upserted on
 * (version, chunker, ordinal) and the indexes replace by chunk id.
 */
export interface IngestHooks {
  /**
   * An email version that went live: its attachments become (or replace) its child documents. Per-attachment
   * failures are outcomes, not errors; a thrown error (the database) fails the job for a retry.
   */
  attachments?(version: DocumentVersion, emailTitle: string, attachments: ParsedAttachment[]): Promise<AttachmentOutcome[]>;
}

export async function ingestVersion(
  deps: PipelineDeps,
  versionId: string,
  context: Pick<JobContext, 'progress' | 'signal' | 'attempt' | 'maxAttempts'>,
  hooks: IngestHooks = {},
): Promise<Record<string, unknown>> {
  const loaded = await loadVersion(deps.db, versionId);
  if (!loaded || loaded.deleting) return { skipped: 'version deleted' };
  const { version } = loaded;
  let { title } = loaded;
  if (version.status === 'superseded') return { skipped: 'version superseded' };
  try {
    await deps.db.update(documentVersions).set({ status: 'processing' }).where(eq(documentVersions.id, version.id));
    await context.progress({ stage: 'parse', done: 0, total: 1 });
    const normalized = await parseVersion(deps, version, context.signal);
    title = await adoptParsedTitle(deps, version, title, normalized.title);
    await deps.db
      .update(documentVersions)
      .set({ normalizedText: normalized.text, pages: normalized.pageCount, structure: { pages: normalized.pages, blocks: normalized.blocks } })
      .where(eq(documentVersions.id, version.id));
    await context.progress({ stage: 'parse', done: 1, total: 1 });

    const builds = await deps.builds.live(version.corpusId);
    const byChunker = new Map<string, ChunkRow[]>();
    let chunkTotal = 0;
    for (const build of builds) {
      let rows = byChunker.get(build.chunkerHash);
      if (!rows) {
        await context.progress({ stage: 'chunk', done: 0, total: 1 });
        const drafts = await (deps.textStages ?? inlineTextStages).chunk(normalized, build.chunker as unknown as ChunkerConfig);
        rows = await saveChunks(deps.db, version, build.chunkerHash, drafts, deps.driver);
        byChunker.set(build.chunkerHash, rows);
        chunkTotal = Math.max(chunkTotal, rows.length);
        await context.progress({ stage: 'chunk', done: rows.length, total: rows.length });
      }
      await indexIntoBuild(deps, build, title, rows, context.progress, context.signal);
    }
    const superseded = await supersedeVersions(deps, version);
    // Only the live version of an email decides its children; a superseded one leaves them to the newer.
    const attachments = !superseded && normalized.attachments && hooks.attachments ? await hooks.attachments(version, title, normalized.attachments) : undefined;
    await deps.db
      .update(documentVersions)
      .set({ status: superseded ? 'superseded' : 'ready', errorCode: null, errorMessage: null, ...(attachments ? { attachments } : {}) })
      .where(eq(documentVersions.id, version.id));
    // Build stats are recounted when read (builds API, gate), not per document: a recount is O(corpus).
    await bumpGeneration(deps.db, version.corpusId);
    return { versionId: version.id, pages: normalized.pageCount, chunks: chunkTotal, ...(attachments ? { attachments: attachments.length } : {}) };
  } catch (thrown) {
    const error = toAppError(thrown);
    const retryable = isAppError(thrown) ? thrown.isRetryable : true;
    if (!retryable || context.attempt >= context.maxAttempts) {
      await deps.db
        .update(documentVersions)
        .set({ status: 'failed', errorCode: error.code, errorMessage: error.message.slice(0, 500) })
        .where(eq(documentVersions.id, version.id));
      // What was indexed before the failure (postings written slice by slice, or all of them when the vectors
      // failed) must not be found: a failed version answers nothing. Best effort; the failure is what to report.
      await unindexVersion(deps, version).catch(() => undefined);
    }
    throw thrown;
  }
}

/**
 * The new version is live: older ready versions leave the indexes. If a newer
 * version finished first (jobs run concurrently), this one steps aside instead;
 * returns whether it did.
 */
async function supersedeVersions(deps: PipelineDeps, version: DocumentVersion): Promise<boolean> {
  // Compared in SQL, and never with itself: the JS Date has milliseconds, the column microseconds, so
  // `created_at > <this version's Date>` matched this very row, and a second run of the same job (a retry
  // beside a job Redis lost and got back) found its own `ready` row "newer" and superseded and unindexed it.
  const uploadedAt = sql`(SELECT v.created_at FROM document_versions v WHERE v.id = ${version.id}::uuid)`;
  const others = and(eq(documentVersions.documentId, version.documentId), ne(documentVersions.id, version.id));
  const [newer] = await deps.db
    .select({ id: documentVersions.id })
    .from(documentVersions)
    .where(and(others, gt(documentVersions.createdAt, uploadedAt), eq(documentVersions.status, 'ready')))
    .limit(1);
  if (newer) {
    await unindexVersion(deps, version);
    return true;
  }
  const older = await deps.db
    .select({ id: documentVersions.id, corpusId: documentVersions.corpusId })
    .from(documentVersions)
    .where(and(others, lt(documentVersions.createdAt, uploadedAt), inArray(documentVersions.status, ['ready', 'processing', 'pending'])));
  for (const old of older) {
    await unindexVersion(deps, old);
    await deps.db.update(documentVersions).set({ status: 'superseded' }).where(eq(documentVersions.id, old.id));
  }
  return false;
}
