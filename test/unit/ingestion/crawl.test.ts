import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundGuard } from '../../../src/core/net/outbound-guard';
import { AppError } from '../../../src/core/errors';
import { extractMainContent } from '../../../ingestion/crawl/extract';
import { PoliteFetcher } from '../../../ingestion/crawl/fetcher';
import { checkSchedule, SourceService } from '../../../ingestion/crawl/source-service';
import { parseSitemap, sitemapText } from '../../../ingestion/crawl/sitemap';
import { compileFilter, globMatches, sameSite, siteOf } from '../../../ingestion/crawl/site';
import { htmlToBlocks } from '../../../ingestion/parse/html';
import { FOOTER_MARKER, NAV_MARKER, wledPage } from '../../helpers/help-site';

describe('site rules', () => {
  it('groups hosts by registrable domain, private suffixes included', () => {
    expect(siteOf(new URL('https://docs.example.co.uk/a'))).toBe('example.co.uk');
    expect(sameSite(new URL('https://help.example.com/'), new URL('http://www.example.com/x'))).toBe(true);
    expect(sameSite(new URL('https://alice.github.io/'), new URL('https://mallory.github.io/'))).toBe(false);
    expect(sameSite(new URL('http://127.0.0.1:8080/'), new URL('http://127.0.0.1:9090/'))).toBe(true);
    expect(sameSite(new URL('http://127.0.0.1/'), new URL('http://localhost/'))).toBe(false);
  });

  it('matches globs anchored, `*` as any run, everything else literal', () => {
    expect(globMatches('/docs/*', '/docs/a/b')).toBe(true);
    expect(globMatches('/docs/*', '/blog/docs/a')).toBe(false);
    expect(globMatches('*.html', '/a/b.html')).toBe(true);
    expect(globMatches('/a.b', '/axb')).toBe(false);
    expect(globMatches('/*/faq/*', '/en/faq/billing')).toBe(true);
    // A hostile pattern stays fast (no regular-expression backtracking).
    const started = performance.now();
    expect(globMatches('*a*a*a*a*a*a*a*a*b', 'a'.repeat(5_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
    const inScope = compileFilter({ include: ['/docs/*'], exclude: ['/docs/internal/*'] });
    expect(inScope(new URL('https://x.test/docs/setup'))).toBe(true);
    expect(inScope(new URL('https://x.test/docs/internal/keys'))).toBe(false);
    expect(inScope(new URL('https://x.test/blog/post'))).toBe(false);
  });

  it('accepts cron patterns firing at most every 5 minutes, refuses the rest with SCHEDULE_INVALID', () => {
    expect(() => checkSchedule('0 3 * * *')).not.toThrow();
    expect(() => checkSchedule('*/5 * * * *')).not.toThrow();
    for (const pattern of ['* * * * *', '*/30 * * * * *', 'tomorrow', '61 * * * *']) {
      expect(() => checkSchedule(pattern)).toThrow(expect.objectContaining({ code: 'SCHEDULE_INVALID' }) as AppError);
    }
  });
});

describe('source targets', () => {
  it('refuses 127.0.0.1 and other internal sitemaps without OUTBOUND_ALLOW_HOSTS, before anything is stored', async () => {
    const untouched = new Proxy({}, { get: () => { throw new Error('nothing may be stored or queued for a refused source'); } });
    const service = new SourceService({ db: untouched, queue: untouched, scheduler: untouched, documents: untouched, guard: new OutboundGuard(), options: { concurrencyPerHost: 2, minDelayMs: 0, timeoutMs: 1_000, maxPageBytes: 1_000, maxPages: 10 } } as unknown as ConstructorParameters<typeof SourceService>[0]);
    const corpus = { id: '00000000-0000-4000-8000-000000000001', tenantId: '00000000-0000-4000-8000-000000000002' } as Parameters<SourceService['create']>[0];
    for (const url of ['http://127.0.0.1:8080/sitemap.xml', 'http://169.254.169.254/latest/meta-data/', 'http://192.168.1.10/sitemap.xml']) {
      await expect(service.create(corpus, { type: 'sitemap', url })).rejects.toMatchObject({ code: 'SOURCE_URL_FORBIDDEN', status: 422 });
    }
    await expect(service.create(corpus, { type: 'sitemap', url: 'gopher://127.0.0.1/' })).rejects.toMatchObject({ code: 'SOURCE_URL_INVALID', status: 400 });
  });
});

describe('sitemaps', () => {
  it('reads a urlset and a sitemap index (namespaced or not), and refuses other XML', () => {
    const urlset = '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> https://x.test/a?x=1&amp;y=2 </loc><lastmod>2024-01-01</lastmod></url><url><loc>https://x.test/b</loc></url></urlset>';
    expect(parseSitemap(urlset)).toEqual({ kind: 'urlset', locations: ['https://x.test/a?x=1&y=2', 'https://x.test/b'] });
    expect(parseSitemap('<sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:sitemap><sm:loc>https://x.test/s1.xml</sm:loc></sm:sitemap></sm:sitemapindex>')).toEqual({
      kind: 'index',
      locations: ['https://x.test/s1.xml'],
    });
    expect(parseSitemap('<html><body>Not found</body></html>')).toBeUndefined();
    expect(parseSitemap('<rss><channel/></rss>')).toBeUndefined();
  });

  it('gunzips sitemap.xml.gz within the size cap', () => {
    const xml = `<urlset>${'<url><loc>https://x.test/p</loc></url>'.repeat(100)}</urlset>`;
    expect(parseSitemap(sitemapText(gzipSync(xml), 1024 * 1024))?.locations).toHaveLength(100);
    expect(() => sitemapText(gzipSync('x'.repeat(100_000)), 1_000)).toThrow();
  });
});

describe('main content extraction', () => {
  it('keeps the article and its headings, drops navigation and footer', () => {
    const page = extractMainContent(wledPage('interfaces/infrared.md'), 'https://help.test/interfaces/infrared/');
    expect(page?.title).toMatch(/Infrared/u);
    const { blocks } = htmlToBlocks(page!.html);
    const text = blocks.map((block) => block.text).join('\n');
    expect(text).toContain('A dedicated infrared receiver module is required');
    expect(blocks.filter((block) => block.kind === 'heading').map((block) => block.text.trim())).toEqual(expect.arrayContaining(['Supported IR Remotes', 'ESP-NOW Based Remote Control']));
    expect(text).not.toContain(NAV_MARKER);
    expect(text).not.toContain(FOOTER_MARKER);
  });

  it('hashes the text, not the markup around it', () => {
    const page = wledPage('interfaces/philips-hue.md');
    const a = extractMainContent(page, 'https://help.test/hue/');
    const b = extractMainContent(page.replace('<main>', '<main data-build="7f3a">').replace(FOOTER_MARKER, 'Another footer'), 'https://help.test/hue/');
    const c = extractMainContent(page.replace('poll interval', 'polling interval'), 'https://help.test/hue/');
    expect(b?.contentSha256).toBe(a?.contentSha256);
    expect(c?.contentSha256).not.toBe(a?.contentSha256);
    expect(extractMainContent('<html><body></body></html>', 'https://help.test/empty')).toBeUndefined();
  });
});

describe('polite fetching', () => {
  let server: Server;
  let origin: string;
  let inFlight = 0;
  let maxInFlight = 0;
  const starts: number[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      starts.push(Date.now());
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        if (request.url === '/big') response.writeHead(200, { 'content-type': 'text/html' }).end('x'.repeat(5_000));
        else if (request.url === '/hop') response.writeHead(302, { location: '/page' }).end();
        else response.writeHead(200, { 'content-type': 'text/html' }).end('<p>ok</p>');
      }, 40);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const options = { concurrencyPerHost: 2, minDelayMs: 0, timeoutMs: 5_000, maxPageBytes: 1_000, maxPages: 100 };

  it('keeps at most CRAWL_CONCURRENCY_PER_HOST requests open to a host', async () => {
    const fetcher = new PoliteFetcher(new OutboundGuard({ allowHosts: ['127.0.0.1'] }), options, new URL(origin));
    maxInFlight = 0;
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_unused, index) => fetcher.get(new URL(`/page?${index}`, origin))));
    expect(outcomes.every((outcome) => outcome.kind === 'ok')).toBe(true);
    expect(maxInFlight).toBe(2);
  });

  it('spaces requests by the larger of the configured delay and Crawl-delay, follows in-site redirects, caps the size', async () => {
    const fetcher = new PoliteFetcher(new OutboundGuard({ allowHosts: ['127.0.0.1'] }), { ...options, minDelayMs: 20 }, new URL(origin));
    fetcher.slowDown(new URL(origin).host, 150);
    starts.length = 0;
    await Promise.all(Array.from({ length: 4 }, () => fetcher.get(new URL('/page', origin))));
    // Three gaps of 150 ms at least (the configured 20 ms would give ~60): measured over the whole span, as the
    // arrival of any one request at the server jitters on a busy machine.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(380);
    fetcher.slowDown(new URL(origin).host, 0);
    const fast = new PoliteFetcher(new OutboundGuard({ allowHosts: ['127.0.0.1'] }), options, new URL(origin));
    expect(await fast.get(new URL('/hop', origin))).toMatchObject({ kind: 'ok', url: new URL('/page', origin) });
    expect(await fast.get(new URL('/big', origin))).toMatchObject({ kind: 'error', code: 'PAGE_TOO_LARGE', status: 200 });
  });

  it('refuses loopback through the guard when it is not allowed', async () => {
    const fetcher = new PoliteFetcher(new OutboundGuard(), options, new URL(origin));
    expect(await fetcher.get(new URL('/page', origin))).toMatchObject({ kind: 'error', code: 'TARGET_FORBIDDEN' });
  });
});
