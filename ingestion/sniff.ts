/**
 * Decides a document's type from its bytes. The client's Content-Type and file
 * name are not trusted: the file name may only break a tie between Markdown and
 * plain text, never turn binary into text.
 */
import { inflateEntry, listZipEntries, type ZipEntry } from './parse/zip.mjs';

export type DocumentMime =
  | 'application/pdf'
  | 'text/markdown'
  | 'text/html'
  | 'text/plain'
  | typeof DOCX
  | typeof PPTX
  | typeof XLSX
  | typeof ODT
  | typeof ODP
  | typeof ODS
  | 'application/epub+zip'
  | 'text/csv'
  | 'message/rfc822'
  | 'image/png'
  | 'image/jpeg'
  | 'image/tiff';

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const ODT = 'application/vnd.oasis.opendocument.text';
export const ODP = 'application/vnd.oasis.opendocument.presentation';
export const ODS = 'application/vnd.oasis.opendocument.spreadsheet';

/** Types whose text comes from OCR. */
export const IMAGE_MIMES: ReadonlySet<DocumentMime> = new Set<DocumentMime>(['image/png', 'image/jpeg', 'image/tiff']);

// pdf.js accepts a "%PDF-" header anywhere in the first 1024 bytes (junk before it is common).
const PDF_SEARCH_WINDOW = 1024;
// Markup and Markdown signals show up early; the full text is still checked for valid UTF-8.
const TEXT_SAMPLE_CHARS = 64 * 1024;

// Only magics that cannot open a text file. Formats with ASCII-only magics (MZ, ID3, OggS, RIFF...)
// are still refused, by the NUL-byte and UTF-8 checks, without misjudging a text that starts "MZ".
const BINARY_MAGICS: ReadonlyArray<{ offset: number; bytes: readonly number[] }> = [
  { offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47] }, // PNG
  { offset: 0, bytes: [0xff, 0xd8, 0xff] }, // JPEG
  { offset: 0, bytes: [0x47, 0x49, 0x46, 0x38] }, // GIF8
  { offset: 0, bytes: [0x50, 0x4b, 0x03, 0x04] }, // ZIP (docx, xlsx, epub, jar)
  { offset: 0, bytes: [0x50, 0x4b, 0x05, 0x06] }, // empty ZIP
  { offset: 0, bytes: [0x1f, 0x8b] }, // gzip
  { offset: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] }, // xz
  { offset: 0, bytes: [0x28, 0xb5, 0x2f, 0xfd] }, // zstd
  { offset: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] }, // 7z
  { offset: 0, bytes: [0x7f, 0x45, 0x4c, 0x46] }, // ELF
  { offset: 0, bytes: [0xcf, 0xfa, 0xed, 0xfe] }, // Mach-O
  { offset: 0, bytes: [0x00, 0x61, 0x73, 0x6d] }, // WebAssembly
  { offset: 0, bytes: [0xd0, 0xcf, 0x11, 0xe0] }, // OLE2 (doc, xls, msg)
  { offset: 0, bytes: [0x49, 0x49, 0x2a, 0x00] }, // TIFF little-endian
  { offset: 0, bytes: [0x4d, 0x4d, 0x00, 0x2a] }, // TIFF big-endian
  { offset: 0, bytes: [0x25, 0x21, 0x50, 0x53] }, // PostScript (%!PS): text, but not a format we read
  { offset: 0, bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66] }, // RTF ({\rtf)
  { offset: 0, bytes: [0xfe, 0xff] }, // UTF-16 BE BOM: not supported
  { offset: 0, bytes: [0xff, 0xfe] }, // UTF-16 LE BOM: not supported
];

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

function startsWithAt(bytes: Uint8Array, offset: number, magic: readonly number[]): boolean {
  if (bytes.length < offset + magic.length) return false;
  return magic.every((byte, index) => bytes[offset + index] === byte);
}

function hasPdfHeader(bytes: Uint8Array): boolean {
  const last = Math.min(bytes.length, PDF_SEARCH_WINDOW) - PDF_MAGIC.length;
  for (let offset = 0; offset <= last; offset += 1) if (startsWithAt(bytes, offset, PDF_MAGIC)) return true;
  return false;
}

