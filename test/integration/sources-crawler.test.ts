import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../helpers/stores';
import { sourceSchema, sourceSyncSchema } from '../../src/api/openapi/responses';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { createCorpus, search } from '../helpers/ingestion';
import { FOOTER_MARKER, helpPage, NAV_MARKER, sitemapIndex, startHelpSite, urlset, wledPage, type HelpSite } from '../helpers/help-site';

interface SyncView {
  id: string;
  trigger: string;
  status: string;
  counts: Record<'found' | 'fetched' | 'unchanged' | 'added' | 'updated' | 'deleted' | 'failed' | 'skipped', number>;
  errors: { url: string; code: string; status?: number; message: string }[];
  error: { code: string; message: string } | null;
}
interface SourceView {
  id: string;
  url: string;
  pages: number;
  schedule: string | null;
  lastSync: SyncView | null;
}
interface DocumentView {
  id: string;
  title: string;
  externalId?: string | null;
  versions: { id: string; status: string }[];
}

const PAGES = {
  infrared: '/interfaces/infrared/',
  hue: '/interfaces/philips-hue/',
  pir: '/advanced/pir-sensors/',
  mqtt: '/interfaces/mqtt/',
};

describe('help-center sources: a sitemap crawled into a corpus and kept in step', () => {
  let t: TestApp;
  let site: HelpSite;
  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>, key = t.adminKey) =>
    t.app.inject({ method, url, headers: bearer(key), ...(payload ? { payload } : {}) });
  const sourceOf = async (id: string, key = t.adminKey) => (await api('GET', `/v1/sources/${id}`, undefined, key)).json() as SourceView;
  const settled = async (id: string): Promise<SyncView> => {
    await t.idle();
    const sync = (await sourceOf(id)).lastSync!;
    expect(['completed', 'failed']).toContain(sync.status);
    return sync;
  };
  const documentsOf = async (corpus: string) => ((await api('GET', `/v1/corpora/${corpus}/documents`)).json() as { documents: DocumentView[] }).documents;
  const textOf = async (versionId: string) => ((await api('GET', `/v1/versions/${versionId}/text?end=100000`)).json() as { text: string }).text;

  beforeAll(async () => {
    site = await startHelpSite();
    const store = await memoryStore();
    // The test site is on loopback: allowed here as an operator would allow an intranet help center.
    t = await createTestApp({ store, env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1', CRAWL_DELAY_MS: '0', CRAWL_TIMEOUT_MS: '3000' } });
    const { origin, resources } = site;
    resources.set('/robots.txt', { contentType: 'text/plain', body: 'User-agent: *\nDisallow: /private/\nCrawl-delay: 0\n' });
    resources.set('/sitemap_index.xml', { contentType: 'application/xml', body: sitemapIndex(origin, ['/sitemaps/interfaces.xml', '/sitemaps/more-index.xml']) });
    // A nested index: the index lists another index, which lists the urlset.
    resources.set('/sitemaps/more-index.xml', { contentType: 'application/xml', body: sitemapIndex(origin, ['/sitemaps/advanced.xml']) });
    resources.set('/sitemaps/interfaces.xml', { contentType: 'application/xml', body: urlset(origin, [PAGES.infrared, PAGES.hue, PAGES.mqtt]) });
    resources.set('/sitemaps/advanced.xml', { contentType: 'application/xml', body: urlset(origin, [PAGES.pir, '/private/internal-notes/']) });
    resources.set(PAGES.infrared, { body: wledPage('interfaces/infrared.md'), etag: true });
    resources.set(PAGES.hue, { body: wledPage('interfaces/philips-hue.md'), etag: true });
    resources.set(PAGES.mqtt, { body: wledPage('interfaces/mqtt.md'), etag: true });
    // No validators: the second sync can only tell it is unchanged by the hash of its text.
    resources.set(PAGES.pir, { body: wledPage('advanced/pir-sensors.md') });
    resources.set('/private/internal-notes/', { body: helpPage('Internal notes', '<p>The staff discount code is PLATYPUS42 and must never be crawled.</p>'.repeat(3)) });
  });
  afterAll(async () => {
    await t?.close();
    await site?.close();
  });

  let corpus: { id: string };
  let source: SourceView;

  it('first sync: reads robots.txt and nested sitemaps, ingests the allowed pages by URL and skips the disallowed one', async () => {
    corpus = await createCorpus(t, 'help-center');
    const created = await api('POST', `/v1/corpora/${corpus.id}/sources`, { type: 'sitemap', url: `${site.origin}/sitemap_index.xml`, schedule: '0 */6 * * *' });
    expect(created.statusCode, created.body).toBe(201);
    source = created.json();
    // The documented response shapes are the real ones.
    sourceSchema.parse(source);
    expect(source.lastSync).toMatchObject({ status: expect.stringMatching(/queued|running|completed/u) });
    const sync = await settled(source.id);
    expect(sync.status).toBe('completed');
    expect(sync.counts, JSON.stringify(sync.errors)).toMatchObject({ found: 5, fetched: 4, added: 4, unchanged: 0, updated: 0, deleted: 0, failed: 0, skipped: 1 });
    expect(sync.errors).toEqual([expect.objectContaining({ url: `${site.origin}/private/internal-notes/`, code: 'ROBOTS_DISALLOWED' })]);
    expect(site.requests.some((request) => request.path.startsWith('/private/'))).toBe(false);
    expect(site.requests.every((request) => request.userAgent?.startsWith('AttestBot/'))).toBe(true);

    const documents = await documentsOf(corpus.id);
    expect(documents.map((document) => document.externalId).sort()).toEqual(Object.values(PAGES).map((path) => `${site.origin}${path}`).sort());
    expect(documents.every((document) => document.versions.length === 1 && document.versions[0]!.status === 'ready')).toBe(true);
    expect(documents.find((document) => document.externalId?.endsWith(PAGES.hue))?.title).toMatch(/Philips Hue/u);
    expect((await sourceOf(source.id)).pages).toBe(4);
  });

  it('the pages are searchable, their headings kept, and the site navigation and footer are not indexed', async () => {
    const hits = await search(t, corpus.id, 'poll interval hue bridge light change');
    expect(hits[0]?.text).toMatch(/poll interval specifies how often WLED asks the hue bridge/u);
    for (const document of await documentsOf(corpus.id)) {
      const text = await textOf(document.versions[0]!.id);
      expect(text.length).toBeGreaterThan(500);
      expect(text).not.toContain(NAV_MARKER);
      expect(text).not.toContain(FOOTER_MARKER);
    }
    const infrared = (await documentsOf(corpus.id)).find((document) => document.externalId?.endsWith(PAGES.infrared))!;
    const chunks = await search(t, corpus.id, 'white 24-key IR remote CT buttons');
    expect(chunks.some((hit) => hit.documentId === infrared.id)).toBe(true);
    expect((await search(t, corpus.id, 'PLATYPUS42 staff discount')).some((hit) => hit.text.includes('PLATYPUS42'))).toBe(false);
  });

  it('a second sync of an unchanged site changes nothing: 304s for pages with an ETag, the text hash for the rest', async () => {
    const before = site.requests.length;
    // robots.txt answers slowly this once, so the sync is surely still running when it is asked for again.
    const robots = site.resources.get('/robots.txt')!;
    site.resources.set('/robots.txt', { ...robots, delayMs: 300 });
    const sync = await api('POST', `/v1/sources/${source.id}/sync`);
    expect(sync.statusCode, sync.body).toBe(202);
    expect(sourceSyncSchema.parse(sync.json()).trigger).toBe('manual');
    // Asked again while it runs: the same sync, not a second crawl beside it.
    expect((await api('POST', `/v1/sources/${source.id}/sync`)).json().id).toBe(sync.json().id);
    site.resources.set('/robots.txt', robots);
    const done = await settled(source.id);
    sourceSchema.parse(await sourceOf(source.id));
    expect(done.counts).toMatchObject({ found: 5, fetched: 4, unchanged: 4, added: 0, updated: 0, deleted: 0, failed: 0 });
    const conditional = site.requests.slice(before).filter((request) => request.ifNoneMatch);
    expect(conditional.map((request) => request.path).sort()).toEqual([PAGES.hue, PAGES.infrared, PAGES.mqtt].sort());
    expect((await documentsOf(corpus.id)).every((document) => document.versions.length === 1)).toBe(true);
  });

  it('a changed page becomes a new version, a removed one is deleted, a new one is added', async () => {
    const { origin, resources } = site;
    const hue = resources.get(PAGES.hue)!;
    resources.set(PAGES.hue, { ...hue, body: hue.body!.replace('</article>', '<p>Since WLED 0.15 the Hue sync also follows the bulb brightness on a marmoset schedule.</p></article>') });
    resources.set('/sitemaps/interfaces.xml', { contentType: 'application/xml', body: urlset(origin, [PAGES.infrared, PAGES.hue, '/interfaces/dmx-input/']) });
    resources.delete(PAGES.mqtt);
    resources.set('/interfaces/dmx-input/', { body: wledPage('interfaces/dmx-input.md'), etag: true });
    const mqtt = (await documentsOf(corpus.id)).find((document) => document.externalId?.endsWith(PAGES.mqtt))!;

    expect((await api('POST', `/v1/sources/${source.id}/sync`)).statusCode).toBe(202);
    const done = await settled(source.id);
    expect(done.counts).toMatchObject({ found: 5, fetched: 4, unchanged: 2, added: 1, updated: 1, deleted: 1, failed: 0 });

    const documents = await documentsOf(corpus.id);
    expect(documents.some((document) => document.id === mqtt.id)).toBe(false);
    expect((await api('GET', `/v1/documents/${mqtt.id}`)).statusCode).toBe(404);
    const changed = documents.find((document) => document.externalId === `${origin}${PAGES.hue}`)!;
    expect(changed.versions.map((version) => version.status).sort()).toEqual(['ready', 'superseded']);
    expect(documents.find((document) => document.externalId === `${origin}/interfaces/dmx-input/`)?.versions).toHaveLength(1);
    expect((await search(t, corpus.id, 'marmoset schedule brightness'))[0]?.documentId).toBe(changed.id);
    expect((await sourceOf(source.id)).pages).toBe(4);
  });

  it('a scheduled tick runs the same sync (trigger "schedule")', async () => {
    // What the scheduler enqueues on a tick: the source alone, no sync row yet.
    await t.container.jobs.enqueue('source-sync', { sourceId: source.id }, { jobId: `tick-${source.id}`, maxAttempts: 1 });
    const sync = await settled(source.id);
    expect(sync).toMatchObject({ trigger: 'schedule', status: 'completed', counts: expect.objectContaining({ found: 5, unchanged: 4, added: 0, updated: 0, deleted: 0 }) });
    expect((await sourceOf(source.id)).schedule).toBe('0 */6 * * *');
  });

  it('reports per-page errors with stable codes: 404, redirect off the site, redirect loop, slow page, not HTML', async () => {
    const { origin, resources } = site;
    resources.set('/bad-sitemap.xml', {
      contentType: 'application/xml',
      body: urlset(origin, ['/gone/', '/moved-away/', '/loop-a/', '/slow/', '/guide.pdf', '/moved-home/', 'https://elsewhere.example/page']),
    });
    resources.set('/moved-away/', { status: 302, headers: { location: 'http://localhost:9/phish/' } });
    resources.set('/loop-a/', { status: 301, headers: { location: '/loop-b/' } });
    resources.set('/loop-b/', { status: 301, headers: { location: '/loop-a/' } });
    resources.set('/slow/', { body: wledPage('interfaces/ddp.md'), delayMs: 10_000 });
    resources.set('/guide.pdf', { contentType: 'application/pdf', body: '%PDF-1.4 not really' });
    // A redirect within the site is followed.
    resources.set('/moved-home/', { status: 301, headers: { location: PAGES.infrared } });
    const other = await createCorpus(t, 'help-errors');
    const created = (await api('POST', `/v1/corpora/${other.id}/sources`, { type: 'sitemap', url: `${origin}/bad-sitemap.xml` })).json() as SourceView;
    const sync = await settled(created.id);
    expect(sync.status).toBe('completed');
    const byUrl = Object.fromEntries(sync.errors.map((error) => [error.url.replace(origin, ''), { code: error.code, status: error.status }]));
    expect(byUrl).toEqual({
      'https://elsewhere.example/page': { code: 'OFF_SITE', status: undefined },
      '/gone/': { code: 'HTTP_ERROR', status: 404 },
      '/moved-away/': { code: 'REDIRECT_OFF_SITE', status: 302 },
      '/loop-a/': { code: 'REDIRECT_LOOP', status: 301 },
      '/slow/': { code: 'FETCH_TIMEOUT', status: undefined },
      '/guide.pdf': { code: 'NOT_HTML', status: 200 },
    });
    expect(sync.counts).toMatchObject({ found: 6, added: 1, failed: 5 });
    expect(site.requests.some((request) => request.path === '/phish/')).toBe(false);
  });

  it('refuses bad input with stable codes', async () => {
    const post = (body: Record<string, unknown>) => api('POST', `/v1/corpora/${corpus.id}/sources`, body);
    for (const [body, code] of [
      [{ type: 'sitemap', url: 'ftp://127.0.0.1/sitemap.xml' }, 'SOURCE_URL_INVALID'],
      [{ type: 'sitemap', url: 'file:///etc/passwd' }, 'SOURCE_URL_INVALID'],
      [{ type: 'sitemap', url: 'not a url' }, 'SOURCE_URL_INVALID'],
      [{ type: 'sitemap', url: `${site.origin}/sitemap_index.xml`, schedule: 'every day at noon' }, 'SCHEDULE_INVALID'],
      [{ type: 'sitemap', url: `${site.origin}/sitemap_index.xml`, schedule: '* * * * *' }, 'SCHEDULE_INVALID'],
      [{ type: 'rss', url: `${site.origin}/feed.xml` }, 'VALIDATION_FAILED'],
    ] as const) {
      const response = await post(body);
      expect({ body, status: response.statusCode, code: response.json().error?.code }).toEqual({ body, status: 400, code });
    }
    expect((await api('GET', `/v1/corpora/${corpus.id}/sources`)).json().sources).toHaveLength(1);
  });

  it('refuses internal sitemaps OUTBOUND_ALLOW_HOSTS does not list with 422 SOURCE_URL_FORBIDDEN (only 127.0.0.1 is listed here)', async () => {
    for (const url of ['http://127.0.0.2:8080/sitemap.xml', 'http://169.254.169.254/latest/meta-data/', 'http://10.1.2.3/sitemap.xml', 'http://[::1]/sitemap.xml', 'http://localhost/sitemap.xml', 'http://[::ffff:192.168.0.1]/s.xml']) {
      const response = await api('POST', `/v1/corpora/${corpus.id}/sources`, { type: 'sitemap', url });
      expect({ url, status: response.statusCode, code: response.json().error?.code }).toEqual({ url, status: 422, code: 'SOURCE_URL_FORBIDDEN' });
    }
  });

  it('another tenant can neither see, sync nor delete the source', async () => {
    const otherKey = await t.keyFor('other-tenant', ['admin', 'ingest', 'query']);
    expect((await api('GET', `/v1/sources/${source.id}`, undefined, otherKey)).json().error.code).toBe('SOURCE_NOT_FOUND');
    expect((await api('POST', `/v1/sources/${source.id}/sync`, undefined, otherKey)).statusCode).toBe(404);
    expect((await api('DELETE', `/v1/sources/${source.id}`, undefined, otherKey)).statusCode).toBe(404);
    expect((await api('GET', `/v1/corpora/${corpus.id}/sources`, undefined, otherKey)).json().error.code).toBe('CORPUS_NOT_FOUND');
    // A query-only key of the owner reads, but may not sync.
    const reader = await t.keyFor('default', ['query']);
    expect((await api('GET', `/v1/sources/${source.id}`, undefined, reader)).statusCode).toBe(200);
    expect((await api('POST', `/v1/sources/${source.id}/sync`, undefined, reader)).statusCode).toBe(403);
    expect((await sourceOf(source.id)).lastSync?.status).toBe('completed');
  });

  it('deleting the source deletes its pages\' documents', async () => {
    const response = await api('DELETE', `/v1/sources/${source.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ deletedDocuments: 4 });
    expect(await documentsOf(corpus.id)).toEqual([]);
    expect((await api('GET', `/v1/sources/${source.id}`)).statusCode).toBe(404);
  });
});
