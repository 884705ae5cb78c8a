import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../src/core/db/client';
import { chunks, documents, documentVersions, jobs, type Corpus } from '../src/core/db/schema';
import { bumpGeneration } from '../src/core/corpora';
import { AppError } from '../src/core/errors';
import type { JobQueue } from '../src/jobs/ports';
import { buildScope } from './builds';
import { chunkCounts, documentView, getDocument, listDocuments, setVersionJob, storeUpload, versionsOf, type UploadInput } from './documents';
import { INGEST_JOB, ingestVersion, type PipelineDeps } from './pipeline';
import { removeOriginals } from './originals';

export interface UploadResult {
  documentId: string;
  versionId: string;
  jobId: string | null;
  status: string;
  deduplicated: boolean;
}

export function ingestJobId(versionId: string): string {
  return `ingest-${versionId}`;
}

/** The ingestion use cases behind the HTTP API and the workers. */
export class IngestionService {
  constructor(
    private readonly deps: PipelineDeps,
    private readonly queue: JobQueue,
  ) {}

  private get db(): Db {
    return this.deps.db;
  }

  registerHandlers(queue: JobQueue = this.queue): void {
    queue.register<{ versionId: string }>(INGEST_JOB, (data, context) => ingestVersion(this.deps, data.versionId, context), {
      // The job was given up on without the pipeline failing it (its worker kept dying): the version must not stay `processing`.
      onAbandoned: async (data, error) => {
        await this.db
          .update(documentVersions)
          .set({ status: 'failed', errorCode: error.code, errorMessage: error.message.slice(0, 500) })
          .where(and(eq(documentVersions.id, data.versionId), inArray(documentVersions.status, ['pending', 'processing'])));
      },
    });
  }

  /**
   * Bytes and version row are stored first; the job is enqueued after. If the
   * queue is down the upload still succeeds (status pending) and the version is
   * re-enqueued when a worker starts: nothing uploaded is lost.
   */
  async upload(input: UploadInput, requestId?: string): Promise<UploadResult> {
    const stored = await storeUpload(this.db, input, this.deps.driver, this.deps.originalsDir);
    const { document, version } = stored;
    if (stored.deduplicated && (version.status === 'superseded' || version.status === 'failed')) {
      // Old bytes again (A → B → A), or a retry of a failed version: it becomes the live version anew.
      return this.reactivate(version.id, version.tenantId, document.id, requestId);
    }
    if (stored.deduplicated) {
      return { documentId: document.id, versionId: version.id, jobId: version.jobId, status: version.status, deduplicated: true };
    }
    const jobId = ingestJobId(version.id);
    await setVersionJob(this.db, version.id, jobId);
    try {
      await this.queue.enqueue(INGEST_JOB, { versionId: version.id }, { tenantId: version.tenantId, jobId, requestId });
    } catch {
      // Stored but not queued: recoverPending() picks it up. The caller still gets its ids.
    }
    return { documentId: document.id, versionId: version.id, jobId, status: 'pending', deduplicated: false };
  }

  private async reactivate(versionId: string, tenantId: string, documentId: string, requestId?: string): Promise<UploadResult> {
    const jobId = `${ingestJobId(versionId)}-${Date.now().toString(36)}`;
    // Its upload time moves to now, so it supersedes the newer-by-creation version when it is indexed.
    await this.db
      .update(documentVersions)
      .set({ status: 'pending', errorCode: null, errorMessage: null, jobId, createdAt: new Date() })
      .where(eq(documentVersions.id, versionId));
    try {
      await this.queue.enqueue(INGEST_JOB, { versionId }, { tenantId, jobId, requestId });
    } catch {
      // As for a new upload: stored, and picked up by recoverPending().
    }
    return { documentId, versionId, jobId, status: 'pending', deduplicated: true };
  }

  /** Re-enqueues versions left pending or processing (crash, queue outage). Enqueue is idempotent by job id. */
  async recoverPending(): Promise<number> {
    const stuck = await this.db
      .select({ id: documentVersions.id, tenantId: documentVersions.tenantId, jobId: documentVersions.jobId, jobState: jobs.state })
      .from(documentVersions)
      .leftJoin(jobs, eq(jobs.id, documentVersions.jobId))
      .where(inArray(documentVersions.status, ['pending', 'processing']));
    let count = 0;
    for (const version of stuck) {
      if (this.queue.kind === 'inline' && (version.jobState === 'queued' || version.jobState === 'active')) continue;
      // A job that already ended cannot be enqueued again under its id (BullMQ keeps it): take a fresh one.
      const ended = version.jobState === 'completed' || version.jobState === 'failed';
      const jobId = ended ? `${ingestJobId(version.id)}-${Date.now().toString(36)}` : (version.jobId ?? ingestJobId(version.id));
      await this.queue.enqueue(INGEST_JOB, { versionId: version.id }, { tenantId: version.tenantId, jobId });
      await setVersionJob(this.db, version.id, jobId);
      count += 1;
    }
    return count;
  }

  async get(tenantId: string, documentId: string) {
    const document = await getDocument(this.db, tenantId, documentId);
    const versions = await versionsOf(this.db, [document.id]);
    return documentView(document, versions, await chunkCounts(this.db, versions.map((version) => version.id)));
  }

  async list(corpus: Corpus, options: { limit: number; offset: number }) {
    const rows = await listDocuments(this.db, corpus, options);
    const versions = await versionsOf(this.db, rows.map((row) => row.id));
    const counts = await chunkCounts(this.db, versions.map((version) => version.id));
    return rows.map((row) => documentView(row, versions.filter((version) => version.documentId === row.id), counts));
  }

  /** Removes the document's chunks, postings and vectors from every build, then the rows; caches miss after. */
  async delete(tenantId: string, documentId: string): Promise<void> {
    const document = await getDocument(this.db, tenantId, documentId);
    const chunkRows = await this.db.select({ id: chunks.id }).from(chunks).where(eq(chunks.documentId, document.id));
    const ids = chunkRows.map((row) => row.id);
    if (ids.length > 0) {
      for (const build of await this.deps.builds.live(document.corpusId)) {
        await this.deps.lexical.removeChunks(buildScope(build), ids);
        await this.deps.vectors.removeChunks(buildScope(build), ids);
      }
    }
    const { originalsDir } = this.deps;
    const versions = originalsDir ? await this.db.select({ id: documentVersions.id }).from(documentVersions).where(eq(documentVersions.documentId, document.id)) : [];
    const deleted = await this.db
      .delete(documents)
      .where(and(eq(documents.id, document.id), eq(documents.tenantId, tenantId)))
      .returning({ id: documents.id });
    if (deleted.length === 0) throw new AppError('DOCUMENT_NOT_FOUND', `document ${documentId} not found`);
    // After the rows: a crash in between leaves files no version names, never a version without its bytes.
    if (originalsDir) await removeOriginals(originalsDir, versions.map((version) => version.id));
    await bumpGeneration(this.db, document.corpusId);
  }
}

