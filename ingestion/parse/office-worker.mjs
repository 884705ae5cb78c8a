// Office, OpenDocument, EPUB, CSV, email and TIFF decoding in a worker thread (see office.ts). Plain
// JavaScript for the reason pdf-worker.mjs gives. The worker only turns bytes into plain data (HTML,
// XML strings, rows, pixels); typed code on the main thread makes blocks of it. Every archive goes
// through openGuardedZip before a parser sees it, so a zip bomb stops at the size and entry limits.
import { Buffer } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { parentPort } from 'node:worker_threads';
import { lowerThisThreadPriority, nameThisThread } from '../../src/core/threads/this-thread.mjs';
import { openGuardedZip, ZipError } from './zip.mjs';

nameThisThread('attest-office');
// Decoding is background work: answers on the main thread get the CPU first (this-thread.mjs).
lowerThisThreadPriority();

class ParseError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const utf8 = new TextDecoder('utf-8');

/** Text entries of a guarded archive whose names match `pattern`. */
function textEntries(files, pattern) {
  const out = {};
  for (const [name, data] of files) if (pattern.test(name)) out[name] = utf8.decode(data);
  return out;
}

// Word's built-in Title style is a heading by any reading; mammoth's default map leaves it a paragraph.
const DOCX_STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

async function docx(bytes, limits) {
  const files = openGuardedZip(bytes, limits);
  if (!files.has('word/document.xml')) throw new ParseError('CORRUPT', 'the archive has no word/document.xml');
  const { default: mammoth } = await import('mammoth');
  const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, { styleMap: DOCX_STYLE_MAP, includeDefaultStyleMap: true });
  return { html: result.value, entries: textEntries(files, /^docProps\/core\.xml$/u) };
}

/** Counts `<row` start tags (with or without a namespace prefix) without making a string of the XML. */
function countRows(data) {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let count = 0;
  for (const needle of ['<row', ':row ']) {
    for (let at = buffer.indexOf(needle); at >= 0; at = buffer.indexOf(needle, at + needle.length)) {
      const next = buffer[at + needle.length];
      if (needle === ':row ' || next === 0x20 || next === 0x3e || next === 0x2f) count += 1;
    }
  }
  return count;
}

async function xlsx(bytes, limits) {
  const files = openGuardedZip(bytes, limits);
  if (!files.has('xl/workbook.xml')) throw new ParseError('CORRUPT', 'the archive has no xl/workbook.xml');
  // Counted before exceljs builds its object model, which for a million rows would take the worker's whole heap.
  let rows = 0;
  for (const [name, data] of files) if (/^xl\/worksheets\/[^/]+\.xml$/u.test(name)) rows += countRows(data);
  if (rows > limits.maxRows) throw new ParseError('TOO_MANY_ROWS', `the workbook has ${rows} rows; the limit is ${limits.maxRows}`);
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes));
  const sheets = [];
  for (const sheet of workbook.worksheets) {
    if (sheet.state === 'veryHidden') continue;
    const out = { name: sheet.name, rows: [] };
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells = [];
      for (let column = 1; column <= row.cellCount; column += 1) cells.push(cellText(row.getCell(column)));
      out.rows.push({ n: rowNumber, cells });
    });
    sheets.push(out);
  }
  return { sheets, entries: textEntries(files, /^docProps\/core\.xml$/u) };
}

function cellText(cell) {
  try {
    const value = cell.value;
    if (value instanceof Date) return value.toISOString().replace(/T00:00:00\.000Z$/u, '').replace(/\.000Z$/u, 'Z');
    return String(cell.text ?? '').trim();
  } catch {
    return '';
  }
}

/** RFC 4180 CSV (quoted fields, doubled quotes, line breaks in quotes); the delimiter is guessed from the first line. */
function csv(bytes, limits) {
  const text = utf8.decode(bytes).replace(/^\uFEFF/u, '');
  const firstLine = text.slice(0, text.search(/\r?\n|$/u));
  const delimiter = [',', ';', '\t', '|'].map((d) => [d, firstLine.split(d).length]).sort((a, b) => b[1] - a[1])[0][0];
  const rows = [];
  let field = '';
  let row = [];
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') { field += '"'; index += 1; } else quoted = false;
      } else field += char;
      continue;
    }
    if (char === '"' && field.length === 0) quoted = true;
    else if (char === delimiter) { row.push(field); field = ''; }
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      row.push(field); field = '';
      if (row.some((cell) => cell.trim().length > 0)) rows.push({ n: rows.length + 1, cells: row.map((cell) => cell.trim()) });
      row = [];
      if (rows.length > limits.maxRows) throw new ParseError('TOO_MANY_ROWS', `the file has more than ${limits.maxRows} rows`);
    } else field += char;
  }
  row.push(field);
  if (row.some((cell) => cell.trim().length > 0)) rows.push({ n: rows.length + 1, cells: row.map((cell) => cell.trim()) });
  if (rows.length > limits.maxRows) throw new ParseError('TOO_MANY_ROWS', `the file has more than ${limits.maxRows} rows`);
  // Rows are numbered as a spreadsheet would show them: the physical line a record starts on is not kept.
  return { sheets: [{ name: 'CSV', rows }] };
}

