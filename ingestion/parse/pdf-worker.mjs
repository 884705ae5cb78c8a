// PDF text extraction in a worker thread. Plain JavaScript on purpose: it runs
// under tsx, vitest and bare node alike, with no TypeScript loader in the worker.
// It only extracts positioned text runs; layout (lines, paragraphs, headings)
// happens in typed code on the main thread (pdf-layout.ts), which also lets it
// overlap with extraction of the following pages.
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import { lowerThisThreadPriority, nameThisThread } from '../../src/core/threads/this-thread.mjs';

nameThisThread('attest-pdf');
// Extraction is background work: answers on the main thread get the CPU first (this-thread.mjs).
lowerThisThreadPriority();

// pdf.js inflates Flate (and Brotli) streams, page content and images alike, through DecompressionStream when
// there is one, which in Node is a zlib handle; without it pdf.js inflates in JavaScript. This worker is terminated at a document's time or memory
// limit, and on Node 20 terminating a worker thread while it constructs a zlib handle aborts the whole process
// (node_zlib.cc "close before init"). So no zlib here: a stopped PDF must cost its worker, not the service.
delete globalThis.DecompressionStream;
delete globalThis.CompressionStream;

// pdf.js 6 calls Promise.withResolvers, which Node 20 lacks. unpdf's bundle
// polyfills it too, but this must hold before any pdf.js code is evaluated.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

// pdf.js in Node reads cMaps and standard fonts with fs, so it needs plain
// directory paths ending in '/' (unpdf's default file:// URLs fail to load).
const pdfjsDir = createRequire(import.meta.url).resolve('pdfjs-dist/package.json').replace(/package\.json$/, '');

const PDFJS_OPTIONS = {
  cMapUrl: `${pdfjsDir}cmaps/`,
  cMapPacked: true,
  standardFontDataUrl: `${pdfjsDir}standard_fonts/`,
  useSystemFonts: false,
  disableFontFace: true,
  isEvalSupported: false,
  verbosity: 0,
};

/** @param {{ str?: string, transform?: number[], width?: number, hasEOL?: boolean }} item */
function toRun(item) {
  const [a = 1, b = 0, c = 0, d = 1, x = 0, y = 0] = item.transform ?? [];
  return {
    text: item.str ?? '',
    x,
    y,
    width: item.width ?? 0,
    size: Math.hypot(c, d),
    angle: Math.round((Math.atan2(b, a) * 180) / Math.PI),
    eol: item.hasEOL === true,
  };
}

function describe(error) {
  return {
    name: typeof error?.name === 'string' ? error.name : 'Error',
    message: typeof error?.message === 'string' ? error.message : String(error),
  };
}

/** Below this many visible characters a page has no text layer worth keeping: it is rendered for OCR. */
const OCR_BELOW_CHARS = 10;

function visibleChars(runs) {
  let count = 0;
  for (const run of runs) count += run.text.replace(/\s/gu, '').length;
  return count;
}

let canvasModule;

/**
 * Renders a page to PNG at `ocr.dpi` (less if that would pass `ocr.maxPixels`), for OCR on the main thread's
 * engine. With pdfjs-dist's own Node build, opened once per document on the first page that needs it: unpdf's
 * bundle cannot load pdf.js's JBIG2 and OpenJPEG decoders (WASM), and scans are mostly JBIG2 or CCITT, so with
 * it they rendered blank.
 */
async function openRenderer(bytes) {
  // Drawing needs the canvas library's DOMMatrix, Path2D and ImageData; unpdf leaves stand-ins without the methods pdf.js calls.
  canvasModule ??= await import('@napi-rs/canvas');
  for (const name of ['DOMMatrix', 'Path2D', 'ImageData']) globalThis[name] = canvasModule[name];
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // unpdf registers its own in-thread pdf.js worker globally, which pdfjs-dist would otherwise pick up
  // (and with it unpdf's decoders): hidden while pdfjs-dist sets up its own.
  const unpdfWorker = globalThis.pdfjsWorker;
  delete globalThis.pdfjsWorker;
  try {
    return await pdfjs.getDocument({ ...PDFJS_OPTIONS, data: bytes, wasmUrl: `${pdfjsDir}wasm/` }).promise;
  } finally {
    globalThis.pdfjsWorker = unpdfWorker;
  }
}

