/**
 * A help-center crawl of N local pages (default 200: the 66 WLED help pages, each served under several URLs with
 * a line of its own so every page is distinct), on the embedded default with the inline queue: the first sync's
 * wall time (crawl, and crawl plus ingestion of every page), then a re-sync of the unchanged site (conditional
 * requests: all 304). Usage: npm run bench -- crawl [pages=200] [concurrencyPerHost=2]
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/core/config';
import { migrateStore, openStore } from '../../src/core/db/client';
import { createContainer } from '../../src/container';
import { ensureTenant } from '../../src/core/tenancy';
import { InlineJobQueue } from '../../src/jobs/inline-queue';
import { JobRecords } from '../../src/jobs/job-records';
import { startHelpSite, urlset, WLED_DOCS, wledPage } from '../../test/helpers/help-site';

const [pageCount = 200, concurrency = 2] = process.argv.slice(2).map(Number);
const markdown = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? markdown(full) : name.endsWith('.md') ? [path.relative(WLED_DOCS, full)] : [];
  });
const files = markdown(WLED_DOCS);
const site = await startHelpSite();
const paths: string[] = [];
for (let index = 0; index < pageCount; index += 1) {
  const file = files[index % files.length]!;
  const page = `/p${index}/${file.replace(/\.md$/u, '/')}`;
  paths.push(page);
  site.resources.set(page, { body: wledPage(file).replace('</article>', `<p>Copy ${index} of this page, served at ${page}.</p></article>`), etag: true });
}
site.resources.set('/robots.txt', { contentType: 'text/plain', body: 'User-agent: *\nAllow: /\n' });
site.resources.set('/sitemap.xml', { contentType: 'application/xml', body: urlset(site.origin, paths) });

const store = await openStore({ dataDir: 'memory://' });
await migrateStore(store);
const config = loadConfig({ LOG_LEVEL: 'silent', LOCAL_MODELS: 'off', OUTBOUND_ALLOW_HOSTS: '127.0.0.1', CRAWL_DELAY_MS: '0', CRAWL_CONCURRENCY_PER_HOST: String(concurrency) });
const jobs = new InlineJobQueue(new JobRecords(store.db), { queue: 'bench', concurrency: 2 });
const container = await createContainer(config, { store, jobs });
await jobs.startWorker();
const tenant = await ensureTenant(store.db, 'bench');
const corpus = await container.services.corpora.create(tenant.id, 'help');
const sources = container.services.sources;

async function syncSettled(id: string): Promise<{ seconds: number; counts: unknown }> {
  const started = performance.now();
  for (;;) {
    const view = await sources.get(tenant.id, id);
    if (view.lastSync && (view.lastSync.status === 'completed' || view.lastSync.status === 'failed')) return { seconds: (performance.now() - started) / 1000, counts: view.lastSync.counts };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let started = performance.now();
const source = await sources.create(corpus, { type: 'sitemap', url: `${site.origin}/sitemap.xml` });
const first = await syncSettled(source.id);
await jobs.idle();
const ingested = (performance.now() - started) / 1000;
console.log(`first sync: ${pageCount} pages crawled in ${first.seconds.toFixed(1)} s (${(pageCount / first.seconds).toFixed(1)} pages/s, ${concurrency} per host, no delay); crawled and ingested in ${ingested.toFixed(1)} s`);
console.log(`  counts ${JSON.stringify(first.counts)}`);
started = performance.now();
await sources.sync(tenant.id, source.id);
const second = await syncSettled(source.id);
await jobs.idle();
console.log(`re-sync of the unchanged site: ${second.seconds.toFixed(1)} s (${JSON.stringify(second.counts)})`);
console.log(`process RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
await container.close();
await site.close();
