import { stemmer } from 'stemmer';

/**
 * The one text analyzer shared by indexing and querying (BM25 postings, the
 * local hashing embedder, the local reranker). Anything that changes the terms
 * it emits must bump ANALYZER_VERSION: stored postings are only comparable with
 * queries analyzed by the same version, and index builds record it.
 *
 * Pipeline, modelled on Lucene's EnglishAnalyzer (what Anserini's BEIR BM25
 * baselines use) so our BM25 lands near published figures:
 *   NFKC → lowercase → tokenize → strip possessive `'s` → stopwords (Lucene's
 *   33-word English set) → Porter stemming.
 *
 * Where we deliberately differ from Lucene:
 * - Identifiers are kept whole. A token is a run of letters/digits/marks,
 *   optionally joined by single internal punctuation (`. - _ / : @ & '`, and
 *   `,` between digits). A token is an identifier when it contains a digit or
 *   one of `_ . : @ &`; it is emitted as one exact term (lowercased, never
 *   stemmed), so `v2.3.1`, `E-1234`, `SKU_99-A`, `10.5`, `foo_bar`,
 *   `192.168.0.1` and `p53` match exactly.
 * - Joined identifiers ALSO emit their parts (split on the joiners), each
 *   analyzed like an ordinary token, right after the whole term. Reason: a
 *   query for `IL-6` or `sku_99-a` matches the exact form best (whole and parts
 *   both match), while `IL 6` or a partial query `SKU 99` still finds it
 *   through the parts. Pure numbers with separators (`10.5`, `1,000`) are not
 *   split: `10` is not a part of `10.5` in any useful sense.
 * - Prose compounds joined only by `-`, `/` or `'` with no digit
 *   (`state-of-the-art`, `and/or`, `TNF-α`) emit only their parts, as Lucene
 *   does: keeping them whole as well cost 0.004 nDCG@10 on SciFact, because
 *   the extra term over-rewards one spelling of an ordinary word.
 * - CJK (Han, Hiragana, Katakana, Hangul) has no spaces, so runs of those
 *   scripts are emitted as overlapping character bigrams (a lone character
 *   as itself), as Lucene's CJKBigramFilter does.
 */
export const ANALYZER_VERSION = 'en-porter-v1';

/** Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET (also Anserini's default). */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it',
  'no', 'not', 'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they',
  'this', 'to', 'was', 'will', 'with',
]);

