import type { VerifiedAnswer } from './verify';

/**
 * The deterministic adapter from a verified answer to the answer-body pieces
 * of the API (the pipeline adds degraded, cached, traceId, usage, timings).
 * Only verified citations exist by construction; `verified` is carried, not
 * asserted here.
 */
export interface AnswerBodyCitation {
  n: number;
  documentId: string;
  versionId: string;
  /** The first chunk of the source that the quote overlaps. */
  chunkId: string;
  title: string;
  /** Page where the quote starts. */
  page: number | null;
  /** Page where the quote ends (= page for a quote on one page). */
  pageEnd: number | null;
  /** The headings the quote sits under: what non-paginated sources show instead of a page. */
  headingPath: string[];
  quote: string;
  /** Offsets of the quote in the document version's normalized text. */
  start: number;
  end: number;
  verified: boolean;
  /** Set when the quote lies on pages whose text came from OCR: their (lowest) mean word confidence, 0-100. */
  ocr?: { confidence: number };
}

export interface AnswerBodySentence {
  text: string;
  citations: number[];
  /** Claim support of its best quote on the relevance scorer's scale (absent when no scorer ran). */
  support?: number;
}

export interface AnswerBodyPieces {
  answer: string;
  sentences: AnswerBodySentence[];
  citations: AnswerBodyCitation[];
  refused: boolean;
  refusalReason: string | null;
}

/** Shown as `answer` when the answer is a refusal. */
export const REFUSAL_TEXT = "The documents don't say: no passage in the sources answers this question.";

/** Shown as `answer` when the provider, not the sources, stopped the answer (answer-schema's provider refusals). */
export const PROVIDER_REFUSAL_TEXT: Readonly<Record<string, string>> = {
  provider_refusal: 'The model declined to answer this question.',
  content_filter: "The provider's content filter withheld the answer.",
};

/** Trailing sentence punctuation, with any closing quotes or brackets after it. */
const TERMINAL = /([.!?…]+["'”’)\]]*)$/u;

/** "The valve is torqued to 42 Nm." + [1] → "The valve is torqued to 42 Nm [1]." */
export function withMarkers(text: string, citations: readonly number[]): string {
  const trimmed = text.trim();
  if (citations.length === 0) return trimmed;
  const markers = citations.map((n) => `[${n}]`).join('');
  const terminal = TERMINAL.exec(trimmed);
  if (terminal?.[1] === undefined) return `${trimmed} ${markers}`;
  const body = trimmed.slice(0, trimmed.length - terminal[1].length).trimEnd();
  return `${body} ${markers}${terminal[1]}`;
}

export function toAnswerBody(verified: VerifiedAnswer): AnswerBodyPieces {
  if (verified.refused) {
    const refusalReason = verified.refusalReason ?? 'refused';
    const answer = Object.hasOwn(PROVIDER_REFUSAL_TEXT, refusalReason) ? PROVIDER_REFUSAL_TEXT[refusalReason] ?? REFUSAL_TEXT : REFUSAL_TEXT;
    return { answer, sentences: [], citations: [], refused: true, refusalReason };
  }
  const sentences = verified.sentences.map((sentence) => ({ text: sentence.text, citations: [...sentence.citations] }));
  const citations = verified.citations.map((citation) => ({
    n: citation.n,
    documentId: citation.documentId,
    versionId: citation.versionId,
    chunkId: citation.chunkIds[0] ?? '',
    title: citation.title,
    page: citation.page,
    pageEnd: citation.pageEnd,
    headingPath: citation.headingPath,
    quote: citation.quote,
    start: citation.start,
    end: citation.end,
    verified: citation.verified,
  }));
  return {
    answer: sentences.map((sentence) => withMarkers(sentence.text, sentence.citations)).join(' '),
    sentences,
    citations,
    refused: false,
    refusalReason: null,
  };
}
