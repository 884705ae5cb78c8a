import { analyze } from '../../indexes/analyzer';
import type { GeneratedAnswer } from '../core/providers/ports';
import type { AssembledSource } from './assemble';
import {
  findQuote,
  mapNormalize,
  numberTokens,
  splitSentences,
  stripCitationMarkers,
  surroundingSentences,
  type MappedText,
  type Span,
} from './text-match';

export type VerificationFailure =
  | 'no_citation'
  | 'source_not_in_context'
  | 'quote_not_found'
  | 'unsupported_content'
  | 'unsupported_number'
  /** Claim support (src/query/claim-support.ts): the model-scored support of its quotes is under the floor. */
  | 'low_support';

export interface VerifiedSentence {
  text: string;
  /** Global citation numbers (VerifiedCitation.n). */
  citations: number[];
}

export interface VerifiedCitation {
  n: number;
  /** The source label [n] it rests on. */
  source: number;
  /** Chunks of the source the quote overlaps, in text order. */
  chunkIds: string[];
  documentId: string;
  versionId: string;
  title: string;
  /** Page of the chunk holding the quote's start (the answer service narrows it to the quote's own page). */
  page: number | null;
  /** Last page of the chunk holding the quote's end. */
  pageEnd: number | null;
  /** Headings of the chunk holding the quote's start. */
  headingPath: string[];
  /** Exactly the version's normalized text [start, end). */
  quote: string;
  start: number;
  end: number;
  verified: true;
}

export interface RemovedSentence {
  text: string;
  reasons: VerificationFailure[];
  /** What exactly failed, in words a model can act on. */
  details: string[];
}

export interface VerifiedAnswer {
  sentences: VerifiedSentence[];
  citations: VerifiedCitation[];
  removed: RemovedSentence[];
  refused: boolean;
  refusalReason: string | null;
}

export interface VerifyOptions {
  /** Share of a sentence's content terms its cited text must contain. */
  coverageThreshold?: number;
}

export const DEFAULT_COVERAGE_THRESHOLD = 0.6;

interface PreparedSource {
  source: AssembledSource;
  mapped: MappedText;
  sentences: Span[];
}

interface ResolvedCitation {
  prepared: PreparedSource;
  /** Offsets local to the source text. */
  span: Span;
  citedText: string;
}

function prepare(source: AssembledSource): PreparedSource {
  return { source, mapped: mapNormalize(source.text), sentences: splitSentences(source.text) };
}

function crossesGap(source: AssembledSource, span: Span): boolean {
  return source.gaps.some((gap) => span.start < gap.end - source.charStart && span.end > gap.start - source.charStart);
}

function coverage(terms: ReadonlySet<string>, citedText: string): number {
  if (terms.size === 0) return 1;
  const cited = new Set(analyze(citedText));
  let covered = 0;
  for (const term of terms) if (cited.has(term)) covered++;
  return covered / terms.size;
}

function citedTextOf(prepared: PreparedSource, span: Span): string {
  const quote = prepared.source.text.slice(span.start, span.end);
  return `${quote} ${surroundingSentences(prepared.source.text, prepared.sentences, span)}`;
}

function shorten(text: string, length = 160): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function missingWords(text: string, cited: string): string[] {
  const citedTerms = new Set(analyze(cited));
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.,-]*/gu) ?? [];
  return [...new Set(words.filter((word) => analyze(word).some((term) => !citedTerms.has(term))))];
}

type SentenceCheck = { ok: true; resolved: ResolvedCitation[] } | { ok: false; reasons: VerificationFailure[]; details: string[] };

function checkSentence(
  text: string,
  citations: GeneratedAnswer['sentences'][number]['citations'],
  sources: PreparedSources,
  threshold: number,
): SentenceCheck {
  if (citations.length === 0) return { ok: false, reasons: ['no_citation'], details: ['the sentence cites no source'] };
  const reasons = new Set<VerificationFailure>();
  const details: string[] = [];
  const terms = new Set(analyze(text));
  const resolved: ResolvedCitation[] = [];
  for (const citation of citations) {
    const prepared = sources.get(citation.source);
    if (prepared === undefined) {
      reasons.add('source_not_in_context');
      details.push(`source [${citation.source}] is not one of the given sources`);
      continue;
    }
    const spans = findQuote(prepared.mapped, citation.quote).filter((span) => !crossesGap(prepared.source, span));
    const best = spans
      .map((span) => ({ span, citedText: citedTextOf(prepared, span) }))
      .reduce<{ span: Span; citedText: string; score: number } | undefined>((top, next) => {
        const score = coverage(terms, next.citedText);
        return top === undefined || score > top.score ? { ...next, score } : top;
      }, undefined);
    if (best === undefined) {
      reasons.add('quote_not_found');
      details.push(`the quote "${shorten(citation.quote)}" does not occur in source [${citation.source}]`);
      continue;
    }
    resolved.push({ prepared, span: best.span, citedText: best.citedText });
  }
  if (reasons.size === 0) {
    const cited = resolved.map((entry) => entry.citedText).join(' ');
    if (coverage(terms, cited) < threshold) {
      reasons.add('unsupported_content');
      details.push(`the cited text does not support the words: ${missingWords(text, cited).slice(0, 8).join(', ')}`);
    }
    const citedNumbers = numberTokens(cited, true);
    const missing = [...numberTokens(text)].filter((number) => !citedNumbers.has(number));
    if (missing.length > 0) {
      reasons.add('unsupported_number');
      details.push(`the numbers ${missing.join(', ')} do not appear in the quoted text`);
    }
  }
  return reasons.size === 0 ? { ok: true, resolved } : { ok: false, reasons: [...reasons], details };
}

