import { gunzipSync } from 'node:zlib';
import type { ChildNode, Element } from 'domhandler';
import { DomUtils, ElementType, parseDocument } from 'htmlparser2';

export interface ParsedSitemap {
  /** `index`: its locations are sitemaps; `urlset`: pages. */
  kind: 'index' | 'urlset';
  locations: string[];
}

// domutils 4 no longer exports its node guards (as in ../parse/html.ts).
const isElement = (node: ChildNode): node is Element => ElementType.isTag(node);
const localName = (name: string) => name.slice(name.indexOf(':') + 1).toLowerCase();

/**
 * One sitemap document (sitemaps.org 0.9): a `<sitemapindex>` of `<sitemap><loc>` or a `<urlset>` of `<url><loc>`.
 * Returns undefined for anything else (an HTML error page served with status 200, a feed).
 */
export function parseSitemap(xml: string): ParsedSitemap | undefined {
  const dom = parseDocument(xml, { xmlMode: true, decodeEntities: true });
  const root = dom.children.find(isElement);
  if (!root) return undefined;
  const rootName = localName(root.name);
  if (rootName !== 'sitemapindex' && rootName !== 'urlset') return undefined;
  const entryName = rootName === 'sitemapindex' ? 'sitemap' : 'url';
  const locations: string[] = [];
  for (const entry of root.children) {
    if (!isElement(entry) || localName(entry.name) !== entryName) continue;
    const loc = entry.children.find((child): child is Element => isElement(child) && localName(child.name) === 'loc');
    const text = loc ? DomUtils.textContent(loc).trim() : '';
    if (text.length > 0) locations.push(text);
  }
  return { kind: rootName === 'sitemapindex' ? 'index' : 'urlset', locations };
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** A sitemap's text, gunzipped when it is gzip (`sitemap.xml.gz`) with the output capped like any page. */
export function sitemapText(body: Buffer, maxBytes: number): string {
  const gzipped = body.length >= 2 && body[0] === GZIP_MAGIC[0] && body[1] === GZIP_MAGIC[1];
  return (gzipped ? gunzipSync(body, { maxOutputLength: maxBytes }) : body).toString('utf8');
}
