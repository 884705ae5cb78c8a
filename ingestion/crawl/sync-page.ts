import type { Corpus, SourcePageError, SourcePageRow, SourceRow, SourceSyncCounts } from '../../src/core/db/schema';
import { AppError, isAppError } from '../../src/core/errors';
import type { OutboundGuard } from '../../src/core/net/outbound-guard';
import type { UploadInput } from '../documents';
import type { UploadResult } from '../service';
import { decodeBody, extractMainContent } from './extract';
import type { CrawlOptions, PageErrorCode, PoliteFetcher } from './fetcher';
import { EMPTY_COUNTS, type SourceStore } from './source-store';

/** What a sync needs from ingestion: the upload and the (resumable) delete every document goes through. */
export interface DocumentSink {
  upload(input: UploadInput, requestId?: string): Promise<UploadResult>;
  delete(tenantId: string, documentId: string): Promise<void>;
}

export interface SyncDeps {
  store: SourceStore;
  documents: DocumentSink;
  guard: OutboundGuard;
  options: CrawlOptions;
}

/** A sync's counts and per-page errors as it goes. */
export class Tally {
  readonly counts: SourceSyncCounts = { ...EMPTY_COUNTS };
  readonly errors: SourcePageError[] = [];

  error(url: string, code: PageErrorCode, message: string, status?: number): void {
    this.errors.push({ url, code, message, ...(status === undefined ? {} : { status }) });
  }
}

export async function deleteDocument(documents: DocumentSink, tenantId: string, documentId: string): Promise<void> {
  try {
    await documents.delete(tenantId, documentId);
  } catch (error) {
    if (!(isAppError(error) && error.code === 'DOCUMENT_NOT_FOUND')) throw error;
  }
}

export interface PageContext {
  source: SourceRow;
  corpus: Corpus;
  fetcher: PoliteFetcher;
  tally: Tally;
}

/**
 * One page: fetched conditionally when its document exists, its main content extracted and compared by hash, and
 * uploaded under its URL when new or changed. Returns 'gone' for a 404/410 (its document is deleted after).
 */
export async function syncPage(deps: SyncDeps, context: PageContext, key: string, url: URL, page: SourcePageRow | undefined): Promise<'kept' | 'gone' | 'failed'> {
  const { source, corpus, fetcher, tally } = context;
  const outcome = await fetcher.get(url, page ? { etag: page.etag, lastModified: page.lastModified } : {});
  if (outcome.kind === 'error') {
    tally.counts.failed += 1;
    tally.error(key, outcome.code, outcome.message, outcome.status);
    return outcome.status === 404 || outcome.status === 410 ? 'gone' : 'failed';
  }
  tally.counts.fetched += 1;
  if (outcome.kind === 'not-modified') {
    if (page) {
      tally.counts.unchanged += 1;
      await deps.store.savePage({ ...page });
      return 'kept';
    }
    tally.counts.failed += 1;
    tally.error(key, 'HTTP_ERROR', 'HTTP 304 to an unconditional request', 304);
    return 'failed';
  }
  const contentType = String(outcome.headers['content-type'] ?? '');
  if (!/^\s*(text\/html|application\/xhtml\+xml)\b/iu.test(contentType)) {
    tally.counts.failed += 1;
    tally.error(key, 'NOT_HTML', `content type ${contentType.slice(0, 100) || 'missing'}: only HTML pages are read`, outcome.status);
    return 'failed';
  }
  const extracted = extractMainContent(decodeBody(outcome.body, contentType), outcome.url.href);
  if (!extracted) {
    tally.counts.failed += 1;
    tally.error(key, 'NO_CONTENT', 'no main content found in the page', outcome.status);
    return 'failed';
  }
  const validators = { etag: headerOf(outcome.headers.etag), lastModified: headerOf(outcome.headers['last-modified']) };
  if (page && page.contentSha256 === extracted.contentSha256) {
    tally.counts.unchanged += 1;
    await deps.store.savePage({ ...page, ...validators });
    return 'kept';
  }
  // The source may have been deleted while this sync ran: its pages must not come back as documents.
  if (!(await deps.store.find(source.id))) throw new AppError('SOURCE_NOT_FOUND', `source ${source.id} was deleted during its sync`);
  let uploaded: UploadResult;
  try {
    uploaded = await deps.documents.upload({ corpus, bytes: Buffer.from(extracted.html, 'utf8'), mime: 'text/html', title: extracted.title, externalId: key });
  } catch (error) {
    if (isAppError(error) && error.status >= 500) throw error;
    tally.counts.failed += 1;
    tally.error(key, 'INGEST_FAILED', isAppError(error) ? `${error.code}: ${error.message.slice(0, 200)}` : 'the upload failed', outcome.status);
    return 'failed';
  }
  if (uploaded.deduplicated && uploaded.documentId === page?.documentId && uploaded.status === 'ready') tally.counts.unchanged += 1;
  else if (page) tally.counts.updated += 1;
  else tally.counts.added += 1;
  await deps.store.savePage({ sourceId: source.id, url: key, documentId: uploaded.documentId, contentSha256: extracted.contentSha256, ...validators });
  return 'kept';
}

function headerOf(value: string | string[] | undefined): string | null {
  const text = Array.isArray(value) ? value[0] : value;
  return text && text.length <= 500 ? text : null;
}
