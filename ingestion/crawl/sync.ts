import type { Corpus, SourcePageError, SourcePageRow, SourceRow, SourceSyncCounts } from '../../src/core/db/schema';
import { AppError, isAppError } from '../../src/core/errors';
import type { OutboundGuard } from '../../src/core/net/outbound-guard';
import type { UploadResult } from '../service';
import type { UploadInput } from '../documents';
import { decodeBody, extractMainContent } from './extract';
import { PoliteFetcher, type CrawlOptions, type PageErrorCode } from './fetcher';
import { readRobots, RobotsUnavailable, type RobotsRules } from './robots';
import { parseSitemap, sitemapText } from './sitemap';
import { compileFilter, pageKey, sameSite } from './site';
import { EMPTY_COUNTS, type SourceStore } from './source-store';

const MAX_SITEMAPS = 200;
const MAX_SITEMAP_DEPTH = 3;
const PROGRESS_INTERVAL_MS = 500;

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

/** A failure of the whole sync (nothing is deleted after one): robots.txt or the sitemap could not be read. */
export class SyncFailure extends Error {
  constructor(
    readonly code: 'ROBOTS_UNAVAILABLE' | 'SITEMAP_UNREADABLE' | 'SITEMAP_INVALID' | 'SITEMAP_EMPTY' | 'SOURCE_TARGET_FORBIDDEN',
    message: string,
  ) {
    super(message);
    this.name = 'SyncFailure';
  }
}

export interface SyncReport {
  counts: SourceSyncCounts;
  errors: SourcePageError[];
}

class Tally {
  readonly counts: SourceSyncCounts = { ...EMPTY_COUNTS };
  readonly errors: SourcePageError[] = [];

  error(url: string, code: PageErrorCode, message: string, status?: number): void {
    this.errors.push({ url, code, message, ...(status === undefined ? {} : { status }) });
  }
}

/** Every page URL the source's sitemaps list (nested sitemap indexes followed), within the site. */
async function readSitemaps(fetcher: PoliteFetcher, source: SourceRow, tally: Tally, maxBytes: number): Promise<URL[]> {
  const root = new URL(source.url);
  const queue: { url: URL; depth: number }[] = [{ url: root, depth: 0 }];
  const seen = new Set<string>();
  const pages: URL[] = [];
  while (queue.length > 0) {
    const { url, depth } = queue.shift()!;
    if (seen.has(url.href) || seen.size >= MAX_SITEMAPS) continue;
    seen.add(url.href);
    const outcome = await fetcher.get(url, {}, 'application/xml,text/xml;q=0.9,*/*;q=0.5');
    if (outcome.kind === 'error') {
      if (outcome.code === 'TARGET_FORBIDDEN') throw new SyncFailure('SOURCE_TARGET_FORBIDDEN', outcome.message);
      throw new SyncFailure('SITEMAP_UNREADABLE', `sitemap ${url.href}: ${outcome.code}${outcome.status ? ` (HTTP ${outcome.status})` : ''}`);
    }
    if (outcome.kind === 'not-modified') throw new SyncFailure('SITEMAP_UNREADABLE', `sitemap ${url.href}: unexpected 304`);
    let parsed;
    try {
      parsed = parseSitemap(sitemapText(outcome.body, maxBytes));
    } catch {
      parsed = undefined;
    }
    if (!parsed) throw new SyncFailure('SITEMAP_INVALID', `${url.href} is not a sitemap (sitemaps.org urlset or sitemapindex)`);
    for (const location of parsed.locations) {
      let target: URL;
      try {
        target = new URL(location, url);
      } catch {
        tally.error(location.slice(0, 500), 'INVALID_URL', 'not a URL');
        continue;
      }
      if ((target.protocol !== 'http:' && target.protocol !== 'https:') || !sameSite(target, root)) {
        tally.error(target.href, 'OFF_SITE', `not on the site of ${root.host}`);
        continue;
      }
      if (parsed.kind === 'urlset') pages.push(target);
      else if (depth < MAX_SITEMAP_DEPTH) queue.push({ url: target, depth: depth + 1 });
    }
  }
  return pages;
}

/**
 * One sync of a sitemap source: reads robots.txt and the sitemaps, fetches each allowed page (conditionally when it
 * was seen before), extracts its main content and uploads it under its URL (a changed text makes a new version of
 * the same document, an unchanged one nothing), then deletes the documents of pages that left the sitemap or now
 * answer 404/410. A sync that cannot read robots.txt or the sitemaps fails whole and deletes nothing.
 */
