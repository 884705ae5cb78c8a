import { createHash, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { BinaryCopyWriter, readBinaryCopy } from '../indexes/postgres/copy-binary';
import { copyInOf, copyOutOf } from '../indexes/postgres/transaction';
import { readOriginal, removeOriginals, writeOriginal } from './originals';
import { isUuid } from '../src/core/corpora';
import type { Db, Store } from '../src/core/db/client';
import { chunks, documents, documentVersions, versionBlobs, type AttachmentOutcome, type Corpus, type DocumentRow, type DocumentVersion } from '../src/core/db/schema';
import { AppError } from '../src/core/errors';

export interface StoredUpload {
  document: DocumentRow;
  version: DocumentVersion;
  deduplicated: boolean;
}

export interface UploadInput {
  corpus: Corpus;
  bytes: Uint8Array;
  mime: string;
  fileName?: string | undefined;
  title?: string | undefined;
  externalId?: string | undefined;
  /** An email attachment's document: the email's document. */
  parentDocumentId?: string | undefined;
}

/**
 * Writes a new version's job record in the version's own transaction (an outbox): a committed version always has
 * a job, which the queue (or, if the process dies first, the recovery sweep) runs. Returns the job id.
 */
export type UploadOutbox = (tx: Db, version: DocumentVersion) => Promise<string>;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Keeps a display name from an uploaded file name without paths or control characters. */
export function sanitizeFileName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFKC').replace(/[\p{Cc}\p{Cf}]/gu, '').replace(/\s+/g, ' ').trim().slice(0, 200);
  return cleaned.length > 0 ? cleaned : undefined;
}

/**
 * Stores the original bytes and a version row before anything else happens: in
 * one transaction, or with `originalsDir` as a file written before it (see
 * originals.ts). Identical bytes for the same document return the existing
 * version; new bytes under the same externalId (or title) become a new version.
 */
export async function storeUpload(db: Db, input: UploadInput, driver: Store['driver'], originalsDir?: string, outbox?: UploadOutbox): Promise<StoredUpload> {
  if (!originalsDir) return storeUploadRows(db, input, driver, undefined, outbox);
  // The file first (see originals.ts), under the id the version row will get; taken back if no row takes it.
  const versionId = randomUUID();
  await writeOriginal(originalsDir, versionId, input.bytes);
  let stored: StoredUpload | undefined;
  try {
    stored = await storeUploadRows(db, input, driver, versionId, outbox);
    return stored;
  } finally {
    if (stored?.version.id !== versionId) await removeOriginals(originalsDir, [versionId]);
  }
}

/** `fileVersionId`: the bytes are already in that version's file, and a new version row takes that id. */
async function storeUploadRows(db: Db, input: UploadInput, driver: Store['driver'], fileVersionId?: string, outbox?: UploadOutbox): Promise<StoredUpload> {
  const sha = sha256Hex(input.bytes);
  const fileName = sanitizeFileName(input.fileName);
  const title = input.title?.trim() || fileName || `document ${sha.slice(0, 12)}`;
  const matchKey = input.externalId ? `external:${input.externalId}` : `title:${title}`;
  return db.transaction(async (tx) => {
    await tx
      .insert(documents)
      .values({ tenantId: input.corpus.tenantId, corpusId: input.corpus.id, title, externalId: input.externalId ?? null, matchKey, parentDocumentId: input.parentDocumentId ?? null })
      .onConflictDoNothing({ target: [documents.corpusId, documents.matchKey] });
    const [document] = await tx
      .select()
      .from(documents)
      .where(and(eq(documents.corpusId, input.corpus.id), eq(documents.matchKey, matchKey)));
    if (!document) throw new AppError('INTERNAL', 'document row vanished during upload');
    const [inserted] = await tx
      .insert(documentVersions)
      .values({
        ...(fileVersionId ? { id: fileVersionId } : {}),
        tenantId: input.corpus.tenantId,
        corpusId: input.corpus.id,
        documentId: document.id,
        contentSha256: sha,
        bytes: input.bytes.byteLength,
        mime: input.mime,
        fileName: fileName ?? null,
      })
      .onConflictDoNothing({ target: [documentVersions.documentId, documentVersions.contentSha256] })
      .returning();
    if (!inserted) {
      const [existing] = await tx
        .select()
        .from(documentVersions)
        .where(and(eq(documentVersions.documentId, document.id), eq(documentVersions.contentSha256, sha)));
      if (!existing) throw new AppError('INTERNAL', 'existing version vanished during upload');
      return { document, version: existing, deduplicated: true };
    }
    if (fileVersionId === undefined) await storeBlobRow(tx, driver, inserted.id, input.bytes);
    await tx.update(documents).set({ updatedAt: new Date(), title }).where(eq(documents.id, document.id));
    const version = outbox ? { ...inserted, jobId: await outbox(tx, inserted) } : inserted;
    if (version.jobId !== inserted.jobId) await tx.update(documentVersions).set({ jobId: version.jobId }).where(eq(documentVersions.id, inserted.id));
    return { document: { ...document, title }, version, deduplicated: false };
  });
}

