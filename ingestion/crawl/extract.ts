import { createHash } from 'node:crypto';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

export interface ExtractedPage {
  title: string;
  /** A small HTML document (title as h1, then the article's markup) for the ingestion pipeline's HTML parser. */
  html: string;
  /** SHA-256 of the title and the article's whitespace-normalised text: what decides whether a page changed. */
  contentSha256: string;
  textLength: number;
}

const escapeHtml = (text: string) => text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;');

/** The page's text by its declared charset (utf-8 when none, or one TextDecoder does not know). */
export function decodeBody(body: Buffer, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([\w-]+)/iu.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

/**
 * The main content of a help-center page, by Mozilla's Readability (Firefox Reader View) over a linkedom DOM:
 * navigation, headers, footers and sidebars are left out. Undefined when Readability finds no article.
 */
export function extractMainContent(html: string, url: string): ExtractedPage | undefined {
  const { document } = parseHTML(html);
  // Readability reads this for relative links; linkedom's documents have no URL of their own.
  Object.defineProperty(document, 'baseURI', { value: url, configurable: true });
  Object.defineProperty(document, 'documentURI', { value: url, configurable: true });
  const article = new Readability(document as unknown as Document, { charThreshold: 100 }).parse();
  const text = (article?.textContent ?? '').replace(/\s+/gu, ' ').trim();
  if (!article?.content || text.length === 0) return undefined;
  const title = (article.title ?? '').replace(/\s+/gu, ' ').trim() || new URL(url).pathname;
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${article.content}</body></html>`;
  return { title, html: body, contentSha256: createHash('sha256').update(`${title}\n${text}`).digest('hex'), textLength: text.length };
}
