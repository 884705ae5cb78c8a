import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../src/core/db/client';
import { chunks, corpora, documents, documentVersions, jobs, type AttachmentOutcome, type Corpus, type DocumentVersion } from '../src/core/db/schema';
import { bumpGeneration } from '../src/core/corpora';
import { AppError, toAppError } from '../src/core/errors';
import { attachmentExternalId, attachmentTitle, DEFAULT_ATTACHMENT_LIMITS, planAttachments, type AttachmentLimits } from './attachments';
import type { ParsedAttachment } from './parse/types';
import type { JobQueue } from '../src/jobs/ports';
import { buildScope } from './builds';
import { attachmentStates, chunkCounts, documentView, getDocument, listDocuments, setVersionJob, storeUpload, versionsOf, type UploadInput } from './documents';
import { INGEST_JOB, ingestVersion, type PipelineDeps } from './pipeline';
import { removeOriginals } from './originals';

export interface UploadResult {
  documentId: string;
  versionId: string;
  jobId: string | null;
  status: string;
  deduplicated: boolean;
}

/**
 * Fault injection for tests: called after each step of a delete, so a test can fail (or pause) it there as a
 * crash would, deterministically.
 */
export interface DeleteSteps {
  after(step: 'lexical' | 'vectors' | 'rows', documentId: string): Promise<void>;
}

export function ingestJobId(versionId: string): string {
  return `ingest-${versionId}`;
}

/** The ingestion use cases behind the HTTP API and the workers. */
export class IngestionService {
  constructor(
    private readonly deps: PipelineDeps,
    private readonly queue: JobQueue,
    private readonly options: { deleteSteps?: DeleteSteps | undefined; attachments?: AttachmentLimits | undefined } = {},
  ) {}

  private get db(): Db {
    return this.deps.db;
  }

