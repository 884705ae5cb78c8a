import { analyzeQuery } from '../../indexes/analyzer';
import { isCommonWord } from './common-words';
import { QUESTION_TERMS } from './relevance';

/**
 * The answerability gate's pure core: before any generator (local or provider) runs, a question is refused
 * when the documents never mention what it asks about, or when even the best retrieved passage is not
 * relevant enough. The I/O (term statistics from the lexical index, relevance from the scorer) is the
 * caller's; this module decides and explains.
 */

/** Words a support question is phrased with that say nothing about its topic. Compared after analysis. */
const GENERIC_TERMS: ReadonlySet<string> = new Set(
  analyzeQuery(
    [
      'i me my mine myself we us our you your yours he she him her his its they them',
      'can could would should shall may might must will do does did done doing',
      'get gets got getting make makes made use used using need needs want wants like',
      'tell explain describe know show find way ways thing things something anything everything',
      'please help possible able about any some all one also just still there here other',
      'work works working happen happens mean means say says said go goes going see',
      'one two first new good best right long often far old big',
    ].join(' '),
  ),
);

export interface ContentTerm {
  /** The analyzed term the index holds. */
  term: string;
  /** The word of the question it came from (what a refusal names). */
  word: string;
  /** Analyzed variants also looked up: a missing "brighter" is present as "bright". */
  variants: string[];
}

/** Suffixes Porter keeps that a reader would not: "brighter" / "brightness", "colours" / "colour". */
const DERIVATIONAL = [/(?:i)?ness$/u, /(?:i)?er$/u, /(?:i)?est$/u, /ly$/u, /ing$/u, /ed$/u, /ers$/u, /able$/u, /ment$/u, /s$/u];

/** Irregular forms a stemmer cannot join: a question's "eat" is the stories' "ate". */
const IRREGULAR: readonly (readonly string[])[] = [
  ['eat', 'ate', 'eaten'], ['buy', 'bought'], ['pay', 'paid'], ['send', 'sent'], ['get', 'got', 'gotten'], ['go', 'went', 'gone'],
  ['give', 'gave', 'given'], ['take', 'took', 'taken'], ['write', 'wrote', 'written'], ['break', 'broke', 'broken'],
  ['lose', 'lost'], ['find', 'found'], ['build', 'built'], ['begin', 'began', 'begun'], ['run', 'ran'], ['see', 'saw', 'seen'],
  ['leave', 'left'], ['hold', 'held'], ['sell', 'sold'], ['tell', 'told'], ['think', 'thought'], ['bring', 'brought'],
  ['choose', 'chose', 'chosen'], ['drive', 'drove', 'driven'], ['fall', 'fell', 'fallen'], ['feel', 'felt'], ['fly', 'flew', 'flown'],
  ['forget', 'forgot', 'forgotten'], ['freeze', 'froze', 'frozen'], ['grow', 'grew', 'grown'], ['know', 'knew', 'known'],
  ['lead', 'led'], ['meet', 'met'], ['rise', 'rose', 'risen'], ['shake', 'shook', 'shaken'], ['sing', 'sang', 'sung'],
  ['speak', 'spoke', 'spoken'], ['steal', 'stole', 'stolen'], ['swim', 'swam', 'swum'], ['teach', 'taught'], ['wear', 'wore', 'worn'],
  ['win', 'won'], ['catch', 'caught'], ['fight', 'fought'], ['sleep', 'slept'], ['keep', 'kept'], ['spend', 'spent'], ['mouse', 'mice'],
  ['child', 'children'], ['man', 'men'], ['woman', 'women'], ['foot', 'feet'], ['tooth', 'teeth'], ['person', 'people'],
];
const IRREGULAR_FORMS = new Map(IRREGULAR.flatMap((forms) => forms.map((form) => [form, forms] as const)));

function variantsOf(word: string, term: string): string[] {
  const out = new Set<string>();
  for (const form of IRREGULAR_FORMS.get(word) ?? []) for (const analyzed of analyzeQuery(form)) if (analyzed !== term) out.add(analyzed);
  for (const suffix of DERIVATIONAL) {
    if (!suffix.test(word)) continue;
    const base = word.replace(suffix, (match) => (match.startsWith('i') ? 'y' : ''));
    if (base.length < 3) continue;
    for (const analyzed of analyzeQuery(base)) if (analyzed !== term) out.add(analyzed);
  }
  return [...out];
}

/**
 * The question's content terms: analyzed (stopwords out, stemmed), question words and generic phrasing out,
 * each remembered with the word it came from. "Who ate the porridge?" → ate, porridge.
 */
