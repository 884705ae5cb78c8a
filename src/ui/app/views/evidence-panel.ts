import { errorText, type AppContext } from '../context';
import { h, replace } from '../dom';
import { locateCitation, type Highlight } from '../evidence';
import type { Citation } from '../types';

/** A citation of a stored turn: `deleted` when its document version has been deleted since. */
export type EvidenceCitation = Citation & { deleted?: boolean };

export interface EvidencePanel {
  element: HTMLElement;
  /** Shows the citation's quote highlighted in its source text (fetched), or, for a deleted source, the quote alone. */
  show(citation: EvidenceCitation): Promise<void>;
  clear(): void;
}

function where(citation: EvidenceCitation): string {
  if (citation.page !== null && citation.page !== undefined) {
    return citation.pageEnd && citation.pageEnd !== citation.page ? `pages ${citation.page}–${citation.pageEnd}` : `page ${citation.page}`;
  }
  const path = citation.headingPath ?? [];
  return path.length > 0 ? `section “${path.join(' › ')}”` : 'page unknown';
}

function highlighted(text: string, highlight: Highlight | null): HTMLElement {
  const block = h('blockquote', { class: 'source-text', attrs: { 'data-testid': 'evidence-text' } });
  if (!highlight) block.append(document.createTextNode(text));
  else block.append(document.createTextNode(highlight.before), h('mark', { text: highlight.mark }), document.createTextNode(highlight.after));
  return block;
}

/**
 * The evidence panel of the Conversations tab: a turn's citation opened beside the thread, its quote marked
 * in the chunk it came from (or the document text around it when the quote runs past the chunk).
 */
export function createEvidencePanel(ctx: AppContext): EvidencePanel {
  const heading = h('h2', { class: 'card-title', attrs: { id: 'evidence-heading', tabindex: -1 }, text: 'Evidence' });
  const content = h('div', { class: 'panel-content', attrs: { 'data-testid': 'evidence-content' } });
  const element = h('aside', { class: 'card source-panel evidence-panel', attrs: { id: 'evidence-panel', 'aria-labelledby': 'evidence-heading', 'data-testid': 'evidence-panel' } }, heading, content);
  let request = 0;

  function clear(): void {
    request++;
    replace(content, h('p', { class: 'placeholder', text: 'Choose a citation of a turn to see its quote in the source.' }));
  }

  async function show(citation: EvidenceCitation): Promise<void> {
    const mine = ++request;
    const badge = citation.deleted
      ? h('span', { class: 'badge warn', text: 'Document deleted since' })
      : citation.verified
        ? h('span', { class: 'badge ok', text: 'Verified quote' })
        : h('span', { class: 'badge warn', text: 'Unverified' });
    const header = h('div', { class: 'source-header' }, h('h3', { class: 'source-title', text: citation.title }), h('p', { class: 'source-meta' }, h('span', { text: `[${citation.n}] · ${where(citation)}` }), badge));
    heading.focus({ preventScroll: true });
    if (citation.deleted) {
      replace(content, header, h('p', { class: 'notice warn', text: 'This document has been deleted since this answer was given: the quote is shown as it was cited.' }), h('blockquote', { class: 'quote', text: citation.quote }));
      return;
    }
    replace(content, header, h('p', { class: 'placeholder', text: 'Loading the source…' }));
    try {
      // An old turn's chunk may be gone (its index build replaced); its version's text is still there.
      const { text, highlight } = await locateCitation(ctx.api, citation);
      if (mine !== request) return;
      replace(content, header, highlight ? null : h('p', { class: 'notice warn', text: 'The quote could not be located in this text.' }), highlight ? null : h('blockquote', { class: 'quote', text: citation.quote }), highlighted(text, highlight));
    } catch (error) {
      if (mine !== request) return;
      replace(content, header, h('blockquote', { class: 'quote', text: citation.quote }), h('p', { class: 'notice error', attrs: { role: 'alert' }, text: `Could not load the source: ${errorText(error)}` }));
    }
  }

  clear();
  return { element, show, clear };
}
