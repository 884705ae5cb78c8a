import type { DocumentMime } from '../sniff';

export interface ParsedBlock {
  kind: 'heading' | 'paragraph';
  /** Raw block text; may contain line breaks (PDF lines), which normalize folds. */
  text: string;
  /** 1 = top level; only set on headings. */
  level?: number;
}

export interface ParsedPage {
  /** 1-based page number for PDFs; null for formats without pages. */
  page: number | null;
  blocks: ParsedBlock[];
}

export interface ParsedDocument {
  mime: DocumentMime;
  pageCount: number | null;
  title?: string;
  pages: ParsedPage[];
}

export interface ParseOptions {
  pdfTimeoutMs?: number;
  pdfMaxMemoryMb?: number;
  signal?: AbortSignal;
}