export async function runSync(
  deps: SyncDeps,
  source: SourceRow,
  corpus: Corpus,
  hooks: { signal?: AbortSignal; onProgress?: (report: SyncReport) => Promise<void> } = {},
): Promise<SyncReport> {
  const { store, options } = deps;
  const site = new URL(source.url);
  const fetcher = new PoliteFetcher(deps.guard, options, site, hooks.signal);
  const tally = new Tally();
  let lastProgress = 0;
  const progress = async (force = false) => {
    if (!hooks.onProgress || (!force && Date.now() - lastProgress < PROGRESS_INTERVAL_MS)) return;
    lastProgress = Date.now();
    await hooks.onProgress({ counts: { ...tally.counts }, errors: [...tally.errors] });
  };

  const robotsByOrigin = new Map<string, Promise<RobotsRules>>();
  const robotsFor = (url: URL) => {
    let rules = robotsByOrigin.get(url.origin);
    if (!rules) {
      rules = readRobots(fetcher, url).then((read) => {
        if (read.crawlDelayMs !== undefined) fetcher.slowDown(url.host, read.crawlDelayMs);
        return read;
      });
      robotsByOrigin.set(url.origin, rules);
    }
    return rules;
  };
  try {
    await robotsFor(site);
  } catch (error) {
    if (error instanceof RobotsUnavailable) throw new SyncFailure('ROBOTS_UNAVAILABLE', error.message);
    throw error;
  }

  const inScope = compileFilter(source);
  const listed = new Map<string, URL>();
  for (const url of await readSitemaps(fetcher, source, tally, options.maxPageBytes)) if (inScope(url)) listed.set(pageKey(url), url);
  const known = new Map((await store.pages(source.id)).map((page) => [page.url, page]));
  if (listed.size === 0 && known.size > 0) throw new SyncFailure('SITEMAP_EMPTY', 'the sitemap lists no page of the source: nothing was deleted');
  tally.counts.found = listed.size;

  const wanted: [string, URL][] = [];
  for (const [key, url] of listed) {
    if (wanted.length >= options.maxPages) {
      tally.counts.skipped += 1;
      tally.error(key, 'MAX_PAGES', `past the ${options.maxPages} pages a source may hold (CRAWL_MAX_PAGES)`);
      continue;
    }
    const rules = await robotsFor(url).catch(() => undefined);
    if (!rules?.isAllowed(url)) {
      tally.counts.skipped += 1;
      tally.error(key, 'ROBOTS_DISALLOWED', rules ? 'robots.txt disallows it' : `robots.txt of ${url.host} could not be read`);
      continue;
    }
    wanted.push([key, url]);
  }
  const live = await store.liveDocuments([...known.values()].flatMap((page) => (page.documentId ? [page.documentId] : [])));
  const gone = new Set<string>();
  const workers = Math.max(1, Math.min(8, options.concurrencyPerHost * 2));
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < wanted.length) {
        hooks.signal?.throwIfAborted();
        const [key, url] = wanted[next++]!;
        const page = known.get(key);
        const current = page?.documentId && live.has(page.documentId) ? page : undefined;
        if ((await syncPage(deps, { source, corpus, fetcher, tally }, key, url, current)) === 'gone') gone.add(key);
        await progress();
      }
    }),
  );

  // Pages that left the sitemap (or its scope, or robots.txt's allowance) and pages that answered 404/410 go; a page
  // that failed otherwise (a 5xx, a time-out) stays as it was until a sync reads it again.
  const crawled = new Set(wanted.map(([key]) => key));
  for (const page of known.values()) {
    if (crawled.has(page.url) && !gone.has(page.url)) continue;
    hooks.signal?.throwIfAborted();
    if (page.documentId && live.has(page.documentId)) {
      await deleteDocument(deps.documents, source.tenantId, page.documentId);
      tally.counts.deleted += 1;
    }
    await store.removePage(source.id, page.url);
  }
  await progress(true);
  return { counts: tally.counts, errors: tally.errors };
}

async function deleteDocument(documents: DocumentSink, tenantId: string, documentId: string): Promise<void> {
  try {
    await documents.delete(tenantId, documentId);
  } catch (error) {
    if (!(isAppError(error) && error.code === 'DOCUMENT_NOT_FOUND')) throw error;
  }
}

interface PageContext {
  source: SourceRow;
  corpus: Corpus;
  fetcher: PoliteFetcher;
  tally: Tally;
}

/**
 * One page: fetched conditionally when its document exists, its main content extracted and compared by hash, and
 * uploaded under its URL when new or changed. Returns 'gone' for a 404/410 (its document is deleted after).
 */
async function syncPage(deps: SyncDeps, context: PageContext, key: string, url: URL, page: SourcePageRow | undefined): Promise<'kept' | 'gone' | 'failed'> {
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
