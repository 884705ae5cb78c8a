import { streamAnswer, type Answer, type Citation } from '../client';
import type { CliConfig } from './config';

export const EXIT_REFUSED = 3;

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

function location(citation: Citation): string {
  if (citation.page !== null && citation.page !== undefined) {
    return citation.pageEnd && citation.pageEnd !== citation.page ? `pp. ${citation.page}-${citation.pageEnd}` : `p. ${citation.page}`;
  }
  if (citation.headingPath && citation.headingPath.length > 0) return citation.headingPath.join(' › ');
  return '';
}

export function formatCitations(answer: Answer): string {
  return answer.citations
    .map((citation) => {
      const where = location(citation);
      return `[${citation.n}] ${citation.title}${where ? `, ${where}` : ''}${citation.verified ? '' : ' (unverified)'}\n    "${citation.quote}"`;
    })
    .join('\n');
}

/**
 * Streams the answer to stdout as it is generated, then its citations with titles, pages and quotes.
 * A refusal prints its reason and exits 3, so scripts can tell "the documents don't say" from an error (1).
 */
export async function ask(config: CliConfig, options: { corpus: string; question: string; json: boolean }, io: Output): Promise<number> {
  let streamed = '';
  for await (const event of streamAnswer({ baseUrl: config.url, apiKey: config.apiKey, corpus: options.corpus, question: options.question })) {
    switch (event.event) {
      case 'delta':
        if (!options.json) io.out(event.data.text);
        streamed += event.data.text;
        break;
      case 'reset':
        // The text so far is taken back (a retry, or verification removed part of it).
        if (!options.json && streamed) io.out('\n[answer revised]\n');
        streamed = '';
        break;
      case 'done': {
        const answer = event.data;
        if (options.json) {
          io.out(`${JSON.stringify(answer)}\n`);
          return answer.refused ? EXIT_REFUSED : 0;
        }
        if (answer.refused) {
          if (streamed) io.out('\n');
          io.out(`Refused: ${answer.refusalReason ?? 'the documents do not say'}\n`);
          return EXIT_REFUSED;
        }
        if (streamed.trim() !== answer.answer.trim()) io.out(`${streamed ? '\n' : ''}${answer.answer}`);
        io.out(`\n\n${formatCitations(answer)}\n`);
        return 0;
      }
      case 'error':
        io.err(`${event.data.code}: ${event.data.message}\n`);
        return 1;
      default:
        break;
    }
  }
  io.err('the answer stream ended without an answer (the server stopped?)\n');
  return 1;
}
