import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

export const WLED_DOCS = resolve(process.cwd(), '../shared/datasets/wled-docs/corpus');
/** Text that only the site's chrome (navigation and footer) carries: it must never reach the index. */
export const NAV_MARKER = 'Quokkanav menu';
export const FOOTER_MARKER = 'Footerwombat copyright notice';

const escape = (text: string) => text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');

/** Just enough Markdown → HTML for the help-center pages: front matter dropped, headings, lists and paragraphs. */
export function markdownToHtml(markdown: string): { title: string; body: string } {
  const front = /^---\n([\s\S]*?)\n---\n/u.exec(markdown);
  const title = /^title:\s*(.+)$/mu.exec(front?.[1] ?? '')?.[1]?.trim() ?? 'Untitled';
  const blocks = markdown.slice(front ? front[0].length : 0).split(/\n\s*\n/u);
  const html = blocks
    .map((block) => block.trim())
    .filter((block) => block.length > 0 && !block.startsWith('!['))
    .map((block) => {
      const inline = (text: string) => escape(text).replace(/`([^`]+)`/gu, '<code>$1</code>').replace(/\[([^\]]+)\]\([^)]*\)/gu, '$1');
      const heading = /^(#{1,6})\s+(.+)$/u.exec(block);
      if (heading) return `<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`;
      const lines = block.split('\n');
      if (lines.every((line) => /^\s*(\d+\.|[-*])\s+/u.test(line))) {
        return `<ol>${lines.map((line) => `<li>${inline(line.replace(/^\s*(\d+\.|[-*])\s+/u, ''))}</li>`).join('')}</ol>`;
      }
      return `<p>${inline(block.replace(/^!!!.*\n?/u, ''))}</p>`;
    })
    .join('\n');
  return { title, body: html };
}

/** A help-center page with the chrome a real site has around the article. */
export function helpPage(title: string, body: string): string {
  const nav = `<nav class="site-nav"><ul><li><a href="/">${NAV_MARKER} home</a></li><li><a href="/interfaces/">Interfaces</a></li><li><a href="/advanced/">Advanced</a></li></ul></nav>`;
  const footer = `<footer class="site-footer"><p>${FOOTER_MARKER} 2024 WLED project. <a href="/privacy">Privacy</a></p></footer>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} - WLED Help</title></head><body><header>${nav}</header><main><article><h1>${escape(title)}</h1>\n${body}\n</article></main>${footer}</body></html>`;
}

export function wledPage(relativePath: string): string {
  const { title, body } = markdownToHtml(readFileSync(resolve(WLED_DOCS, relativePath), 'utf8'));
  return helpPage(title, body);
}

export interface SiteResource {
  status?: number;
  contentType?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Sent with an ETag (its body's hash) honouring If-None-Match; otherwise with neither validator. */
  etag?: boolean;
  delayMs?: number;
}

export interface HelpSite {
  origin: string;
  /** Path → what the server answers; change it between syncs. */
  resources: Map<string, SiteResource>;
  /** Every request's path, in order, with the If-None-Match it carried and its user agent. */
  requests: { path: string; ifNoneMatch: string | undefined; userAgent: string | undefined }[];
  close(): Promise<void>;
}

export function urlset(origin: string, paths: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths.map((path) => `<url><loc>${path.startsWith("http") ? path : origin + path}</loc></url>`).join('')}</urlset>`;
}

export function sitemapIndex(origin: string, paths: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths.map((path) => `<sitemap><loc>${origin}${path}</loc></sitemap>`).join('')}</sitemapindex>`;
}

/** A local help-center site on 127.0.0.1 whose pages a test sets and changes. */
export async function startHelpSite(): Promise<HelpSite> {
  const resources = new Map<string, SiteResource>();
  const requests: HelpSite['requests'] = [];
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://site').pathname;
    const ifNoneMatch = request.headers['if-none-match'];
    requests.push({ path, ifNoneMatch, userAgent: request.headers['user-agent'] });
    const resource = resources.get(path);
    const answer = () => {
      if (!resource) return response.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>not found</body></html>');
      const body = resource.body ?? '';
      const headers: Record<string, string> = { 'content-type': resource.contentType ?? 'text/html; charset=utf-8', ...resource.headers };
      if (resource.etag) {
        headers.etag = `"${createHash('sha1').update(body).digest('hex')}"`;
        if (ifNoneMatch === headers.etag) return response.writeHead(304, { etag: headers.etag }).end();
      }
      return response.writeHead(resource.status ?? 200, headers).end(body);
    };
    if (resource?.delayMs) setTimeout(answer, resource.delayMs).unref();
    else answer();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    resources,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