  registerHandlers(queue: JobQueue = this.queue): void {
    const hooks = { attachments: (version: DocumentVersion, title: string, attachments: ParsedAttachment[]) => this.syncAttachments(version, title, attachments) };
    queue.register<{ versionId: string }>(INGEST_JOB, (data, context) => ingestVersion(this.deps, data.versionId, context, hooks), {
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
   * Bytes, version row and its job record are committed together (the job record is an outbox, see
   * UploadOutbox); the job is handed to the queue after. If the queue is down the upload still succeeds (status
   * pending) and the recovery sweep hands it over later: nothing uploaded is lost.
   */
  async upload(input: UploadInput, requestId?: string): Promise<UploadResult> {
    const outbox = (tx: Db, version: DocumentVersion) =>
      this.queue.record(tx, INGEST_JOB, { versionId: version.id }, { tenantId: version.tenantId, jobId: ingestJobId(version.id), requestId });
    const stored = await storeUpload(this.db, input, this.deps.driver, this.deps.originalsDir, outbox);
    const { document, version } = stored;
    if (stored.deduplicated) return this.deduplicated(document.id, version, requestId);
    const jobId = version.jobId ?? ingestJobId(version.id);
    try {
      await this.queue.enqueue(INGEST_JOB, { versionId: version.id }, { tenantId: version.tenantId, jobId, requestId });
    } catch {
      // Stored and recorded but not queued: the recovery sweep (recoverPending) hands it over. The caller still gets its ids.
    }
    return { documentId: document.id, versionId: version.id, jobId, status: 'pending', deduplicated: false };
  }

  /**
   * The same bytes again. The answer must point at a version that is, or will be, fully indexed: a failed or
   * superseded one is ingested anew, a pending one whose job is lost gets one, and a `ready` one whose chunks are
   * missing from the active build (a delete or crash left it half-indexed) is ingested again.
   */
  private async deduplicated(documentId: string, version: DocumentVersion, requestId?: string): Promise<UploadResult> {
    if (version.status === 'superseded' || version.status === 'failed') {
      // Old bytes again (A → B → A), or a retry of a failed version: it becomes the live version anew.
      return this.reactivate(version.id, version.tenantId, documentId, requestId);
    }
    if (version.status === 'ready' && !(await this.indexedInActiveBuild(version))) {
      return this.reactivate(version.id, version.tenantId, documentId, requestId);
    }
    if (version.status === 'pending' || version.status === 'processing') {
      // Redis unreachable: its job may well be live; the sweep decides once Redis answers.
      const live = version.jobId ? await this.queue.isLive(version.jobId).catch(() => true) : false;
      const jobId = live && version.jobId ? version.jobId : await this.requeue(version, requestId).catch(() => version.jobId);
      return { documentId, versionId: version.id, jobId, status: version.status, deduplicated: true };
    }
    return { documentId, versionId: version.id, jobId: version.jobId, status: version.status, deduplicated: true };
  }

  /** Whether the corpus's active build holds any of the version's chunks (a ready version has at least one). */
  private async indexedInActiveBuild(version: Pick<DocumentVersion, 'id' | 'corpusId'>): Promise<boolean> {
    const rows = await queryRows<{ one: number }>(
      this.db,
      sql`SELECT 1 AS one FROM build_chunks bc JOIN chunks c ON c.id = bc.chunk_id
          WHERE c.version_id = ${version.id}::uuid
            AND bc.build_id = (SELECT active_build_id FROM corpora WHERE id = ${version.corpusId}::uuid)
          LIMIT 1`,
    );
    return rows.length > 0;
  }

  private async reactivate(versionId: string, tenantId: string, documentId: string, requestId?: string): Promise<UploadResult> {
    const jobId = `${ingestJobId(versionId)}-${Date.now().toString(36)}`;
    // Its upload time moves to now, so it supersedes the newer-by-creation version when it is indexed.
    // The job record commits with the status (outbox): a crash before the enqueue leaves a job for the sweep to hand over.
    await this.db.transaction(async (tx) => {
      await tx
        .update(documentVersions)
        .set({ status: 'pending', errorCode: null, errorMessage: null, jobId, createdAt: new Date() })
        .where(eq(documentVersions.id, versionId));
      await this.queue.record(tx, INGEST_JOB, { versionId }, { tenantId, jobId, requestId });
    });
    try {
      await this.queue.enqueue(INGEST_JOB, { versionId }, { tenantId, jobId, requestId });
    } catch {
      // As for a new upload: stored, and picked up by recoverPending().
    }
    return { documentId, versionId, jobId, status: 'pending', deduplicated: true };
  }

  /**
   * Hands a pending or processing version whose job the queue does not hold to the queue again: under its own job
   * id while that job's record is unfinished (a job Redis lost, or whose record was never written), under a fresh
   * one when the record says it ended (BullMQ keeps ended ids). Returns the job id.
   */
  private async requeue(version: Pick<DocumentVersion, 'id' | 'tenantId' | 'jobId'>, requestId?: string): Promise<string> {
    const [record] = version.jobId ? await this.db.select({ state: jobs.state }).from(jobs).where(eq(jobs.id, version.jobId)) : [];
    const ended = record?.state === 'completed' || record?.state === 'failed';
    const jobId = ended || !version.jobId ? `${ingestJobId(version.id)}-${Date.now().toString(36)}` : version.jobId;
    await this.queue.enqueue(INGEST_JOB, { versionId: version.id }, { tenantId: version.tenantId, jobId, requestId });
    if (jobId !== version.jobId) await setVersionJob(this.db, version.id, jobId);
    return jobId;
  }

  /**
   * The recovery sweep's part for uploads (at start and periodically): every version left pending or processing
   * without a live job (a crash between commit and enqueue, a queue outage, a job Redis lost, a version stored
   * before job records were written with it) is handed to the queue again. Enqueue is idempotent by job id.
   * Returns how many were re-enqueued.
   */
  async recoverPending(): Promise<number> {
    const stuck = await this.db
      .select({ id: documentVersions.id, tenantId: documentVersions.tenantId, jobId: documentVersions.jobId })
      .from(documentVersions)
      .innerJoin(documents, eq(documents.id, documentVersions.documentId))
      .where(and(inArray(documentVersions.status, ['pending', 'processing']), isNull(documents.deletingAt)));
    let count = 0;
    for (const version of stuck) {
      if (version.jobId && (await this.queue.isLive(version.jobId))) continue;
      await this.requeue(version);
      count += 1;
    }
    return count;
  }

  async get(tenantId: string, documentId: string) {
    const document = await getDocument(this.db, tenantId, documentId);
    const versions = await versionsOf(this.db, [document.id]);
    return documentView(document, versions, await chunkCounts(this.db, versions.map((version) => version.id)), await attachmentStates(this.db, versions));
  }

  async list(corpus: Corpus, options: { limit: number; offset: number }) {
    const rows = await listDocuments(this.db, corpus, options);
    const versions = await versionsOf(this.db, rows.map((row) => row.id));
    const counts = await chunkCounts(this.db, versions.map((version) => version.id));
    const attachments = await attachmentStates(this.db, versions);
    return rows.map((row) => documentView(row, versions.filter((version) => version.documentId === row.id), counts, attachments));
  }

  /**
   * Deletes a document in steps that a crash can stop anywhere: first the mark (in one statement: readers stop
   * seeing the document, and its match key is freed so the same name or bytes uploaded again make a new document),
   * then its chunks leave every live build's indexes, then the rows go (cascading to chunks, build rows, vectors and
   * postings), then the original files. A delete that stopped is finished by the recovery sweep (finishDeletes) or
   * by the same DELETE sent again.
   */
  async delete(tenantId: string, documentId: string): Promise<void> {
    // The document and its attachments' documents (and theirs), marked in one statement: a crash after it
    // leaves every one of them for the sweep, never a child whose email is gone.
    const marked = await queryRows<{ id: string; corpus_id: string }>(
      this.db,
      sql`WITH RECURSIVE tree(id) AS (
            SELECT id FROM documents WHERE id = ${documentId}::uuid AND tenant_id = ${tenantId}::uuid
            UNION SELECT d.id FROM documents d JOIN tree t ON d.parent_document_id = t.id
          )
          UPDATE documents SET deleting_at = coalesce(deleting_at, now()), match_key = 'deleting:' || id::text
          WHERE id IN (SELECT id FROM tree) RETURNING id, corpus_id`,
    );
    const root = marked.find((row) => row.id === documentId);
    if (!root) throw new AppError('DOCUMENT_NOT_FOUND', `document ${documentId} not found`);
    // Answers cached before the delete name the old generation: from here on they miss.
    await bumpGeneration(this.db, root.corpus_id);
    // Children first: their rows name the email's.
    for (const row of marked.filter((entry) => entry.id !== documentId)) await this.finishDelete(row.id, row.corpus_id);
    await this.finishDelete(root.id, root.corpus_id);
  }

  /**
   * An email version went live: each supported attachment is uploaded as a document of the same corpus, keyed by
   * the email's document and the attachment's name, so the same attachment in a new version of the email is the
   * same document (a new version of it when its bytes changed) and the usual dedup applies. Children the new
   * version no longer has are deleted. Returns what became of each attachment, recorded on the email's version.
   */
  async syncAttachments(version: DocumentVersion, emailTitle: string, attachments: readonly ParsedAttachment[]): Promise<AttachmentOutcome[]> {
    const [corpus] = await this.db.select().from(corpora).where(eq(corpora.id, version.corpusId));
    if (!corpus) return [];
    const outcomes: AttachmentOutcome[] = [];
    const kept = new Set<string>();
    for (const planned of planAttachments(attachments, this.options.attachments ?? DEFAULT_ATTACHMENT_LIMITS)) {
      const base = { fileName: planned.fileName, mime: planned.declaredMime, bytes: planned.content.byteLength };
      if ('error' in planned) {
        outcomes.push({ ...base, error: planned.error });
        continue;
      }
      try {
        const stored = await this.upload({
          corpus,
          bytes: planned.content,
          mime: planned.mime,
          fileName: planned.fileName,
          title: attachmentTitle(planned.fileName, emailTitle),
          externalId: attachmentExternalId(version.documentId, planned.key),
          parentDocumentId: version.documentId,
        });
        kept.add(stored.documentId);
        outcomes.push({ ...base, documentId: stored.documentId, versionId: stored.versionId });
      } catch (thrown) {
        const error = toAppError(thrown);
        if (error.isRetryable) throw thrown;
        outcomes.push({ ...base, error: { code: error.code, message: error.message.slice(0, 300) } });
      }
    }
    const children = await this.db
      .select({ id: documents.id })
      .from(documents)
      .where(and(eq(documents.parentDocumentId, version.documentId), isNull(documents.deletingAt)));
    for (const child of children) if (!kept.has(child.id)) await this.delete(version.tenantId, child.id);
    return outcomes;
  }

  /** Which of these version ids have rows. */
  async existingVersions(versionIds: string[]): Promise<Set<string>> {
    if (versionIds.length === 0) return new Set();
    const rows = await this.db.select({ id: documentVersions.id }).from(documentVersions).where(inArray(documentVersions.id, versionIds));
    return new Set(rows.map((row) => row.id));
  }

  /** The recovery sweep's part for deletes: finishes every delete a crash or failure stopped. Returns how many. */
  async finishDeletes(): Promise<number> {
    const marked = await this.db.select({ id: documents.id, corpusId: documents.corpusId }).from(documents).where(isNotNull(documents.deletingAt));
    for (const document of marked) await this.finishDelete(document.id, document.corpusId);
    return marked.length;
  }

  /** The steps after the mark; each may run again (an index removes what it still has, the rows go once). */
  private async finishDelete(documentId: string, corpusId: string): Promise<void> {
    const steps = this.options.deleteSteps;
    const chunkRows = await this.db.select({ id: chunks.id }).from(chunks).where(eq(chunks.documentId, documentId));
    const ids = chunkRows.map((row) => row.id);
    if (ids.length > 0) {
      for (const build of await this.deps.builds.live(corpusId)) {
        await this.deps.lexical.removeChunks(buildScope(build), ids);
        await steps?.after('lexical', documentId);
        await this.deps.vectors.removeChunks(buildScope(build), ids);
        await steps?.after('vectors', documentId);
      }
    }
    const { originalsDir } = this.deps;
    const versions = originalsDir ? await this.db.select({ id: documentVersions.id }).from(documentVersions).where(eq(documentVersions.documentId, documentId)) : [];
    await this.db.delete(documents).where(and(eq(documents.id, documentId), isNotNull(documents.deletingAt)));
    await steps?.after('rows', documentId);
    // After the rows: a crash in between leaves files no version names, never a version without its bytes.
    if (originalsDir) await removeOriginals(originalsDir, versions.map((version) => version.id));
    await bumpGeneration(this.db, corpusId);
  }
}