export function contentTerms(question: string): ContentTerm[] {
  const seen = new Set<string>();
  const out: ContentTerm[] = [];
  for (const word of question.normalize('NFKC').match(/[\p{L}\p{N}][\p{L}\p{N}._\-/:@&'’]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu) ?? []) {
    for (const term of analyzeQuery(word)) {
      if (seen.has(term) || QUESTION_TERMS.has(term) || GENERIC_TERMS.has(term)) continue;
      seen.add(term);
      out.push({ term, word, variants: variantsOf(word.toLowerCase(), term) });
    }
  }
  return out;
}

/** What the lexical index knows of some terms in the build a question was answered from. */
export interface TermStatistics {
  /** Chunks in the build. */
  documents: number;
  /** Chunks holding each term (0 or absent: never). */
  frequencies: ReadonlyMap<string, number>;
}

export type GateReason = 'absent_terms' | 'low_relevance';

export interface GateOptions {
  /** Refuse when the missing terms carry at least this share of the question's IDF weight. */
  missingWeightShare: number;
  /** Best passage relevance under this (on the scorer's scale): refuse. */
  relevanceFloor: number;
}

export const DEFAULT_GATE_OPTIONS: GateOptions = { missingWeightShare: 0.5, relevanceFloor: Number.NEGATIVE_INFINITY };

export interface GateDecision {
  answerable: boolean;
  reason: GateReason | null;
  /** For the agent: "The documents never mention 'porridge'." */
  message: string | null;
  /** The words of the question the documents never mention. */
  missing: string[];
  /** Scores for the trace: no question text (only per-term statistics). */
  scores: {
    contentTerms: number;
    /** common: an everyday word the documents do not use, weighed as phrasing (see common-words.ts). */
    terms: { df: number; idf: number; common?: boolean }[];
    missingWeightShare: number;
    bestRelevance: number | null;
    relevanceFloor: number;
    scorer: string | null;
  };
}

function idf(documents: number, df: number): number {
  return Math.log(1 + (documents - df + 0.5) / (df + 0.5));
}

function quoteList(words: readonly string[]): string {
  const quoted = words.map((word) => `'${word}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** Every term (and variant) the term check needs statistics for. */
export function termsToLookUp(terms: readonly ContentTerm[]): string[] {
  return [...new Set(terms.flatMap((entry) => [entry.term, ...entry.variants]))];
}

/**
 * The decision. A term is missing when neither it nor a variant occurs in any chunk. Refused:
 * - when every content term is missing, or the missing ones carry at least `missingWeightShare` of the
 *   question's weight (BM25's IDF; a missing term's at df 0): a question about
 *   porridge is not answered from passages about eating, while one unknown word among several common
 *   ones ("how do I make the lights brighter") is left to the relevance check;
 * - when the best passage's relevance is under the scorer's floor.
 * A question with no content terms at all ("what is this?") is left to retrieval and the generator.
 */
export function decideAnswerability(
  terms: readonly ContentTerm[],
  statistics: TermStatistics | undefined,
  relevance: { best: number | null; scorer: string | null },
  options: GateOptions = DEFAULT_GATE_OPTIONS,
): GateDecision {
  const documents = statistics?.documents ?? 0;
  const dfOf = (entry: ContentTerm) => Math.max(...[entry.term, ...entry.variants].map((term) => statistics?.frequencies.get(term) ?? 0));
  const measured = terms.map((entry) => {
    const df = dfOf(entry);
    // A missing term weighs what BM25 gives df 0: rarer than anything the corpus holds. It is what the
    // question is about that the documents lack ("refund" in "the refund policy for the X200").
    return { entry, df, idf: idf(documents, df) };
  });
  // An empty build says nothing about words: retrieval's own refusal (no sources) speaks for it.
  const missingItems = statistics && documents > 0 ? measured.filter((item) => item.df === 0) : [];
  // An everyday word the documents do not use ("how long does the warranty *last*") is phrasing, not topic:
  // it neither refuses nor dilutes the weight of a missing topic word. Left to the relevance check.
  const phrasing = new Set(missingItems.filter((item) => isCommonWord(item.entry.word)));
  const weighed = measured.filter((item) => !phrasing.has(item));
  const totalWeight = weighed.reduce((sum, item) => sum + item.idf, 0);
  const topicMissing = missingItems.filter((item) => !phrasing.has(item));
  const missingWeight = topicMissing.reduce((sum, item) => sum + item.idf, 0);
  const share = totalWeight > 0 ? missingWeight / totalWeight : 0;
  const allMissing = missingItems.length > 0 && missingItems.length === measured.length;
  const missing = (allMissing ? missingItems : topicMissing).map((item) => item.entry.word);
  const scores = {
    contentTerms: terms.length,
    terms: measured.map((item) => ({ df: item.df, idf: Math.round(item.idf * 1000) / 1000, ...(phrasing.has(item) ? { common: true } : {}) })),
    missingWeightShare: Math.round(share * 1000) / 1000,
    bestRelevance: relevance.best,
    relevanceFloor: options.relevanceFloor,
    scorer: relevance.scorer,
  };
  if (allMissing || (topicMissing.length > 0 && share >= options.missingWeightShare)) {
    return { answerable: false, reason: 'absent_terms', message: `The documents never mention ${quoteList(missing)}.`, missing, scores };
  }
  if (relevance.best !== null && relevance.best < options.relevanceFloor) {
    return {
      answerable: false,
      reason: 'low_relevance',
      message: 'No passage in the documents answers this question: the closest ones are about something else.',
      missing,
      scores,
    };
  }
  return { answerable: true, reason: null, message: null, missing, scores };
}