/** The bytes as a version_blobs row (PostgreSQL, and PGlite without a data directory). */
async function storeBlobRow(tx: Parameters<Parameters<Db['transaction']>[0]>[0], driver: Store['driver'], versionId: string, bytes: Uint8Array): Promise<void> {
  const copyIn = copyInOf(driver, tx);
  if (copyIn) {
    // PGlite: binary COPY takes the bytes as they are, where a base64 parameter is text for JS to encode and the server to decode.
    await copyIn('version_blobs (version_id, content)', new BinaryCopyWriter(bytes.byteLength + 64).row(2).uuid(versionId).bytea(bytes).finish());
    return;
  }
  // PostgreSQL: base64 text decoded by the server (node-postgres would send a Buffer as hex, twice the size).
  await tx.insert(versionBlobs).values({ versionId, content: sql`decode(${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}, 'base64')` });
}

/** A version's original bytes, or undefined if they are gone. Versions stored before files were used are in version_blobs. */
export async function readVersionBytes(db: Db, driver: Store['driver'], versionId: string, originalsDir?: string): Promise<Uint8Array | undefined> {
  if (!isUuid(versionId)) throw new AppError('INTERNAL', `not a version id: ${JSON.stringify(versionId)}`);
  const file = originalsDir ? await readOriginal(originalsDir, versionId) : undefined;
  if (file) return file;
  if (driver === 'pglite') {
    // Binary COPY hands the bytes over as they are; a bytea or base64 result is text to decode in JS.
    const bytes = await db.transaction(async (tx) => {
      const copyOut = copyOutOf(driver, tx);
      if (!copyOut) return null;
      return readBinaryCopy(await copyOut(`SELECT content FROM version_blobs WHERE version_id = '${versionId}'`))[0]?.[0] ?? undefined;
    });
    if (bytes !== null) return bytes;
  }
  // As base64 text: node-postgres returns bytea as hex text, which decodes slower.
  const [blob] = await db
    .select({ base64: sql<string>`encode(${versionBlobs.content}, 'base64')` })
    .from(versionBlobs)
    .where(eq(versionBlobs.versionId, versionId));
  return blob ? new Uint8Array(Buffer.from(blob.base64, 'base64')) : undefined;
}

export async function setVersionJob(db: Db, versionId: string, jobId: string): Promise<void> {
  await db.update(documentVersions).set({ jobId }).where(eq(documentVersions.id, versionId));
}

export async function getDocument(db: Db, tenantId: string, documentId: string): Promise<DocumentRow> {
  const [row] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.id, documentId), eq(documents.tenantId, tenantId), isNull(documents.deletingAt)));
  if (!row) throw new AppError('DOCUMENT_NOT_FOUND', `document ${documentId} not found`);
  return row;
}

export async function versionsOf(db: Db, documentIds: string[]): Promise<DocumentVersion[]> {
  if (documentIds.length === 0) return [];
  return db
    .select({
      ...SUMMARY_COLUMNS,
    })
    .from(documentVersions)
    .where(inArray(documentVersions.documentId, documentIds))
    .orderBy(asc(documentVersions.createdAt)) as unknown as Promise<DocumentVersion[]>;
}