function zip(bytes, limits, pattern) {
  const files = openGuardedZip(bytes, limits);
  return { entries: textEntries(files, new RegExp(pattern, 'u')), names: [...files.keys()] };
}

async function eml(bytes) {
  const { default: PostalMime } = await import('postal-mime');
  const email = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });
  const address = (entry) => (entry ? (entry.name ? `${entry.name} <${entry.address ?? ''}>` : (entry.address ?? '')) : '');
  const list = (entries) => (entries ?? []).map((entry) => (entry.group ? entry.group.map(address).join(', ') : address(entry))).join(', ');
  return {
    subject: email.subject ?? '',
    from: address(email.from),
    to: list(email.to),
    cc: list(email.cc),
    date: email.date ?? '',
    text: email.text ?? '',
    html: email.html ?? '',
    // The bytes too: each attachment becomes a document of its own (ingestion/attachments.ts).
    attachments: (email.attachments ?? [])
      .filter((item) => item.disposition === 'attachment')
      .map((item) => ({ filename: item.filename ?? '', mimeType: item.mimeType ?? '', size: item.content?.byteLength ?? 0, content: new Uint8Array(item.content ?? new ArrayBuffer(0)) })),
  };
}

async function tiff(bytes, limits) {
  const { default: UTIF } = await import('utif2');
  const { createCanvas } = await import('@napi-rs/canvas');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const ifds = UTIF.decode(buffer);
  const pages = [];
  for (const ifd of ifds.slice(0, limits.maxPages)) {
    const width = ifd.t256?.[0] ?? 0;
    const height = ifd.t257?.[0] ?? 0;
    if (width * height > limits.maxPixels) throw new ParseError('IMAGE_TOO_LARGE', `a TIFF page is ${width}x${height} pixels; the limit is ${limits.maxPixels} pixels`);
    UTIF.decodeImage(buffer, ifd);
    const rgba = UTIF.toRGBA8(ifd);
    if (!width || !height || rgba.length < width * height * 4) continue;
    const canvas = createCanvas(width, height);
    const context = canvas.getContext('2d');
    const image = context.createImageData(width, height);
    image.data.set(rgba.subarray(0, width * height * 4));
    context.putImageData(image, 0, 0);
    pages.push(new Uint8Array(await canvas.encode('png')));
  }
  if (pages.length === 0) throw new ParseError('CORRUPT', 'the TIFF holds no readable image');
  return { pages };
}

async function run(job) {
  switch (job.kind) {
    case 'docx': return docx(job.bytes, job.limits);
    case 'xlsx': return xlsx(job.bytes, job.limits);
    case 'csv': return csv(job.bytes, job.limits);
    case 'zip': return zip(job.bytes, job.limits, job.pattern);
    case 'eml': return eml(job.bytes);
    case 'tiff': return tiff(job.bytes, job.limits);
    default: throw new Error(`unknown job kind ${job.kind}`);
  }
}

function describe(error) {
  if (error instanceof ZipError || error instanceof ParseError) return { code: error.code, message: error.message };
  const name = typeof error?.name === 'string' ? error.name : 'Error';
  const message = typeof error?.message === 'string' ? error.message : String(error);
  return { code: 'CORRUPT', message: `${name}: ${message}`.slice(0, 300) };
}

if (!parentPort) throw new Error('office-worker.mjs runs only as a worker thread (see office.ts)');
parentPort.on('message', (job) => {
  const { port } = job;
  run(job).then(
    (result) => port.postMessage({ type: 'done', result }, transferables(result)),
    (error) => port.postMessage({ type: 'error', error: describe(error) }),
  );
});

function transferables(result) {
  if (Array.isArray(result?.pages)) return result.pages.map((page) => page.buffer);
  if (Array.isArray(result?.attachments)) return result.attachments.map((item) => item.content.buffer);
  return [];
}
