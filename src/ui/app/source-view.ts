/**
 * "Open original": the cited source in its own rendering, in a modal. A PDF
 * is drawn page by page with pdf.js (the cited pages, `page`..`pageEnd`), and
 * the quote is marked on pdf.js's text layer, over the glyphs it matches; any
 * other format shows the document's text around the quote, highlighted. The
 * original comes from an authenticated route, so it is fetched as bytes with
 * the page's key and handed to pdf.js, never given to it as a URL; the same
 * bytes back the download link.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { Api } from './api';
import { errorText } from './context';
import { h, replace } from './dom';
import { locateQuote } from './evidence';
import { matchQuote } from './quote-match';
import './source-view.css';

/** A PDF opens at the cited page in the browser's viewer (it reads #page=N); other files as they are. */
export function originalUrl(objectUrl: string, mime: string, page: number | null | undefined): string {
  return mime === 'application/pdf' && typeof page === 'number' && page > 0 ? `${objectUrl}#page=${page}` : objectUrl;
}

export interface SourceTarget {
  versionId: string;
  title: string;
  /** Page where the quote starts / ends (PDFs); null for sources without pages. */
  page: number | null;
  pageEnd?: number | null;
  quote: string;
  /** The quote's offsets in the version's normalized text. */
  start: number;
  end: number;
  /** Where the quote is, in words ("page 2", "section …"). */
  location: string;
}

/** A long quote can span pages, but the view is about the quote: never a whole book. */
const MAX_PAGES = 4;
/** Text shown around a quote in a source without pages. */
const TEXT_CONTEXT = 4000;
/** Rendering scale limits: legible on a phone, not huge on a wide screen. */
const MIN_SCALE = 0.5;
const MAX_SCALE = 1.6;

/** Opens the source view for a citation; resolves when it is closed. */
export function openSourceView(api: Api, target: SourceTarget): Promise<void> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = `source-view-title-${Math.random().toString(36).slice(2, 8)}`;
  const status = h('p', { class: 'placeholder', attrs: { role: 'status', 'data-testid': 'source-view-status' }, text: 'Loading the original…' });
  const body = h('div', { class: 'source-view-body', attrs: { 'data-testid': 'source-view-body' } }, status);
  const links = h('span', { class: 'source-view-links' });
  const close = h('button', { class: 'button', attrs: { type: 'button' }, text: 'Close' });
  const dialog = h(
    'dialog',
    { class: 'dialog source-view', attrs: { 'aria-labelledby': titleId, 'data-testid': 'source-view' } },
    h(
      'div',
      { class: 'source-view-header' },
      h('div', {}, h('h2', { class: 'source-title', attrs: { id: titleId }, text: target.title }), h('p', { class: 'source-meta', text: `Original document · quote on ${target.location}` })),
      h('div', { class: 'row' }, links, close),
    ),
    body,
  );
  document.body.appendChild(dialog);

  let closed = false;
  let objectUrl: string | undefined;
  let pdf: PDFDocumentProxy | undefined;
  close.addEventListener('click', () => dialog.close());

  const done = new Promise<void>((resolve) => {
    dialog.addEventListener('close', () => {
      closed = true;
      dialog.remove();
      opener?.focus();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      pdf?.loadingTask.destroy().catch(() => undefined);
      resolve();
    });
  });
  dialog.showModal();
  close.focus();

  void (async () => {
    try {
      const original = await api.original(target.versionId);
      if (closed) return;
      const isPdf = original.type === 'application/pdf';
      objectUrl = URL.createObjectURL(new Blob([original.bytes], { type: original.type || 'application/octet-stream' }));
      // The browser's own viewer and a download stay available, from the bytes already fetched.
      replace(
        links,
        isPdf ? h('a', { class: 'button', attrs: { href: originalUrl(objectUrl, original.type, target.page), target: '_blank', rel: 'noopener', 'data-testid': 'open-in-browser' }, text: 'Open in the browser' }) : null,
        h('a', { class: 'button', attrs: { href: objectUrl, download: original.fileName ?? target.title, 'data-testid': 'download-original' }, text: 'Download' }),
      );
      if (isPdf) {
        const loaded = await renderPdf(original.bytes, target, body, () => closed);
        pdf = loaded;
        if (closed) void loaded.loadingTask.destroy();
      } else await renderText(api, target, body, () => closed);
    } catch (error) {
      if (closed) return;
      replace(body, h('p', { class: 'notice error', attrs: { role: 'alert' }, text: `Could not open the original: ${errorText(error)}` }));
    }
  })();
  return done;
}

function note(text: string, tone: 'hint' | 'notice warn' = 'hint'): HTMLElement {
  return h('p', { class: tone, attrs: { 'data-testid': 'source-view-note' }, text });
}

