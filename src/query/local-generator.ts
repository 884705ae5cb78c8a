import { analyze } from '../../indexes/analyzer';
import { countTextTokens } from './tokens';
import type { GeneratedAnswer, GenerationRequest, GenerationResult, GenerationSource, Generator } from '../core/providers/ports';
import { passageUnits, type PassageUnit } from './passage-units';
import { floorsFor, LexicalRelevanceScorer, questionTerms, type RelevanceScorer } from './relevance';
import { normalizeForMatch, numberTokens } from './text-match';

/**
 * The extractive answerer: the embedded default and the degraded fallback. It answers with the passage that
 * answers, quoted verbatim: every quotable unit of the sources (a sentence, a list with its lead-in, a
 * table; never a heading) and every pair of neighbouring sentences is scored by the relevance scorer
 * against the question, the best one is kept with the sentence after it when that one qualifies it (a
 * number beside a number, "In the EU, …", "It …"), and below the scorer's floor it refuses. It reads
 * `request.sources` only; text inside a source is scored like any other text and never obeyed.
 */
export interface LocalExtractiveGeneratorOptions {
  /** Scores (question, passage) pairs; default the lexical stand-in. */
  scorer?: RelevanceScorer;
  /** Best passage under this (on the scorer's scale): refuse. Default: the scorer's calibrated floor. */
  minRelevance?: number;
  /** At most this many passages in an answer. */
  maxSentences?: number;
  /** Further passages must reach this share of the best passage's score. */
  relativeSupport?: number;
}

export const DEFAULT_MAX_SENTENCES = 2;
export const DEFAULT_RELATIVE_SUPPORT = 0.9;
export const LOCAL_REFUSAL_REASON = 'insufficient_support';
/** A pair of sentences is chosen over its better half only when it scores this much more. */
const PAIR_MARGIN = 0.05;
/** A sentence that qualifies or continues the one before it. */
const QUALIFIER = /^(?:it|its|this|that|these|those|they|however|but|except|unless|only|otherwise|also|in the|in a|if|without|billed|note|excluding|including)\b/iu;

export interface Window {
  source: GenerationSource;
  sourceIndex: number;
  units: PassageUnit[];
  start: number;
  end: number;
}

export interface ScoredPassage {
  source: number;
  quote: string;
  score: number;
}

export function windowsOf(sources: readonly GenerationSource[]): { windows: Window[]; unitsBySource: PassageUnit[][] } {
  const windows: Window[] = [];
  const unitsBySource = sources.map((source) => passageUnits(source.text));
  sources.forEach((source, sourceIndex) => {
    const units = unitsBySource[sourceIndex] ?? [];
    units.forEach((unit, index) => {
      windows.push({ source, sourceIndex, units: [unit], start: unit.span.start, end: unit.span.end });
      const next = units[index + 1];
      if (next && unit.kind === 'sentence' && next.kind === 'sentence' && next.block === unit.block) {
        windows.push({ source, sourceIndex, units: [unit, next], start: unit.span.start, end: next.span.end });
      }
    });
  });
  return { windows, unitsBySource };
}

/** What the scorer reads: the unit under its heading ("Refunds" over "You have 30 days"). */
export function scoringText(window: Window): string {
  const quote = window.source.text.slice(window.start, window.end);
  const heading = window.units[0]?.heading;
  return heading ? `${heading}\n${quote}` : quote;
}

/**
 * Each window's scoringText analysed, each unit and heading analysed once: a pair's terms are its two units'
 * when only white space lies between them (no token spans white space, and NFKC and lower-casing do not act
 * across it), and a heading's terms come first, as across the line break of scoringText. Otherwise the window's
 * text is analysed whole. Scoring every sentence alone and in each pair analysed most text three times: 4.3 s of
 * the event loop's 30.5 busy seconds while a PDF ingested and questions streamed (--cpu-prof).
 */
export function windowTerms(windows: readonly Window[]): (readonly string[])[] {
  const analysed = new Map<PassageUnit | string, readonly string[]>();
  const once = (key: PassageUnit | string, text: () => string) => {
    let terms = analysed.get(key);
    if (terms === undefined) analysed.set(key, (terms = analyze(text())));
    return terms;
  };
  return windows.map((window) => {
    const { text } = window.source;
    const unitTerms = (unit: PassageUnit) => once(unit, () => text.slice(unit.span.start, unit.span.end));
    const [first, second] = window.units;
    const heading = first?.heading;
    const headingTerms = heading ? once(heading, () => heading) : [];
    let body: readonly string[];
    if (first && !second) body = unitTerms(first);
    else if (first && second && /^\s*$/u.test(text.slice(first.span.end, second.span.start))) body = [...unitTerms(first), ...unitTerms(second)];
    else body = analyze(text.slice(window.start, window.end));
    return headingTerms.length === 0 ? body : [...headingTerms, ...body];
  });
}

async function scoreWindows(question: string, windows: readonly Window[], scorer: RelevanceScorer, signal?: AbortSignal): Promise<number[]> {
  if (scorer.scoreAnalyzed) return scorer.scoreAnalyzed(question, windowTerms(windows));
  return scorer.score(question, windows.map(scoringText), signal ? { signal } : {});
}

