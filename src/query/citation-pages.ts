import { sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { Store } from '../core/db/client';
import type { AnswerBodyCitation } from './answer-body';

/** Where each page of a version lies in its normalized text (document_versions.structure.pages). */
export interface PageSpan {
  page: number | null;
  start: number;
  end: number;
  /** The page's text came from OCR, at this confidence (0-100). */
  ocr?: { confidence: number };
}

/** The page holding `offset`: the last page starting at or before it. */
export function pageAt(pages: readonly PageSpan[], offset: number): number | null {
  let found: number | null = null;
  for (const span of pages) {
    if (span.page === null) continue;
    if (span.start <= offset) found = span.page;
    else break;
  }
  return found;
}

/**
 * A citation's page is the page its quote starts on, pageEnd the page it ends on. A chunk can span a page
 * break; its own page is where the chunk starts, which labelled a quote on page 4 "page 3".
 */
export function narrowPages<C extends Pick<AnswerBodyCitation, 'page' | 'pageEnd' | 'start' | 'end'>>(citation: C, pages: readonly PageSpan[]): C {
  const page = pageAt(pages, citation.start);
  const pageEnd = pageAt(pages, Math.max(citation.start, citation.end - 1));
  if (page === null) return citation;
  return { ...citation, page, pageEnd: pageEnd ?? page };
}

/**
 * The OCR confidence of the text from `page` to `pageEnd`, when any of those pages was read by OCR: the lowest
 * of their confidences (the weakest page decides how far the quote can be trusted). Undefined for born-digital text.
 */
export function ocrOfPages(pages: readonly PageSpan[], page: number | null, pageEnd: number | null): { confidence: number } | undefined {
  if (page === null) return undefined;
  const last = pageEnd ?? page;
  let lowest: number | undefined;
  for (const span of pages) {
    if (span.ocr && span.page !== null && span.page >= page && span.page <= last) lowest = Math.min(lowest ?? Infinity, span.ocr.confidence);
  }
  return lowest === undefined ? undefined : { confidence: lowest };
}

/** Page spans by version, read once (a version's text never changes). */
export class VersionPages {
  private readonly cache = new LRUCache<string, PageSpan[]>({ max: 1_000 });

  constructor(private readonly store: Pick<Store, 'query'>) {}

  async of(versionId: string): Promise<PageSpan[]> {
    const kept = this.cache.get(versionId);
    if (kept) return kept;
    const [row] = await this.store.query<{ pages: unknown }>(sql`SELECT structure->'pages' AS pages FROM document_versions WHERE id = ${versionId}::uuid`);
    const raw = typeof row?.pages === 'string' ? (JSON.parse(row.pages) as unknown) : row?.pages;
    const pages = Array.isArray(raw)
      ? raw.flatMap((entry: unknown) => {
          const span = entry as Partial<PageSpan>;
          if (typeof span.start !== 'number' || typeof span.end !== 'number') return [];
          const confidence = span.ocr?.confidence;
          return [{ page: typeof span.page === 'number' ? span.page : null, start: span.start, end: span.end, ...(typeof confidence === 'number' ? { ocr: { confidence } } : {}) }];
        })
      : [];
    this.cache.set(versionId, pages);
    return pages;
  }
}