/**
 * The sources by number, each normalized and split into sentences on first use: an answer cites one to three
 * of the eight or so sources it was given, and preparing every one of them was most of verification's time.
 */
class PreparedSources {
  private readonly given: ReadonlyMap<number, AssembledSource>;
  private readonly prepared = new Map<number, PreparedSource>();

  constructor(sources: readonly AssembledSource[]) {
    this.given = new Map(sources.map((source) => [source.n, source] as const));
  }

  get(n: number): PreparedSource | undefined {
    let entry = this.prepared.get(n);
    if (entry === undefined) {
      const source = this.given.get(n);
      if (source === undefined) return undefined;
      entry = prepare(source);
      this.prepared.set(n, entry);
    }
    return entry;
  }
}

function chunkFields(source: AssembledSource, start: number, end: number): { chunkIds: string[]; page: number | null; pageEnd: number | null; headingPath: string[] } {
  const overlapping = source.chunks.filter((chunk) => chunk.charStart < end && chunk.charEnd > start);
  const holder = source.chunks.find((chunk) => chunk.charStart <= start && start < chunk.charEnd);
  const endHolder = [...source.chunks].reverse().find((chunk) => chunk.charStart < end && end <= chunk.charEnd) ?? holder;
  const page = holder?.page ?? source.page;
  return {
    chunkIds: overlapping.map((chunk) => chunk.chunkId),
    page,
    pageEnd: endHolder?.pageEnd ?? endHolder?.page ?? page,
    headingPath: [...(holder?.headingPath ?? [])],
  };
}

/**
 * Checks a generated answer against the sources it was given. A sentence is
 * kept only when every citation names a given source, every quote occurs in
 * that source (after normalization) and maps to exact document offsets, its
 * content words are covered by the cited text (quote plus the source
 * sentences around it) at the threshold, and every number in it appears
 * there. Kept citations are numbered 1..m in order of first use.
 */
export function verifyAnswer(
  output: GeneratedAnswer,
  sources: readonly AssembledSource[],
  options: VerifyOptions = {},
): VerifiedAnswer {
  if (output.refused) {
    return { sentences: [], citations: [], removed: [], refused: true, refusalReason: output.refusalReason?.trim() || 'refused' };
  }
  const threshold = options.coverageThreshold ?? DEFAULT_COVERAGE_THRESHOLD;
  const prepared = new PreparedSources(sources);
  const sentences: VerifiedSentence[] = [];
  const citations: VerifiedCitation[] = [];
  const removed: RemovedSentence[] = [];
  const numberOf = new Map<string, number>();
  for (const sentence of output.sentences) {
    const text = stripCitationMarkers(sentence.text);
    if (text.length === 0) continue;
    const check = checkSentence(text, sentence.citations, prepared, threshold);
    if (!check.ok) {
      removed.push({ text, reasons: check.reasons, details: check.details });
      continue;
    }
    const numbers: number[] = [];
    for (const { prepared: entry, span } of check.resolved) {
      const { source } = entry;
      const start = source.charStart + span.start;
      const end = source.charStart + span.end;
      const key = `${source.n}:${start}:${end}`;
      let n = numberOf.get(key);
      if (n === undefined) {
        n = citations.length + 1;
        numberOf.set(key, n);
        const quote = source.text.slice(span.start, span.end);
        const { chunkIds, page, pageEnd, headingPath } = chunkFields(source, start, end);
        citations.push({ n, source: source.n, chunkIds, documentId: source.documentId, versionId: source.versionId, title: source.title, page, pageEnd, headingPath, quote, start, end, verified: true });
      }
      if (!numbers.includes(n)) numbers.push(n);
    }
    sentences.push({ text, citations: numbers });
  }
  if (sentences.length === 0) return { sentences, citations, removed, refused: true, refusalReason: 'unsupported' };
  return { sentences, citations, removed, refused: false, refusalReason: null };
}

/** The instruction for the one repair call: what failed, per removed sentence. */
export function describeFailures(removed: readonly RemovedSentence[]): string {
  if (removed.length === 0) return '';
  const lines = removed.map((entry, index) => `${index + 1}. "${shorten(entry.text)}": ${entry.details.join('; ')}.`);
  return [
    'Your previous answer failed citation verification. These sentences were removed:',
    ...lines,
    'Answer again. Cite only the numbered sources given. Copy each quote character for character from the source you cite, and include in it every number the sentence states. State only what the quoted text says, and leave out any sentence you cannot support. If the sources do not contain the answer, refuse; a refusal is a correct answer.',
  ].join('\n');
}