/** The chosen passage, with the sentence after it when that one qualifies it or carries the other figure of a pair. */
function extend(window: Window, units: readonly PassageUnit[]): Window {
  const last = window.units.at(-1);
  if (last?.kind !== 'sentence') return window;
  const next = units[units.indexOf(last) + 1];
  if (!next || next.kind !== 'sentence' || next.block !== last.block) return window;
  const text = window.source.text;
  const nextText = text.slice(next.span.start, next.span.end);
  const lastText = text.slice(last.span.start, last.span.end);
  // The other figure of the same thing: both state a number, and they share a word ("Premium costs").
  const shared = new Set(analyze(lastText).filter((term) => !/\d/u.test(term)));
  const otherFigure = numberTokens(lastText).size > 0 && numberTokens(nextText).size > 0 && analyze(nextText).some((term) => shared.has(term));
  if (!otherFigure && !QUALIFIER.test(nextText)) return window;
  return { ...window, units: [...window.units, next], end: next.span.end };
}

const overlaps = (a: Window, b: Window) => a.source === b.source && a.start < b.end && b.start < a.end;

/** Every window scored, best first (for tests and calibration). */
export async function scorePassages(question: string, sources: readonly GenerationSource[], scorer: RelevanceScorer = new LexicalRelevanceScorer()): Promise<ScoredPassage[]> {
  const { windows } = windowsOf(sources);
  const scores = await scoreWindows(question, windows, scorer);
  return windows
    .map((window, index) => ({ source: window.source.n, quote: window.source.text.slice(window.start, window.end), score: scores[index] ?? 0 }))
    .sort((a, b) => b.score - a.score);
}

/** The deterministic answer: the passage that answers (and up to one more as good), or a refusal. */
export async function extractAnswer(
  question: string,
  sources: readonly GenerationSource[],
  options: LocalExtractiveGeneratorOptions = {},
  signal?: AbortSignal,
): Promise<GeneratedAnswer> {
  const refusal: GeneratedAnswer = { refused: true, refusalReason: LOCAL_REFUSAL_REASON, sentences: [] };
  const scorer = options.scorer ?? new LexicalRelevanceScorer();
  const floor = options.minRelevance ?? floorsFor(scorer).extractive;
  if (questionTerms(question).length === 0) return refusal;
  const { windows, unitsBySource } = windowsOf(sources);
  if (windows.length === 0) return refusal;
  const scores = await scoreWindows(question, windows, scorer, signal);
  const ranked = windows
    .map((window, index) => ({ window, score: scores[index] ?? Number.NEGATIVE_INFINITY }))
    // A longer window must earn its length; ties go to the earlier (better retrieved) source.
    .map((entry) => ({ ...entry, rank: entry.score - PAIR_MARGIN * (entry.window.units.length - 1) - 1e-6 * entry.window.sourceIndex }))
    .sort((a, b) => b.rank - a.rank);
  const best = ranked[0];
  if (best === undefined || !(best.score >= floor) || best.score <= 0) return refusal;
  const chosen: Window[] = [];
  const seen = new Set<string>();
  const maxPassages = Math.max(1, options.maxSentences ?? DEFAULT_MAX_SENTENCES);
  const relative = options.relativeSupport ?? DEFAULT_RELATIVE_SUPPORT;
  for (const entry of ranked) {
    if (chosen.length >= maxPassages) break;
    if (entry.score < Math.max(floor, relative * best.score)) continue;
    const window = extend(entry.window, unitsBySource[entry.window.sourceIndex] ?? []);
    if (chosen.some((other) => overlaps(other, window))) continue;
    const key = normalizeForMatch(window.source.text.slice(window.start, window.end));
    if (seen.has(key)) continue;
    seen.add(key);
    chosen.push(window);
  }
  return {
    refused: false,
    sentences: chosen.map((window) => {
      const quote = window.source.text.slice(window.start, window.end);
      return { text: quote.replace(/\s+/gu, ' ').trim(), citations: [{ source: window.source.n, quote }] };
    }),
  };
}

export class LocalExtractiveGenerator implements Generator {
  readonly provider = 'local';
  readonly modelId = 'local-extractive-v2';

  constructor(private readonly options: LocalExtractiveGeneratorOptions = {}) {}

  async generate(request: GenerationRequest): Promise<GenerationResult> {
    request.signal?.throwIfAborted();
    const output = await extractAnswer(request.question, request.sources, this.options, request.signal);
    const texts = output.sentences.map((sentence) => sentence.text);
    texts.forEach((text, index) => {
      request.signal?.throwIfAborted();
      request.onDelta?.(index === 0 ? text : ` ${text}`);
    });
    // The assembler has counted the prompt; counting it again took ~2 ms of the event loop per answer (12,000
    // characters of sources; 3.4 s of the main thread's 30.5 busy seconds while a PDF ingested, --cpu-prof).
    const inputTokens =
      request.inputTokens ??
      countTextTokens(
        request.messages
          .filter((message) => message.role === 'user')
          .map((message) => message.content)
          .join('\n'),
      );
    return {
      output,
      usage: { inputTokens, outputTokens: countTextTokens(texts.join(' ')), cachedTokens: 0 },
      provider: this.provider,
      model: this.modelId,
    };
  }
}