/** Every version column but the (large) normalized text. */
const SUMMARY_COLUMNS = {
  id: documentVersions.id,
  tenantId: documentVersions.tenantId,
  corpusId: documentVersions.corpusId,
  documentId: documentVersions.documentId,
  contentSha256: documentVersions.contentSha256,
  bytes: documentVersions.bytes,
  mime: documentVersions.mime,
  fileName: documentVersions.fileName,
  pages: documentVersions.pages,
  status: documentVersions.status,
  errorCode: documentVersions.errorCode,
  errorMessage: documentVersions.errorMessage,
  jobId: documentVersions.jobId,
  createdAt: documentVersions.createdAt,
  attachments: documentVersions.attachments,
};

export async function chunkCounts(db: Db, versionIds: string[]): Promise<Map<string, number>> {
  if (versionIds.length === 0) return new Map();
  const rows = await db
    .select({ versionId: chunks.versionId, count: sql<number>`count(DISTINCT ${chunks.ordinal})::int` })
    .from(chunks)
    .where(inArray(chunks.versionId, versionIds))
    .groupBy(chunks.versionId);
  return new Map(rows.map((row) => [row.versionId, Number(row.count)]));
}

export async function listDocuments(db: Db, corpus: Corpus, options: { limit: number; offset: number }): Promise<DocumentRow[]> {
  return db
    .select()
    .from(documents)
    .where(and(eq(documents.corpusId, corpus.id), eq(documents.tenantId, corpus.tenantId), isNull(documents.deletingAt)))
    .orderBy(desc(documents.createdAt), asc(documents.id))
    .limit(options.limit)
    .offset(options.offset);
}

/** A document's status is its newest version's, except that an older ready version keeps it answerable. */
export function documentStatus(versions: Pick<DocumentVersion, 'status'>[]): string {
  const newest = versions.at(-1);
  if (!newest) return 'empty';
  if (newest.status === 'failed' && versions.some((version) => version.status === 'ready')) return 'ready';
  return newest.status;
}

type AttachmentState = Pick<DocumentVersion, 'status' | 'errorCode' | 'errorMessage'>;

/** The current state of the documents an email's attachments became (their versions named in `attachments`). */
export async function attachmentStates(db: Db, versions: readonly Pick<DocumentVersion, 'attachments'>[]): Promise<Map<string, AttachmentState>> {
  const ids = versions.flatMap((version) => (version.attachments ?? []).flatMap((item) => (item.versionId ? [item.versionId] : [])));
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: documentVersions.id, status: documentVersions.status, errorCode: documentVersions.errorCode, errorMessage: documentVersions.errorMessage })
    .from(documentVersions)
    .where(inArray(documentVersions.id, ids));
  return new Map(rows.map(({ id, ...state }) => [id, state]));
}

/** An attachment's outcome with its document's state: one that became a document and failed to parse shows that error here too. */
function attachmentView(item: AttachmentOutcome, states: Map<string, AttachmentState>): AttachmentOutcome & { status?: string } {
  const state = item.versionId ? states.get(item.versionId) : undefined;
  if (!state) return item;
  return { ...item, status: state.status, ...(state.errorCode ? { error: { code: state.errorCode, message: state.errorMessage ?? state.errorCode } } : {}) };
}

export function documentView(document: DocumentRow, versions: DocumentVersion[], counts: Map<string, number>, attachments: Map<string, AttachmentState> = new Map()) {
  return {
    id: document.id,
    corpusId: document.corpusId,
    title: document.title,
    externalId: document.externalId,
    /** Set on an email attachment's document: the email's document. */
    parentDocumentId: document.parentDocumentId,
    status: documentStatus(versions),
    createdAt: document.createdAt.toISOString(),
    updatedAt: document.updatedAt.toISOString(),
    versions: versions.map((version) => ({
      id: version.id,
      status: version.status,
      pages: version.pages,
      chunkCount: counts.get(version.id) ?? 0,
      bytes: version.bytes,
      mime: version.mime,
      fileName: version.fileName,
      sha256: version.contentSha256,
      jobId: version.jobId,
      createdAt: version.createdAt.toISOString(),
      ...(version.errorCode ? { error: { code: version.errorCode, message: version.errorMessage ?? version.errorCode } } : {}),
      ...(version.attachments ? { attachments: version.attachments.map((item) => attachmentView(item, attachments)) } : {}),
    })),
  };
}
