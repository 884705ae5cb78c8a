import type { DocumentMime } from '../sniff';

export interface ParsedBlock {
  kind: 'heading' | 'paragraph';
  /** Raw block text; may contain line breaks (PDF lines), which normalize folds. */
  text: string;
  /** 1 = top level; only set on headings. */
  level?: number;
}

export interface ParsedPage {
  /** 1-based page number for PDFs (slides for presentations, pages for images); null for formats without pages. */
  page: number | null;
  blocks: ParsedBlock[];
  /** Set when the page's text came from OCR: tesseract's mean word confidence, 0-100. */
  ocr?: { confidence: number };
}

/** A file attached to an email: ingested as a document of its own (ingestion/attachments.ts). */
export interface ParsedAttachment {
  fileName: string;
  /** As the email declares it; the bytes are sniffed like an upload's. */
  mime: string;
  content: Uint8Array;
}

export interface ParsedDocument {
  mime: DocumentMime;
  pageCount: number | null;
  title?: string;
  pages: ParsedPage[];
  /** Emails: their attachments, in the order the message holds them. */
  attachments?: ParsedAttachment[];
}

export interface ParseOptions {
  pdfTimeoutMs?: number;
  pdfMaxMemoryMb?: number;
  /** Office, OpenDocument, EPUB, CSV, email: the whole parse's time limit. */
  officeTimeoutMs?: number;
  /** Zip bomb guard: the most an archive may expand to, and its most entries. */
  archiveMaxBytes?: number;
  archiveMaxEntries?: number;
  /** Rows across a workbook's sheets (or a CSV's) beyond which it is refused (SPREADSHEET_TOO_LARGE). */
  spreadsheetMaxRows?: number;
  ocr?: Partial<OcrOptions>;
  signal?: AbortSignal;
}

export interface OcrOptions {
  /** false: no OCR; image-only PDFs end PDF_NO_TEXT and images are refused (OCR_FAILED). */
  enabled: boolean;
  /** tesseract languages, "eng" or "eng+deu"; each needs its @tesseract.js-data/<lang> package. */
  languages: string;
  /** Pages of one document OCR'd at most; later image-only pages are left without text. */
  maxPages: number;
  pageTimeoutMs: number;
  /** Render resolution of PDF pages. */
  dpi: number;
  /** Pixels of one page image at most (IMAGE_TOO_LARGE beyond, for images; PDF pages are rendered smaller). */
  maxPixels: number;
}
