import type { ErrorCode } from '../../src/core/errors';
import { AppError } from '../../src/core/errors';
import { DOCX, ODP, ODS, ODT, PPTX, XLSX, type DocumentMime } from '../sniff';
import { docxHtmlToDocument } from './docx';
import { emailToDocument, type ParsedEmail } from './eml';
import { epubToDocument } from './epub';
import { odpToDocument, odsToDocument, odtToDocument } from './odf';
import { officeFailure } from './office-errors';
import { cleanTitle } from './pdf';
import { pptxToDocument } from './pptx';
import { sheetBlocks, type Sheet } from './sheets';
import type { ParseOptions, ParsedDocument } from './types';
import { callWorker, officeWorkers } from './worker-call';
import { metadataTitle } from './xml';

export const DEFAULT_OFFICE_TIMEOUT_MS = 60_000;
export const DEFAULT_ARCHIVE_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_ARCHIVE_MAX_ENTRIES = 10_000;
export const DEFAULT_SPREADSHEET_MAX_ROWS = 200_000;
/** The Office worker's heap: exceljs holds a workbook's whole object model. */
const OFFICE_MAX_MEMORY_MB = 1024;

export type OfficeMime = typeof DOCX | typeof PPTX | typeof XLSX | typeof ODT | typeof ODP | typeof ODS | 'application/epub+zip' | 'text/csv' | 'message/rfc822';

const FORMATS: Record<OfficeMime, { name: string; corrupt: ErrorCode }> = {
  [DOCX]: { name: 'DOCX', corrupt: 'DOCX_CORRUPT' },
  [PPTX]: { name: 'PPTX', corrupt: 'PPTX_CORRUPT' },
  [XLSX]: { name: 'XLSX', corrupt: 'XLSX_CORRUPT' },
  [ODT]: { name: 'ODT', corrupt: 'ODF_CORRUPT' },
  [ODP]: { name: 'ODP', corrupt: 'ODF_CORRUPT' },
  [ODS]: { name: 'ODS', corrupt: 'ODF_CORRUPT' },
  'application/epub+zip': { name: 'EPUB', corrupt: 'EPUB_CORRUPT' },
  'text/csv': { name: 'CSV', corrupt: 'CSV_CORRUPT' },
  'message/rfc822': { name: 'email', corrupt: 'EML_CORRUPT' },
};

export function isOfficeMime(mime: DocumentMime): mime is OfficeMime {
  return Object.hasOwn(FORMATS, mime);
}

// Which archive entries each zip format's converter reads; the worker returns only these, as text.
const ZIP_ENTRIES: Partial<Record<OfficeMime, string>> = {
  [PPTX]: '^(?:ppt/presentation\\.xml|ppt/_rels/presentation\\.xml\\.rels|ppt/slides/(?:_rels/)?slide\\d+\\.xml(?:\\.rels)?|ppt/notesSlides/notesSlide\\d+\\.xml|docProps/core\\.xml)$',
  [ODT]: '^(?:content|styles|meta)\\.xml$',
  [ODP]: '^(?:content|meta)\\.xml$',
  [ODS]: '^(?:content|meta)\\.xml$',
  'application/epub+zip': '(?:\\.(?:xml|opf|xhtml|html|htm)$)',
};

interface Limits {
  maxBytes: number;
  maxEntries: number;
  maxRows: number;
}

function sheetsDocument(mime: OfficeMime, sheets: Sheet[], title: string | undefined): ParsedDocument {
  const named = mime !== 'text/csv';
  const blocks = sheets.flatMap((sheet) => sheetBlocks(sheet, { named }));
  return { mime, pageCount: null, ...(title === undefined ? {} : { title }), pages: [{ page: null, blocks }] };
}

/** Converts what the worker read into a document; converter errors (a missing part) are the format's corrupt code. */
function convert(mime: OfficeMime, result: Record<string, unknown>, limits: Limits): ParsedDocument {
  const entries = (result.entries ?? {}) as Record<string, string>;
  switch (mime) {
    case DOCX:
      return docxHtmlToDocument(result.html as string, entries['docProps/core.xml']);
    case PPTX:
      return pptxToDocument(entries);
    case XLSX:
      return sheetsDocument(mime, result.sheets as Sheet[], cleanTitle(metadataTitle(entries['docProps/core.xml'])));
    case 'text/csv':
      return sheetsDocument(mime, result.sheets as Sheet[], undefined);
    case ODT:
      return odtToDocument(entries);
    case ODP:
      return odpToDocument(entries);
    case ODS:
      return odsToDocument(entries, limits.maxRows);
    case 'application/epub+zip':
      return epubToDocument(entries);
    case 'message/rfc822':
      return emailToDocument(result as unknown as ParsedEmail);
    default: {
      const unknown: never = mime;
      throw new Error(`unhandled office type ${String(unknown)}`);
    }
  }
}

function workerJob(mime: OfficeMime, bytes: Uint8Array, limits: Limits): Record<string, unknown> & { bytes: Uint8Array } {
  switch (mime) {
    case DOCX:
      return { kind: 'docx', bytes, limits };
    case XLSX:
      return { kind: 'xlsx', bytes, limits };
    case 'text/csv':
      return { kind: 'csv', bytes, limits };
    case 'message/rfc822':
      return { kind: 'eml', bytes, limits };
    default:
      return { kind: 'zip', bytes, limits, pattern: ZIP_ENTRIES[mime] ?? '^$' };
  }
}

/** Office, OpenDocument, EPUB, CSV and email files, read in a time- and memory-limited worker. Throws AppError with the format's codes. */
export async function parseOffice(bytes: Uint8Array, mime: OfficeMime, options: ParseOptions = {}): Promise<ParsedDocument> {
  const format = FORMATS[mime];
  const limits: Limits = {
    maxBytes: options.archiveMaxBytes ?? DEFAULT_ARCHIVE_MAX_BYTES,
    maxEntries: options.archiveMaxEntries ?? DEFAULT_ARCHIVE_MAX_ENTRIES,
    maxRows: options.spreadsheetMaxRows ?? DEFAULT_SPREADSHEET_MAX_ROWS,
  };
  const outcome = await callWorker<Record<string, unknown>>(officeWorkers, workerJob(mime, bytes, limits), {
    timeoutMs: options.officeTimeoutMs ?? DEFAULT_OFFICE_TIMEOUT_MS,
    maxMemoryMb: OFFICE_MAX_MEMORY_MB,
    signal: options.signal,
  });
  if (!outcome.ok) throw officeFailure(outcome.failure, format.corrupt, format.name);
  try {
    return convert(mime, outcome.result, limits);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'TOO_MANY_ROWS') throw officeFailure({ code, message: (error as Error).message }, format.corrupt, format.name);
    throw new AppError(format.corrupt, `the ${format.name} file could not be read (${(error as Error).message.slice(0, 200)})`, { retryable: false, cause: error });
  }
}
