import { ApiError } from '../api';
import { errorText, type AppContext, type View } from '../context';
import { answerAsText, copyText } from '../copy';
import { announce, h, replace, svg } from '../dom';
import { citedBy, locateCitation, revealInPanel, type Highlight } from '../evidence';
import { openSourceView } from '../source-view';
export { originalUrl } from '../source-view';
import type { AnswerBody, Citation, Source } from '../types';

export const REFUSAL_HEADLINE = "The documents don't answer this";

const REFUSAL_REASONS: Record<string, string> = {
  no_relevant_sources: 'Nothing in this corpus matched the question closely enough.',
  insufficient_support: 'The closest passages do not support an answer.',
  unsupported: 'No sentence of the draft answer was supported by its sources.',
};

/** Feather's thumbs-up/down outlines (MIT): drawn, so they don't depend on an emoji font. */
const THUMBS = {
  up: 'M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3',
  down: 'M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3zm7-13h2.67A2.31 2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17',
};

function thumbIcon(direction: 'up' | 'down'): SVGSVGElement {
  return svg(
    'svg',
    { class: 'icon-svg', attrs: { viewBox: '0 0 24 24', width: 18, height: 18, fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', focusable: 'false' } },
    svg('path', { attrs: { d: THUMBS[direction] } }),
  );
}

/** A retrieved source's page; nothing for sources without pages (a Markdown file has no "unknown" page). */
function pageText(page: number | null | undefined): string {
  return page === null || page === undefined ? '' : `page ${page}`;
}

/** Where a citation's quote is: its pages, or for sources without pages the section it sits under. */
function locationText(citation: Citation): string {
  if (citation.page !== null && citation.page !== undefined) {
    return citation.pageEnd && citation.pageEnd !== citation.page ? `pages ${citation.page}–${citation.pageEnd}` : `page ${citation.page}`;
  }
  const path = citation.headingPath ?? [];
  return path.length > 0 ? `section “${path.join(' › ')}”` : 'page unknown';
}

/** "text from OCR (confidence 87%)" for a quote read from a scan, else nothing. */
export function ocrText(citation: Pick<Citation, 'ocr'>): string | undefined {
  return citation.ocr ? `text from OCR (confidence ${Math.round(citation.ocr.confidence)}%)` : undefined;
}

export const EXTRACTIVE_NOTICE = 'No language model is configured: these are the passages that answer your question';

/** The Ask tab: question box, streamed answer with citation markers, source panel, feedback. */
export function createAskView(ctx: AppContext): View {
  let controller: AbortController | undefined;
  let current: AnswerBody | undefined;
  let citations = new Map<number, Citation>();
  let panelRequest = 0;

  // ---- question form
  const question = h('textarea', {
    class: 'input question',
    attrs: { id: 'question', name: 'question', rows: 2, maxlength: 4000, required: true, placeholder: 'e.g. How long is the warranty?', 'aria-describedby': 'question-hint' },
  });
  const askButton = h('button', { class: 'button primary', attrs: { type: 'submit' }, text: 'Ask' });
  const form = h(
    'form',
    { class: 'ask-form' },
    h('label', { class: 'label', attrs: { for: 'question' }, text: 'Question' }),
    h('div', { class: 'ask-row' }, question, askButton),
    h('p', { class: 'hint', attrs: { id: 'question-hint' }, text: 'Enter to ask, Shift+Enter for a new line. Answers quote the documents of the selected corpus.' }),
  );

  // ---- answer card
  const stateLabel = h('span', { class: 'badge muted', attrs: { 'data-testid': 'answer-state' }, text: 'No question yet' });
  const degradedLabel = h('span', { class: 'badge warn', attrs: { hidden: true, 'data-testid': 'degraded-label', title: 'A fallback generator answered: the primary model was unavailable' }, text: 'Degraded mode' });
  const cachedLabel = h('span', { class: 'badge info', attrs: { hidden: true, 'data-testid': 'cached-label', title: 'Served from the answer cache' }, text: 'Cached answer' });
  const meta = h('div', { class: 'answer-meta' }, stateLabel, degradedLabel, cachedLabel);
  const body = h('div', { class: 'answer-body', attrs: { id: 'answer-body', 'aria-live': 'polite', 'aria-busy': 'false', 'data-testid': 'answer' } });
  const copyButton = h('button', { class: 'button', attrs: { type: 'button', disabled: true }, text: 'Copy answer with citations' });
  const upButton = h('button', { class: 'button icon', attrs: { type: 'button', disabled: true, 'aria-label': 'Helpful answer', 'aria-pressed': 'false', title: 'Helpful' } }, thumbIcon('up'));
  const downButton = h('button', { class: 'button icon', attrs: { type: 'button', disabled: true, 'aria-label': 'Unhelpful answer', 'aria-pressed': 'false', title: 'Not helpful' } }, thumbIcon('down'));
  const traceValue = h('code', { class: 'trace-id', attrs: { 'data-testid': 'trace-id' }, text: '—' });
  const toolStatus = h('span', { class: 'tool-status', attrs: { role: 'status' } });
  const tools = h(
    'div',
    { class: 'answer-tools' },
    copyButton,
    h('span', { class: 'thumbs', attrs: { role: 'group', 'aria-label': 'Rate this answer' } }, upButton, downButton),
    h('span', { class: 'trace' }, 'Trace id ', traceValue),
    toolStatus,
  );
  const comment = h('textarea', { class: 'input', attrs: { id: 'feedback-comment', rows: 2, maxlength: 2000, placeholder: 'What was wrong or missing?' } });
  const sendFeedback = h('button', { class: 'button primary', attrs: { type: 'submit' }, text: 'Send feedback' });
  const feedbackForm = h(
    'form',
    { class: 'feedback', attrs: { hidden: true, 'aria-label': 'Feedback on this answer' } },
    h('label', { class: 'label', attrs: { for: 'feedback-comment' }, text: 'Comment (optional)' }),
    comment,
    h('div', { class: 'row' }, sendFeedback),
  );
  const sourcesHeading = h('h2', { class: 'card-title', text: 'Retrieved sources' });
  const sourcesList = h('ol', { class: 'source-list', attrs: { 'aria-labelledby': 'sources-heading' } });
  sourcesHeading.id = 'sources-heading';
  const sourcesSection = h('section', { class: 'card sources-card', attrs: { hidden: true } }, sourcesHeading, sourcesList);
  const answerCard = h('article', { class: 'card answer-card', attrs: { 'aria-labelledby': 'answer-heading' } }, h('h2', { class: 'card-title', attrs: { id: 'answer-heading' }, text: 'Answer' }), meta, body, tools, feedbackForm);

  // ---- source panel
  const panelContent = h('div', { class: 'panel-content', attrs: { 'data-testid': 'source-panel-content' } });
  const panelHeading = h('h2', { class: 'card-title', attrs: { id: 'source-heading', tabindex: -1 }, text: 'Source' });
  const panel = h('aside', { class: 'card source-panel', attrs: { id: 'source-panel', 'aria-labelledby': 'source-heading', 'data-testid': 'source-panel' } }, panelHeading, panelContent);

  // DOM order answer, source, sources: on a phone the source opens right under the answer.
  const element = h('div', { class: 'view ask-view' }, form, h('div', { class: 'ask-grid' }, answerCard, panel, sourcesSection));

  function idle(): void {
    replace(body, h('p', { class: 'placeholder', text: ctx.corpus() ? 'Ask a question about the documents in this corpus.' : 'Create or pick a corpus first.' }));
    replace(panelContent, h('p', { class: 'placeholder', text: 'Choose a citation marker such as [1] to see its quote highlighted in the source.' }));
  }

  function setState(text: string, tone: 'muted' | 'ok' | 'warn' | 'error' | 'info'): void {
    stateLabel.textContent = text;
    stateLabel.className = `badge ${tone}`;
  }

  function resetTools(): void {
    copyButton.disabled = true;
    upButton.disabled = true;
    downButton.disabled = true;
    upButton.setAttribute('aria-pressed', 'false');
    downButton.setAttribute('aria-pressed', 'false');
    feedbackForm.hidden = true;
    comment.value = '';
    traceValue.textContent = '—';
    toolStatus.textContent = '';
    degradedLabel.hidden = true;
    cachedLabel.hidden = true;
  }

  // ---- rendering the answer
  function citationButton(citation: Citation): HTMLButtonElement {
    const ocr = ocrText(citation);
    const label = `Citation ${citation.n}: ${citation.title}, ${locationText(citation)}${ocr ? `, ${ocr}` : ''}${citation.verified ? '' : ' (unverified)'}`;
    const button = h('button', {
      class: citation.verified ? 'cite' : 'cite unverified',
      attrs: { type: 'button', 'aria-label': label, 'aria-controls': 'source-panel', 'data-n': citation.n, title: label },
      text: `[${citation.n}]`,
    });
    button.addEventListener('click', () => void openCitation(citation, button));
    return button;
  }

  /** The answer text with each [n] that names a citation turned into a button. */
  function renderAnswerText(text: string): HTMLElement {
    const paragraph = h('p', { class: 'answer-text' });
    const marker = /\[(\d+)\]/g;
    let last = 0;
    for (const match of text.matchAll(marker)) {
      const citation = citations.get(Number(match[1]));
      if (!citation) continue;
      paragraph.append(document.createTextNode(text.slice(last, match.index)), citationButton(citation));
      last = (match.index ?? 0) + match[0].length;
    }
    paragraph.append(document.createTextNode(text.slice(last)));
    return paragraph;
  }

  function renderSources(sources: Source[], heading: string, limit: number): void {
    sourcesHeading.textContent = heading;
    replace(
      sourcesList,
      ...sources.slice(0, limit).map((source) => {
        const cited = citedBy(source, [...citations.values()]);
        const button = h('button', { class: 'link-button', attrs: { type: 'button', 'aria-controls': 'source-panel' } }, source.title, pageText(source.page) ? h('span', { class: 'muted', text: ` · ${pageText(source.page)}` }) : null);
        button.addEventListener('click', () => openSource(source, button, cited));
        const badge = cited.length > 0 ? h('span', { class: 'badge ok cited-badge', attrs: { 'data-testid': 'cited-badge' }, text: `Cited ${cited.map((n) => `[${n}]`).join('')}` }) : null;
        return h('li', { class: cited.length > 0 ? 'cited' : undefined, attrs: { 'data-cited': cited.length > 0 } }, button, badge, h('p', { class: 'snippet', text: source.text.length > 220 ? `${source.text.slice(0, 220).trimEnd()}…` : source.text }));
      }),
    );
    sourcesSection.hidden = sources.length === 0;
  }

  function renderDone(result: AnswerBody): void {
    current = result;
    citations = new Map(result.citations.map((citation) => [citation.n, citation]));
    degradedLabel.hidden = !result.degraded;
    cachedLabel.hidden = !result.cached;
    traceValue.textContent = result.traceId || '—';
    copyButton.disabled = false;
    upButton.disabled = !result.traceId;
    downButton.disabled = !result.traceId;
    if (result.refused) {
      setState('Refused', 'warn');
      const reason = result.gate?.message ?? REFUSAL_REASONS[result.refusalReason ?? ''] ?? (result.refusalReason ? `Reason: ${result.refusalReason}` : '');
      replace(
        body,
        h(
          'div',
          { class: 'refusal', attrs: { 'data-testid': 'refusal' } },
          h('p', { class: 'refusal-title', text: REFUSAL_HEADLINE }),
          reason ? h('p', { class: 'muted', text: reason }) : null,
          h('p', { class: 'muted', text: result.sources.length > 0 ? 'The closest passages are listed below; open one to read it.' : 'No passage came close.' }),
        ),
      );
      renderSources(result.sources, 'Closest sources', 5);
      announce(REFUSAL_HEADLINE);
      return;
    }
    const unverified = result.citations.filter((citation) => !citation.verified).length;
    // Green only for an answer that cleared the gate and whose every sentence is verified.
    const cleared = result.gate?.passed ?? true;
    const everySentenceCited = result.sentences.every((sentence) => sentence.citations.length > 0 && sentence.citations.every((n) => citations.get(n)?.verified));
    if (unverified > 0) setState(`Answered · ${unverified} unverified citation${unverified === 1 ? '' : 's'}`, 'warn');
    else if (!cleared || !everySentenceCited) setState('Answered · weakly supported: check the sources', 'warn');
    else setState('Answered · citations verified', 'ok');
    replace(
      body,
      result.mode === 'extractive' ? h('p', { class: 'hint extractive-notice', attrs: { 'data-testid': 'extractive-notice' }, text: EXTRACTIVE_NOTICE }) : null,
      renderAnswerText(result.answer),
    );
    renderSources(result.sources, 'Retrieved sources', 8);
    announce('Answer ready');
  }

  // ---- the source panel
  function showPanel(...children: (Node | null)[]): void {
    replace(panelContent, ...children);
  }

  function highlighted(text: string, highlight: Highlight | null): HTMLElement {
    const block = h('blockquote', { class: 'source-text', attrs: { 'data-testid': 'source-text' } });
    if (!highlight) {
      block.append(document.createTextNode(text));
      return block;
    }
    block.append(document.createTextNode(highlight.before), h('mark', { text: highlight.mark }), document.createTextNode(highlight.after));
    return block;
  }

  function focusPanel(): void {
    panelHeading.focus({ preventScroll: true });
    if (window.matchMedia('(max-width: 900px)').matches) panel.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }

  async function openCitation(citation: Citation, button: HTMLElement): Promise<void> {
    const request = ++panelRequest;
    for (const other of element.querySelectorAll('[aria-current]')) other.removeAttribute('aria-current');
    button.setAttribute('aria-current', 'true');
    const header = h(
      'div',
      { class: 'source-header' },
      h('h3', { class: 'source-title', text: citation.title }),
      h(
        'p',
        { class: 'source-meta' },
        h('span', { text: `[${citation.n}] · ${locationText(citation)}` }),
        citation.verified
          ? h('span', { class: 'badge ok', attrs: { 'data-testid': 'verified-badge' }, text: 'Verified quote' })
          : h('span', { class: 'badge warn', attrs: { 'data-testid': 'verified-badge' }, text: 'Unverified' }),
        citation.ocr ? h('span', { class: 'badge info', attrs: { 'data-testid': 'ocr-badge', title: 'This page was a scan: its text was read by OCR and may hold misread characters' }, text: ocrText(citation) ?? '' }) : null,
      ),
    );
    const original = h('button', { class: 'button small', attrs: { type: 'button', 'data-testid': 'open-original' }, text: 'Open original' });
    original.addEventListener('click', () => void openSourceView(ctx.api, { ...citation, location: locationText(citation) }));
    header.append(original);
    showPanel(header, h('p', { class: 'placeholder', text: 'Loading the source…' }));
    focusPanel();
    try {
      const { text, highlight, fromWindow } = await locateCitation(ctx.api, citation);
      const note = fromWindow ? 'The quote in the surrounding text of the document.' : 'The quote inside its chunk of the document.';
      if (request !== panelRequest) return;
      showPanel(
        header,
        highlight ? null : h('p', { class: 'notice warn', text: 'The quote could not be located in this text; it is shown below on its own.' }),
        highlight ? null : h('blockquote', { class: 'quote', text: citation.quote }),
        highlighted(text, highlight),
        h('p', { class: 'hint', text: note }),
      );
      // The quote can sit far down a long chunk: bring it into view inside the panel.
      revealInPanel(panel, panelContent.querySelector('mark'));
    } catch (error) {
      if (request !== panelRequest) return;
      showPanel(header, h('blockquote', { class: 'quote', text: citation.quote }), h('p', { class: 'notice error', attrs: { role: 'alert' }, text: `Could not load the source: ${errorText(error)}` }));
    }
  }

  function openSource(source: Source, button: HTMLElement, cited: number[]): void {
    ++panelRequest;
    for (const other of element.querySelectorAll('[aria-current]')) other.removeAttribute('aria-current');
    button.setAttribute('aria-current', 'true');
    showPanel(
      h('div', { class: 'source-header' }, h('h3', { class: 'source-title', text: source.title }), h('p', { class: 'source-meta' }, h('span', { text: `${pageText(source.page) ? `${pageText(source.page)} · ` : ''}${cited.length > 0 ? `cited as ${cited.map((n) => `[${n}]`).join('')}` : 'not cited in the answer'}` }))),
      highlighted(source.text, null),
      h('p', { class: 'hint', text: cited.length > 0 ? 'A retrieved passage the answer quotes; choose its citation marker to see the quote highlighted.' : 'A retrieved passage; no quote from it was used.' }),
    );
    focusPanel();
  }

  // ---- asking
  async function ask(): Promise<void> {
    const corpus = ctx.corpus();
    const text = question.value.trim();
    if (!corpus) {
      setState('Pick a corpus first', 'error');
      return;
    }
    if (!text) {
      question.focus();
      return;
    }
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    current = undefined;
    citations = new Map();
    ++panelRequest;
    resetTools();
    sourcesSection.hidden = true;
    setState('Retrieving…', 'info');
    const draft = h('p', { class: 'answer-text draft' });
    replace(body, draft);
    body.setAttribute('aria-busy', 'true');
    replace(panelContent, h('p', { class: 'placeholder', text: 'Choose a citation marker such as [1] to see its quote highlighted in the source.' }));
    askButton.disabled = true;
    try {
      const result = await ctx.api.answer(
        corpus.id,
        text,
        {
          onRetrieval: (sources) => {
            setState(`Writing · ${sources.length} source${sources.length === 1 ? '' : 's'} found`, 'info');
          },
          onDelta: (delta) => {
            draft.append(document.createTextNode(delta));
          },
          onReset: () => {
            draft.replaceChildren();
          },
          onCitation: (citation) => {
            citations.set(citation.n, citation);
            setState('Verifying citations…', 'info');
          },
        },
        mine.signal,
      );
      if (controller !== mine) return;
      renderDone(result);
    } catch (error) {
      if (controller !== mine || mine.signal.aborted) return;
      setState('Failed', 'error');
      const code = error instanceof ApiError ? error.code : '';
      replace(body, h('p', { class: 'notice error', attrs: { role: 'alert' }, text: `The answer failed: ${errorText(error)}` }), code === 'RATE_LIMITED' ? h('p', { class: 'hint', text: 'Too many questions at once; wait a moment and ask again.' }) : null);
    } finally {
      if (controller === mine) {
        body.setAttribute('aria-busy', 'false');
        askButton.disabled = false;
      }
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void ask();
  });
  question.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  copyButton.addEventListener('click', async () => {
    if (!current) return;
    try {
      await copyText(answerAsText(current, REFUSAL_HEADLINE));
      toolStatus.textContent = 'Copied';
    } catch (error) {
      toolStatus.textContent = `Copy failed: ${errorText(error)}`;
    }
  });

  let rating: 'up' | 'down' | undefined;
  for (const [button, value] of [
    [upButton, 'up'],
    [downButton, 'down'],
  ] as const) {
    button.addEventListener('click', () => {
      rating = value;
      upButton.setAttribute('aria-pressed', String(value === 'up'));
      downButton.setAttribute('aria-pressed', String(value === 'down'));
      feedbackForm.hidden = false;
      toolStatus.textContent = '';
      comment.focus();
    });
  }
  feedbackForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!current?.traceId || !rating) return;
    sendFeedback.disabled = true;
    try {
      await ctx.api.feedback(current.traceId, rating, comment.value.trim() || undefined);
      feedbackForm.hidden = true;
      toolStatus.textContent = 'Thanks: feedback recorded';
      announce('Feedback recorded');
    } catch (error) {
      toolStatus.textContent = `Feedback failed: ${errorText(error)}`;
    } finally {
      sendFeedback.disabled = false;
    }
  });

  idle();
  return {
    element,
    shown() {
      // Focus stays on the tab (the tabs pattern); the question box is the next stop.
    },
    corpusChanged() {
      controller?.abort();
      controller = undefined;
      current = undefined;
      resetTools();
      setState('No question yet', 'muted');
      sourcesSection.hidden = true;
      askButton.disabled = false;
      body.setAttribute('aria-busy', 'false');
      idle();
    },
  };
}
