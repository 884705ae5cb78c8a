import robotsParser from 'robots-parser';
import type { PoliteFetcher } from './fetcher';
import { ROBOTS_AGENT } from './fetcher';

export interface RobotsRules {
  isAllowed(url: URL): boolean;
  /** The site's Crawl-delay for us in milliseconds (capped at a minute), when it sets one. */
  crawlDelayMs: number | undefined;
}

export class RobotsUnavailable extends Error {
  constructor(readonly status: number | undefined, message: string) {
    super(message);
    this.name = 'RobotsUnavailable';
  }
}

const MAX_CRAWL_DELAY_MS = 60_000;
const ALLOW_ALL: RobotsRules = { isAllowed: () => true, crawlDelayMs: undefined };

/**
 * The site's robots.txt as RFC 9309 reads it: a 4xx (none) allows everything; a 5xx or no answer means the site
 * cannot say, so nothing is crawled (RobotsUnavailable) rather than everything.
 */
export async function readRobots(fetcher: PoliteFetcher, site: URL): Promise<RobotsRules> {
  const robotsUrl = new URL('/robots.txt', site);
  const outcome = await fetcher.get(robotsUrl, {}, 'text/plain,*/*;q=0.5');
  if (outcome.kind === 'error') {
    if (outcome.code === 'HTTP_ERROR' && outcome.status !== undefined && outcome.status >= 400 && outcome.status < 500) return ALLOW_ALL;
    throw new RobotsUnavailable(outcome.status, `robots.txt could not be read: ${outcome.code}${outcome.status ? ` (HTTP ${outcome.status})` : ''}`);
  }
  if (outcome.kind === 'not-modified') return ALLOW_ALL;
  const robots = robotsParser(robotsUrl.href, outcome.body.toString('utf8'));
  const delay = robots.getCrawlDelay(ROBOTS_AGENT);
  return {
    // robots-parser answers undefined for a URL of another origin; those are not ours to fetch under these rules.
    isAllowed: (url) => robots.isAllowed(url.href, ROBOTS_AGENT) ?? false,
    crawlDelayMs: typeof delay === 'number' && Number.isFinite(delay) && delay > 0 ? Math.min(delay * 1000, MAX_CRAWL_DELAY_MS) : undefined,
  };
}