/** Scrolls the body (not the page) so the first highlight sits in its upper third. */
function reveal(body: HTMLElement, mark: Element | null): void {
  if (!mark) return;
  const offset = mark.getBoundingClientRect().top - body.getBoundingClientRect().top;
  body.scrollTop += offset - body.clientHeight / 3;
}

async function renderPdf(bytes: ArrayBuffer, target: SourceTarget, body: HTMLElement, isClosed: () => boolean): Promise<PDFDocumentProxy> {
  // Loaded on first use: pdf.js is most of the UI's weight and most answers never open an original.
  const pdfjs = await import('pdfjs-dist');
  pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
  // getDocument hands the buffer to its worker (detaching it), so it gets a copy.
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes.slice(0)) }).promise;
  if (isClosed()) return doc;
  const first = Math.min(Math.max(target.page ?? 1, 1), doc.numPages);
  const last = Math.min(Math.max(target.pageEnd ?? first, first), doc.numPages, first + MAX_PAGES - 1);
  const pages = h('div', { class: 'pdf-pages' });
  replace(body, pages);

  const items: string[] = [];
  const divs: HTMLElement[] = [];
  for (let number = first; number <= last; number++) {
    const page = await doc.getPage(number);
    if (isClosed()) return doc;
    const natural = page.getViewport({ scale: 1 });
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, (body.clientWidth - 24) / natural.width));
    const viewport = page.getViewport({ scale });
    const ratio = window.devicePixelRatio || 1;
    const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': `Page ${number} of ${doc.numPages}` } });
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    const layer = h('div', { class: 'pdf-text-layer' });
    const sheet = h('div', { class: 'pdf-page', attrs: { 'data-page': number, 'data-testid': 'pdf-page' } }, canvas, layer);
    // Sizes go through the CSSOM: the CSP allows no inline style attributes. The variables are the ones pdf.js's text layer reads.
    sheet.style.width = `${Math.floor(viewport.width)}px`;
    sheet.style.height = `${Math.floor(viewport.height)}px`;
    sheet.style.setProperty('--scale-factor', String(scale));
    sheet.style.setProperty('--total-scale-factor', String(scale));
    pages.append(h('p', { class: 'pdf-page-label', text: `Page ${number} of ${doc.numPages}` }), sheet);
    await page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] }).promise;
    const textLayer = new pdfjs.TextLayer({ textContentSource: await page.getTextContent(), container: layer, viewport });
    await textLayer.render();
    items.push(...textLayer.textContentItemsStr);
    divs.push(...textLayer.textDivs);
  }
  if (isClosed()) return doc;

  const match = matchQuote(items, target.quote);
  if (!match) {
    body.prepend(note(`The quote could not be found in the text of page${first === last ? ` ${first}` : `s ${first}–${last}`}; it reads: “${target.quote}”`, 'notice warn'));
    return doc;
  }
  for (const range of match.ranges) {
    const div = divs[range.item];
    const text = items[range.item] ?? '';
    if (!div) continue;
    div.replaceChildren(
      document.createTextNode(text.slice(0, range.from)),
      h('mark', { class: 'pdf-highlight', attrs: { 'data-testid': 'pdf-highlight' }, text: text.slice(range.from, range.to) }),
      document.createTextNode(text.slice(range.to)),
    );
  }
  body.prepend(note(match.complete ? 'The quote is highlighted on the page.' : 'The opening of the quote is highlighted; the rest could not be matched on the page.', match.complete ? 'hint' : 'notice warn'));
  reveal(body, body.querySelector('mark'));
  return doc;
}

async function renderText(api: Api, target: SourceTarget, body: HTMLElement, isClosed: () => boolean): Promise<void> {
  const around = await api.versionText(target.versionId, target.start - TEXT_CONTEXT, target.end + TEXT_CONTEXT);
  if (isClosed()) return;
  const highlight = locateQuote(around.text, around.start, target.quote, target.start, target.end);
  const block = h('div', { class: 'source-text source-view-text', attrs: { 'data-testid': 'source-view-text' } });
  if (highlight) block.append(document.createTextNode(highlight.before), h('mark', { attrs: { 'data-testid': 'text-highlight' }, text: highlight.mark }), document.createTextNode(highlight.after));
  else block.append(document.createTextNode(around.text));
  replace(
    body,
    note(
      highlight
        ? `The document's text${around.start > 0 || around.end < around.length ? ' around the quote' : ''}, with the quote highlighted.`
        : 'The quote could not be located in this text.',
      highlight ? 'hint' : 'notice warn',
    ),
    block,
  );
  reveal(body, block.querySelector('mark'));
}
