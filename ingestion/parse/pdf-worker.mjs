// PDF text extraction in a worker thread. Plain JavaScript on purpose: it runs
// under tsx, vitest and bare node alike, with no TypeScript loader in the worker.
// It only extracts positioned text runs; layout (lines, paragraphs, headings)
// happens in typed code on the main thread (pdf-layout.ts), which also lets it
// overlap with extraction of the following pages.
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

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

async function extractPage(pdf, pageNumber) {
  try {
    const page = await pdf.getPage(pageNumber);
    const content = await page.getTextContent();
    page.cleanup();
    const runs = [];
    for (const item of content.items) if ('str' in item) runs.push(toRun(item));
    return { runs, failed: false };
  } catch {
    // One damaged page should not cost the whole document its other pages.
    return { runs: [], failed: true };
  }
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
async function extract(getDocumentProxy, bytes, out) {
  let pdf;
  try {
    pdf = await getDocumentProxy(bytes, {
      cMapUrl: `${pdfjsDir}cmaps/`,
      cMapPacked: true,
      standardFontDataUrl: `${pdfjsDir}standard_fonts/`,
      useSystemFonts: false,
      disableFontFace: true,
      isEvalSupported: false,
      verbosity: 0,
    });
  } catch (error) {
    out.postMessage({ type: 'error', stage: 'open', error: describe(error) });
    return;
  }
  try {
    out.postMessage({ type: 'open', pageCount: pdf.numPages });
    for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber += 1) {
      const { runs, failed } = await extractPage(pdf, pageNumber);
      out.postMessage({ type: 'page', page: pageNumber, runs, failed });
    }
    out.postMessage({ type: 'done', title: await readTitle(pdf) });
  } catch (error) {
    out.postMessage({ type: 'error', stage: 'extract', error: describe(error) });
  } finally {
    await pdf.loadingTask.destroy().catch(() => undefined);
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
    void extract(getDocumentProxy, job.bytes, job.port);
  });
}

await main();
