import type { AnswerBody } from './types';

/** The answer as plain text with its [n] markers, then the numbered quotes with title and page. */
export function answerAsText(body: Pick<AnswerBody, 'answer' | 'citations' | 'refused' | 'traceId'>, refusalText: string): string {
  const lines: string[] = [body.refused ? refusalText : body.answer.trim()];
  if (body.citations.length > 0) {
    lines.push('', 'Sources:');
    for (const citation of [...body.citations].sort((a, b) => a.n - b.n)) {
      const where = citation.page !== null && citation.page !== undefined ? `${citation.title}, p. ${citation.page}` : citation.title;
      lines.push(`[${citation.n}] "${citation.quote.replace(/\s+/g, ' ').trim()}" (${where})${citation.verified ? '' : ' [unverified]'}`);
    }
  }
  if (body.traceId) lines.push('', `Trace: ${body.traceId}`);
  return lines.join('\n');
}

export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain-http deployments: the old way, through a temporary text field.
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.className = 'offscreen';
  document.body.appendChild(field);
  field.select();
  const ok = document.execCommand('copy');
  field.remove();
  if (!ok) throw new Error('the browser refused to copy');
}