async function renderPage(ocr, pageNumber) {
  canvasModule ??= await import('@napi-rs/canvas');
  ocr.renderer ??= openRenderer(ocr.bytes);
  const page = await (await ocr.renderer).getPage(pageNumber);
  try {
    const base = page.getViewport({ scale: 1 });
    let scale = ocr.dpi / 72;
    const pixels = base.width * base.height * scale * scale;
    if (pixels > ocr.maxPixels) scale *= Math.sqrt(ocr.maxPixels / pixels);
    const viewport = page.getViewport({ scale });
    const width = Math.max(1, Math.floor(viewport.width));
    const height = Math.max(1, Math.floor(viewport.height));
    const canvas = canvasModule.createCanvas(width, height);
    const context = canvas.getContext('2d');
    // Scans with transparent masks would otherwise OCR as black on black.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    await page.render({ canvasContext: context, viewport, canvas }).promise;
    return new Uint8Array(await canvas.encode('png'));
  } finally {
    page.cleanup();
  }
}

async function extractPage(pdf, pageNumber) {
  let page;
  try {
    page = await pdf.getPage(pageNumber);
    const content = await page.getTextContent();
    const runs = [];
    for (const item of content.items) if ('str' in item) runs.push(toRun(item));
    page.cleanup();
    return { runs, failed: false };
  } catch {
    // One damaged page should not cost the whole document its other pages.
    page?.cleanup();
    return { runs: [], failed: true };
  }
}

/**
 * Whether the document is OCR'd: only when it is mostly image-only (at least half its pages have no text layer),
 * i.e. a scan. A born-digital document whose figure pages lack text keeps its text layer and skips OCR: at about
 * 0.1 pages/s, OCR of its figures would cost minutes (and its PDF time limit) for little text.
 */
function wantsOcr(ocr, imageOnly, pageCount) {
  return ocr.enabled && ocr.maxPages > 0 && imageOnly.length > 0 && imageOnly.length * 2 >= pageCount;
}

async function readTitle(pdf) {
  try {
    const { info } = await pdf.getMetadata();
    const title = typeof info?.Title === 'string' ? info.Title.trim() : '';
    return title.length > 0 ? title : undefined;
  } catch {
    return undefined;
  }
}

/** Extracts one document, reporting on `out`; always destroys the document, so the worker can take the next. */
async function extract(getDocumentProxy, bytes, out, ocrOptions) {
  const ocr = { enabled: false, maxPages: 0, dpi: 200, maxPixels: 40_000_000, ...ocrOptions, renderer: undefined };
  // pdf.js may take the buffer it is given; the renderer opens its own copy.
  if (ocr.enabled && ocr.maxPages > 0) ocr.bytes = bytes.slice();
  let pdf;
  try {
    pdf = await getDocumentProxy(bytes, PDFJS_OPTIONS);
  } catch (error) {
    out.postMessage({ type: 'error', stage: 'open', error: describe(error) });
    return;
  }
  try {
    out.postMessage({ type: 'open', pageCount: pdf.numPages });
    const imageOnly = [];
    for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber += 1) {
      const { runs, failed } = await extractPage(pdf, pageNumber);
      if (!failed && visibleChars(runs) < OCR_BELOW_CHARS) imageOnly.push(pageNumber);
      out.postMessage({ type: 'page', page: pageNumber, runs, failed });
    }
    // Rendered after the text pass, which decides whether the document needs OCR at all (wantsOcr); the
    // main thread's one deadline covers rendering and recognition too (pdf.ts).
    if (wantsOcr(ocr, imageOnly, pdf.numPages)) {
      for (const pageNumber of imageOnly.slice(0, ocr.maxPages)) {
        let image;
        try {
          image = await renderPage(ocr, pageNumber);
        } catch {
          continue;
        }
        out.postMessage({ type: 'image', page: pageNumber, image }, [image.buffer]);
      }
    }
    out.postMessage({ type: 'done', title: await readTitle(pdf) });
  } catch (error) {
    out.postMessage({ type: 'error', stage: 'extract', error: describe(error) });
  } finally {
    await pdf.loadingTask.destroy().catch(() => undefined);
    if (ocr.renderer) await ocr.renderer.then((renderer) => renderer.loadingTask.destroy()).catch(() => undefined);
  }
}

async function main() {
  if (!parentPort) throw new Error('pdf-worker.mjs runs only as a worker thread (see pdf.ts)');
  // Loaded once: a warm worker takes document after document (pdf-worker-pool.ts), which
  // saves pdf.js's start-up per document. Jobs sent before the import finished wait in the
  // port. One job at a time, each with a port of its own channel, which pdf.ts can read
  // synchronously at its deadline.
  const { getDocumentProxy } = await import('unpdf');
  parentPort.on('message', (job) => {
    void extract(getDocumentProxy, job.bytes, job.port, job.ocr);
  });
}

await main();