const isWhitespaceByte = (byte: number): boolean => byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);

/** True for zero bytes or nothing but whitespace (and a BOM): the caller reports EMPTY_FILE. */
export function isEmpty(bytes: Uint8Array): boolean {
  const start = startsWithAt(bytes, 0, UTF8_BOM) ? UTF8_BOM.length : 0;
  for (let index = start; index < bytes.length; index += 1) if (!isWhitespaceByte(bytes[index]!)) return false;
  return true;
}

function decodeUtf8(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    // fatal: invalid UTF-8 is binary (or a legacy encoding we do not guess at); the BOM is dropped.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function looksBinary(sample: string): boolean {
  // eslint-disable-next-line no-control-regex -- counting control characters is the point
  const controls = sample.match(/[\u0001-\u0008\u000E-\u001A\u001C-\u001F\u007F]/gu)?.length ?? 0;
  return controls > sample.length * 0.01;
}

const HTML_START = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/iu;
const HTML_DOCUMENT_TAG = /<(?:html|head|body)[\s>]/giu;
const HTML_COMMON_TAG = /<\/?(?:p|div|span|a|ul|ol|li|table|tr|td|th|h[1-6]|br|img|section|article|nav|header|footer|main|strong|em|b|i|meta|link|script|style|title)(?:\s[^<>]*)?\/?>/giu;

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

const ATX_HEADING = /^#{1,6}[ \t]+\S/mu;
const FENCE = /^(?:```|~~~)/mu;
const SETEXT_HEADING = /^[^\s].*\n(?:={3,}|-{3,})[ \t]*$/mu;
const PIPE_TABLE = /^\|.*\|[ \t]*\n\|?[ \t]*:?-{3,}/mu;

/** Markdown structure that plain prose and HTML practically never have. */
function hasMarkdownStructure(sample: string): boolean {
  return countMatches(sample, new RegExp(ATX_HEADING.source, 'gmu')) >= 2 || FENCE.test(sample) || SETEXT_HEADING.test(sample) || PIPE_TABLE.test(sample);
}

function markdownScore(sample: string): number {
  let score = 0;
  for (const strong of [ATX_HEADING, FENCE, SETEXT_HEADING, PIPE_TABLE]) if (strong.test(sample)) score += 2;
  if (/\[[^\]\n]+\]\([^)\s]+\)/u.test(sample)) score += 1;
  if (/^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+\S/mu.test(sample)) score += 1;
  if (/(?:\*\*|__)[^\s*_][^\n]*?[^\s*_](?:\*\*|__)|`[^`\n']+`/u.test(sample)) score += 1; // `code`, not GNU-style `quotes'
  return score;
}

function looksLikeHtml(sample: string): boolean {
  if (HTML_START.test(sample)) return true;
  // READMEs often open with HTML badges or logos; headings and fences still make them Markdown.
  if (hasMarkdownStructure(sample)) return false;
  const tags = countMatches(sample, HTML_COMMON_TAG) + 5 * countMatches(sample, HTML_DOCUMENT_TAG);
  if (tags < 3 || tags <= 2 * markdownScore(sample)) return false;
  return /^\s*</u.test(sample) || tags * 300 >= Math.min(sample.length, 30_000);
}

function extensionOf(fileName: string | undefined): string {
  const match = /\.([a-z0-9]+)$/iu.exec(fileName ?? '');
  return match?.[1]?.toLowerCase() ?? '';
}

function markdownOrText(sample: string, fileName: string | undefined): DocumentMime {
  // Comma- or tab-separated values look like plain text; only the name tells them apart.
  if (['csv', 'tsv'].includes(extensionOf(fileName))) return 'text/csv';
  const score = markdownScore(sample);
  if (score >= 3) return 'text/markdown';
  const extension = extensionOf(fileName);
  if (['md', 'markdown', 'mdown', 'mkd', 'mdx'].includes(extension)) return 'text/markdown';
  if (extension === 'txt' || extension === 'text') return 'text/plain';
  return score >= 2 ? 'text/markdown' : 'text/plain';
}

