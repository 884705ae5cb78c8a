import type { Corpus, SourcePageError, SourceRow, SourceSyncCounts } from '../../src/core/db/schema';
import { PoliteFetcher } from './fetcher';
import { readRobots, RobotsUnavailable, type RobotsRules } from './robots';
import { parseSitemap, sitemapText } from './sitemap';
import { compileFilter, pageKey, sameSite } from './site';
import { deleteDocument, syncPage, Tally, type SyncDeps } from './sync-page';

export type { DocumentSink, SyncDeps } from './sync-page';

const MAX_SITEMAPS = 200;
const MAX_SITEMAP_DEPTH = 3;
const PROGRESS_INTERVAL_MS = 500;

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

type RobotsLookup = (url: URL) => Promise<RobotsRules>;

/** robots.txt per origin, read once per sync; a Crawl-delay slows that host down. */
function robotsLookup(fetcher: PoliteFetcher): RobotsLookup {
  const byOrigin = new Map<string, Promise<RobotsRules>>();
  return (url) => {
    let rules = byOrigin.get(url.origin);
    if (!rules) {
      rules = readRobots(fetcher, url).then((read) => {
        if (read.crawlDelayMs !== undefined) fetcher.slowDown(url.host, read.crawlDelayMs);
        return read;
      });
      byOrigin.set(url.origin, rules);
    }
    return rules;
  };
}

interface CrawlPlan {
  /** Pages to fetch, by key. */
  wanted: [string, URL][];
  /** Pages not fetched this time whose documents stay (their robots.txt could not be read). */
  held: Set<string>;
}

/** Which listed pages this sync fetches: within CRAWL_MAX_PAGES and allowed by their origin's robots.txt. */
async function planCrawl(listed: Map<string, URL>, robotsFor: RobotsLookup, maxPages: number, tally: Tally): Promise<CrawlPlan> {
  const plan: CrawlPlan = { wanted: [], held: new Set() };
  for (const [key, url] of listed) {
    if (plan.wanted.length >= maxPages) {
      tally.counts.skipped += 1;
      tally.error(key, 'MAX_PAGES', `past the ${maxPages} pages a source may hold (CRAWL_MAX_PAGES)`);
      continue;
    }
    const rules = await robotsFor(url).catch(() => undefined);
    if (!rules) {
      plan.held.add(key);
      tally.counts.skipped += 1;
      tally.error(key, 'ROBOTS_UNAVAILABLE', `robots.txt of ${url.host} could not be read`);
    } else if (!rules.isAllowed(url)) {
      tally.counts.skipped += 1;
      tally.error(key, 'ROBOTS_DISALLOWED', 'robots.txt disallows it');
    } else plan.wanted.push([key, url]);
  }
  return plan;
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
  const fetcher = new PoliteFetcher(deps.guard, options, new URL(source.url), hooks.signal);
  const tally = new Tally();
  let lastProgress = 0;
  const progress = async (force = false) => {
    if (!hooks.onProgress || (!force && Date.now() - lastProgress < PROGRESS_INTERVAL_MS)) return;
    lastProgress = Date.now();
    await hooks.onProgress({ counts: { ...tally.counts }, errors: [...tally.errors] });
  };

  const robotsFor = robotsLookup(fetcher);
  await robotsFor(new URL(source.url)).catch((error: unknown) => {
    throw error instanceof RobotsUnavailable ? new SyncFailure('ROBOTS_UNAVAILABLE', error.message) : error;
  });
  const inScope = compileFilter(source);
  const listed = new Map<string, URL>();
  for (const url of await readSitemaps(fetcher, source, tally, options.maxPageBytes)) if (inScope(url)) listed.set(pageKey(url), url);
  const known = new Map((await store.pages(source.id)).map((page) => [page.url, page]));
  if (listed.size === 0 && known.size > 0) throw new SyncFailure('SITEMAP_EMPTY', 'the sitemap lists no page of the source: nothing was deleted');
  tally.counts.found = listed.size;
  const { wanted, held } = await planCrawl(listed, robotsFor, options.maxPages, tally);

  const live = await store.liveDocuments([...known.values()].flatMap((page) => (page.documentId ? [page.documentId] : [])));
  const gone = new Set<string>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(8, options.concurrencyPerHost * 2)) }, async () => {
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
    if ((crawled.has(page.url) && !gone.has(page.url)) || held.has(page.url)) continue;
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
