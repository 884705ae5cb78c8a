import { IMAGE_MIMES, type DocumentMime } from '../sniff';
import { parseHtmlDocument } from './html';
import { parseImage, type ImageMime } from './image';
import { parseMarkdown } from './markdown';
import { isOfficeMime, parseOffice } from './office';
import { parsePdf } from './pdf';
import { parseText } from './text';
import type { ParseOptions, ParsedDocument } from './types';

export type { OcrOptions, ParseOptions, ParsedBlock, ParsedDocument, ParsedPage } from './types';
export { DEFAULT_PDF_MAX_MEMORY_MB, DEFAULT_PDF_TIMEOUT_MS } from './pdf';

/** Parses a sniffed document into pages of heading/paragraph blocks. Bad files throw AppError (retryable: false). */
export async function parseDocument(bytes: Uint8Array, mime: DocumentMime, options: ParseOptions = {}): Promise<ParsedDocument> {
  if (isOfficeMime(mime)) return parseOffice(bytes, mime, options);
  if (IMAGE_MIMES.has(mime)) return parseImage(bytes, mime as ImageMime, options);
  switch (mime) {
    case 'application/pdf':
      return parsePdf(bytes, options);
    case 'text/html':
      return parseHtmlDocument(bytes);
    case 'text/markdown':
      return parseMarkdown(bytes);
    case 'text/plain':
      return parseText(bytes);
    default:
      throw new Error(`unhandled document type ${String(mime)}`);
  }
}