const IMAGE_MAGICS: ReadonlyArray<{ mime: DocumentMime; bytes: readonly number[] }> = [
  { mime: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mime: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mime: 'image/tiff', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { mime: 'image/tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
];

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const ZIP_BY_EXTENSION: Readonly<Record<string, DocumentMime>> = {
  docx: DOCX, pptx: PPTX, xlsx: XLSX, odt: ODT, odp: ODP, ods: ODS, epub: 'application/epub+zip',
};
const ODF_MIMETYPES: ReadonlySet<string> = new Set([ODT, ODP, ODS, 'application/epub+zip']);

/** A zip's type from its entries (OOXML parts, an ODF/EPUB `mimetype`), else from the file name; null if neither says. */
function sniffZip(bytes: Uint8Array, fileName: string | undefined): DocumentMime | null {
  const byName = ZIP_BY_EXTENSION[extensionOf(fileName)] ?? null;
  let entries: ZipEntry[];
  try {
    entries = listZipEntries(bytes);
  } catch {
    // Damaged, but named as one of ours: the parser gives it a stable code (DOCX_CORRUPT...).
    return byName;
  }
  const names = new Set(entries.map((entry) => entry.name));
  if (names.has('word/document.xml')) return DOCX;
  if (names.has('ppt/presentation.xml')) return PPTX;
  if (names.has('xl/workbook.xml')) return XLSX;
  const mimetype = entries.find((entry) => entry.name === 'mimetype');
  if (mimetype) {
    try {
      const declared = new TextDecoder().decode(inflateEntry(bytes, mimetype, 200)).trim();
      if (ODF_MIMETYPES.has(declared)) return declared as DocumentMime;
    } catch {
      return byName;
    }
  }
  return null;
}

/**
 * A password-protected OOXML file is not a zip but an OLE2 compound file holding an "EncryptedPackage"
 * stream (ECMA-376 part 2, agile or standard encryption); legacy .doc/.xls files have no such stream.
 */
export function isEncryptedOffice(bytes: Uint8Array): boolean {
  if (!startsWithAt(bytes, 0, OLE2_MAGIC)) return false;
  const marker = Buffer.from('EncryptedPackage', 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(marker);
}

// RFC 5322 header fields that open an exported message (.eml); two of them, in the first header lines, make an email.
const EMAIL_FIELDS = /^(?:from|to|cc|subject|date|message-id|mime-version|received|return-path|reply-to|delivered-to|x-[a-z0-9-]+):/iu;

function looksLikeEmail(bytes: Uint8Array, fileName: string | undefined): boolean {
  // Headers are ASCII; the body may be any charset (8bit Latin-1), so this looks at bytes, not UTF-8.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 8 * 1024)).toString('latin1');
  const lines = head.split(/\r?\n/u);
  let fields = 0;
  for (const line of lines.slice(0, 60)) {
    if (line.length === 0) break;
    if (/^[ \t]/u.test(line)) continue; // a folded header line
    if (!/^[\x21-\x39\x3b-\x7e]+:/u.test(line)) return false;
    if (EMAIL_FIELDS.test(line)) fields += 1;
  }
  return fields >= (extensionOf(fileName) === 'eml' ? 1 : 2) && /^(?:from|return-path|received|delivered-to|date|message-id|mime-version|to|subject|x-[a-z0-9-]+):/iu.test(lines[0] ?? '');
}

export function sniffMime(bytes: Uint8Array, fileName?: string): DocumentMime | null {
  if (bytes.length === 0) return null;
  if (hasPdfHeader(bytes)) return 'application/pdf';
  const image = IMAGE_MAGICS.find((magic) => startsWithAt(bytes, 0, magic.bytes));
  if (image) return image.mime;
  if (startsWithAt(bytes, 0, ZIP_MAGIC)) return sniffZip(bytes, fileName);
  if (looksLikeEmail(bytes, fileName)) return 'message/rfc822';
  if (BINARY_MAGICS.some(({ offset, bytes: magic }) => startsWithAt(bytes, offset, magic))) return null;
  const text = decodeUtf8(bytes);
  if (text === null) return null;
  const sample = text.slice(0, TEXT_SAMPLE_CHARS);
  if (looksBinary(sample)) return null;
  if (looksLikeHtml(sample)) return 'text/html';
  return markdownOrText(sample, fileName);
}