const WORD = String.raw`[\p{L}\p{N}\p{M}]`;
const JOINER = String.raw`(?:[._\-/:@&'\u2019]|(?<=\p{N}),(?=\p{N}))`;
const TOKEN_PATTERN = new RegExp(`${WORD}+(?:${JOINER}${WORD}+)*`, 'gu');
const JOINER_SPLIT = /[._\-/:@&'\u2019,]+/u;
const CJK_CHAR = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}`;
const HAS_CJK = new RegExp(`[${CJK_CHAR}]`, 'u');
const CJK_SPLIT = new RegExp(`([${CJK_CHAR}]+)`, 'u');
const CJK_RUN = new RegExp(`^[${CJK_CHAR}]+$`, 'u');
const HAS_DIGIT = /\p{N}/u;
const HAS_JOINER = /[._\-/:@&'\u2019,]/u;
const IDENTIFIER_JOINER = /[_.:@&]/u;
const NUMBER_WITH_SEPARATORS = /^\p{N}+(?:[.,]\p{N}+)+$/u;
const POSSESSIVE = /['\u2019]s$/u;
const ASCII_WORD = /^[a-z]+$/;

function stem(word: string): string {
  // The Porter algorithm is defined over ASCII English; leave everything else intact.
  if (word.length < 3 || !ASCII_WORD.test(word)) return word;
  return stemmer(word);
}

/** A token without joiners: stopword + stem if it is a word, exact if it has digits. */
function emitSimple(token: string, out: string[]): void {
  if (token.length === 0) return;
  if (HAS_DIGIT.test(token)) {
    out.push(token);
    return;
  }
  if (ENGLISH_STOPWORDS.has(token)) return;
  out.push(stem(token));
}

function emitCjkBigrams(run: string, out: string[]): void {
  const chars = Array.from(run);
  if (chars.length === 1) {
    out.push(run);
    return;
  }
  for (let index = 0; index + 1 < chars.length; index++) out.push(`${chars[index]}${chars[index + 1]}`);
}

function emitToken(rawToken: string, out: string[]): void {
  const token = rawToken.replace(POSSESSIVE, '');
  if (token.length === 0) return;
  if (!HAS_JOINER.test(token)) {
    emitSimple(token, out);
    return;
  }
  if (HAS_DIGIT.test(token) || IDENTIFIER_JOINER.test(token)) out.push(token);
  if (NUMBER_WITH_SEPARATORS.test(token)) return;
  for (const part of token.split(JOINER_SPLIT)) emitSimple(part, out);
}

/** Splits a token that mixes CJK with other scripts into CJK runs and the rest. */
function emitMixed(token: string, out: string[]): void {
  for (const piece of token.split(CJK_SPLIT)) {
    if (piece.length === 0) continue;
    if (CJK_RUN.test(piece)) {
      emitCjkBigrams(piece, out);
      continue;
    }
    // A piece may now start or end with a joiner that sat next to CJK text.
    const trimmed = piece.replace(/^[^\p{L}\p{N}\p{M}]+|[^\p{L}\p{N}\p{M}]+$/gu, '');
    if (trimmed.length > 0) emitToken(trimmed, out);
  }
}

/**
 * The terms a token emits, by token. Tokens repeat far more than they vary (a 3,000-abstract SciFact sample:
 * 604K tokens, 36K distinct), and each fresh one costs several regular-expression tests and a stem:
 * analysing those abstracts took 265 ms, 138 ms with this cache.
 */
const TOKEN_CACHE_LIMIT = 200_000;
const tokenCache = new Map<string, string | readonly string[]>();
const NO_TERMS: readonly string[] = [];

function termsOf(token: string, remember: boolean): string | readonly string[] {
  const cached = tokenCache.get(token);
  if (cached !== undefined) return cached;
  const out: string[] = [];
  if (HAS_CJK.test(token)) emitMixed(token, out);
  else emitToken(token, out);
  const terms = out.length === 1 ? out[0]! : out.length === 0 ? NO_TERMS : out;
  if (!remember) return terms;
  if (tokenCache.size >= TOKEN_CACHE_LIMIT) tokenCache.clear();
  tokenCache.set(token, terms);
  return terms;
}

/** Analyzed terms in text order, duplicates kept (positions matter for proximity). */
export function analyze(text: string): string[] {
  return analyzeTokens(text, true);
}

/**
 * Texts indexing analyzed lately, with their terms. Indexing analyzes each chunk twice, for its BM25 postings and
 * then for the local embedder, and the second is a lookup here (the chunk's own string, so its hash is already
 * computed): 705 chunks of five PDFs, ~45 ms of ~95 ms analysis. Bounded like the token cache, and small: it
 * only has to span one document's chunks between the two uses.
 */
const RECENT_TEXTS_LIMIT = 1024;
const recentTexts = new Map<string, readonly string[]>();

/** analyze() for a document's text, shared between the indexes that analyze the same text. Read-only. */
export function analyzeForIndex(text: string): readonly string[] {
  const remembered = recentTexts.get(text);
  if (remembered) return remembered;
  const terms = analyzeTokens(text, true);
  if (recentTexts.size >= RECENT_TEXTS_LIMIT) recentTexts.clear();
  recentTexts.set(text, terms);
  return terms;
}

/**
 * Terms of a titled chunk: the title's, then the text's, the same terms as analyze(`${title}\n${text}`) (no token
 * spans a line break, and NFKC and lower-casing do not act across one), with the text's analysis shared.
 */
export function analyzeTitled(title: string | undefined, text: string): readonly string[] {
  const body = analyzeForIndex(text);
  if (!title) return body;
  const heading = analyzeForIndex(title);
  return heading.length === 0 ? body : [...heading, ...body];
}

/**
 * analyze() for a question: the same terms, but a token the cache lacks is not added. Documents' tokens repeat;
 * a question's own (an order number, a ticket id, a typo) mostly never come back, and a long-running API process
 * would otherwise keep every one until the cache is full: ~275 bytes per question
 * (npm run bench -- soak: the heap kept after full GCs grew 1.3 MB/min at 49 answers/s).
 */
export function analyzeQuery(text: string): string[] {
  return analyzeTokens(text, false);
}

function analyzeTokens(text: string, remember: boolean): string[] {
  const normalized = text.normalize('NFKC').toLowerCase();
  const out: string[] = [];
  // match() with /g gives the tokens alone: no match object (index, input, groups) per token.
  for (const token of normalized.match(TOKEN_PATTERN) ?? []) {
    const terms = termsOf(token, remember);
    if (typeof terms === 'string') out.push(terms);
    else for (const term of terms) out.push(term);
  }
  return out;
}

export function termFrequencies(terms: readonly string[]): Map<string, number> {
  const frequencies = new Map<string, number>();
  for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
  return frequencies;
}

/** Tokens the analyzer remembers (for tests of what a question leaves behind). */
export function analyzerCacheSize(): number {
  return tokenCache.size;
}
