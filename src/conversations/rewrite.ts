/**
 * The embedded default's follow-up rewrite: deterministic, no model. A follow-up that leans on the previous
 * turn ("and on Windows?", "what about the second one?", "does it need a cable?") is turned into a question
 * that stands alone, by carrying the previous turn's subject into it, so retrieval searches for what the
 * user means. A question that already stands alone is left as it is.
 */

export interface PreviousTurn {
  /** The previous turn's standalone question (itself rewritten if it was a follow-up). */
  standaloneQuestion: string;
}

export interface Rewrite {
  standaloneQuestion: string;
  /** What the rewrite did: `none` (stands alone), `pronoun`, `ellipsis` or `substitution`. */
  kind: 'none' | 'pronoun' | 'ellipsis' | 'substitution';
  /** The previous turn's subject that was carried in, if any. */
  subject?: string;
}

const QUESTION_WORDS = new Set(['what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how']);
const FUNCTION_WORDS = new Set([
  ...QUESTION_WORDS,
  'a', 'an', 'the', 'and', 'or', 'but', 'if', 'then', 'than', 'so', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'with', 'from', 'into', 'onto', 'about', 'as', 'via', 'per', 'over', 'under', 'after', 'before', 'between', 'during', 'without', 'within',
  'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'do', 'does', 'did', 'done', 'doing', 'have', 'has', 'had', 'having', 'can', 'could', 'will', 'would', 'shall', 'should', 'may', 'might', 'must',
  'i', 'me', 'my', 'mine', 'we', 'us', 'our', 'you', 'your', 'it', 'its', 'they', 'them', 'their', 'theirs', 'he', 'him', 'his', 'she', 'her', 'hers', 'this', 'that', 'these', 'those', 'there', 'here',
  'not', 'no', 'yes', 'any', 'some', 'all', 'each', 'every', 'also', 'too', 'very', 'just', 'only', 'please', 'tell', 'know', 'need', 'get', 'make', 'use', 'set', 'find', 'want', 'like', 'one', 'ones',
]);
/** Verbs that start a question's predicate rather than name its subject ("How do I reset the router?"). */
const LEADING_VERBS = new Set(['reset', 'install', 'connect', 'configure', 'update', 'upgrade', 'change', 'enable', 'disable', 'turn', 'add', 'remove', 'delete', 'create', 'open', 'close', 'start', 'stop', 'restart', 'fix', 'setup', 'return', 'cancel', 'buy', 'pay', 'register', 'login', 'log', 'sign', 'contact', 'flash', 'control', 'access']);

const AUXILIARIES = new Set(['do', 'does', 'did', 'can', 'could', 'will', 'would', 'should', 'may', 'might', 'must']);
const SINGULAR_PRONOUNS = /\b(it|this|that)\b/giu;
const PLURAL_PRONOUNS = /\b(they|them|these|those)\b/giu;
const POSSESSIVES = /\b(its|their)\b/giu;
const ELLIPSIS = /^\s*(?:and|or|but)?\s*(?:what|how)\s+about\s+(.+?)\s*\??\s*$|^\s*(?:and|or)\s+(.+?)\s*\??\s*$/iu;
const PREPOSITIONS = new Set(['on', 'in', 'for', 'with', 'at', 'from', 'to', 'under', 'over', 'via', 'during', 'after', 'before', 'without']);

interface Token {
  text: string;
  start: number;
  end: number;
}

function tokens(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’._-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu)].map((match) => ({ text: match[0], start: match.index, end: match.index + match[0].length }));
}

const isContent = (token: Token) => !FUNCTION_WORDS.has(token.text.toLowerCase());
const looksProper = (token: Token) => /^[\p{Lu}\p{N}]/u.test(token.text) || /\p{N}/u.test(token.text);

/**
 * The previous question's subject: its noun phrase as the text says it ("the X200 router", "WLED"). Runs of
 * content words (with the determiners and adjectives inside them) are candidates; one with a proper noun or a
 * model number wins, else the last run (the object: "How do I reset the router?" → "the router").
 */
export function subjectOf(question: string): string | undefined {
  const all = tokens(question);
  const runs: Token[][] = [];
  let run: Token[] = [];
  for (const [index, token] of all.entries()) {
    const lower = token.text.toLowerCase();
    const startsPredicate = run.length === 0 && LEADING_VERBS.has(lower) && index > 0;
    if (isContent(token) && !startsPredicate) run.push(token);
    else {
      if (run.length > 0) runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  if (runs.length === 0) return undefined;
  // "How does the Nimbus speaker charge?": after an auxiliary, the question's last word is its verb.
  const lastRun = runs[runs.length - 1];
  const lastToken = lastRun?.[lastRun.length - 1];
  // Only when the phrase follows the auxiliary directly ("does the Nimbus speaker charge"), not a verb of its own ("do I reset the router").
  const runStart = lastRun?.[0]?.start ?? 0;
  const auxiliary = all.some((token, index) => AUXILIARIES.has(token.text.toLowerCase()) && all.slice(index + 1).filter((next) => next.start < runStart).every((next) => /^(the|a|an)$/iu.test(next.text)));
  if (lastRun && lastToken && lastRun.length > 1 && auxiliary && /^[\s?!.]*$/u.test(question.slice(lastToken.end))) lastRun.pop();
  // The first token of the question is its own capital, not a proper noun.
  const proper = runs.find((candidate) => candidate.some((token) => looksProper(token) && token.start > 0));
  const chosen = proper ? properPhrase(proper) : runs[runs.length - 1];
  if (!chosen) return undefined;
  const first = chosen[0];
  const last = chosen[chosen.length - 1];
  if (!first || !last) return undefined;
  // Keep the article before the phrase ("the router"), as the question said it.
  const before = question.slice(0, first.start);
  const article = /\b(the|a|an)\s+$/iu.exec(before);
  return question.slice(article ? first.start - article[0].length : first.start, last.end);
}

/**
 * The name inside a run of content words: "Beyonce release Dangerously" → "Beyonce"; "X200 router" → "X200
 * router" (a last lowercase word after a name is its head noun, a lowercase word before more names a verb).
 */
function properPhrase(run: Token[]): Token[] {
  const start = run.findIndex((token) => looksProper(token) && token.start > 0);
  let end = start;
  while (end + 1 < run.length && looksProper(run[end + 1] as Token)) end++;
  if (end + 2 === run.length) end++;
  return run.slice(start, end + 1);
}

function withoutQuestionMark(text: string): string {
  return text.trim().replace(/[?？!.]+$/u, '').trim();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function bare(subject: string): string {
  return subject.replace(/^(the|a|an)\s+/iu, '');
}

/** "and on Windows?" after "How do I install WLED on Linux?" → "How do I install WLED on Windows?" */
function resolveEllipsis(previous: string, fragment: string, subject: string | undefined): Rewrite | undefined {
  const base = withoutQuestionMark(previous);
  const words = tokens(fragment);
  const head = words[0]?.text.toLowerCase();
  if (head && PREPOSITIONS.has(head)) {
    // The same kind of phrase in the previous question is the slot the fragment fills.
    const slot = new RegExp(`\\b${head}\\s+[^,;?]+$`, 'iu');
    const replaced = slot.test(base) ? base.replace(slot, fragment.trim()) : `${base} ${fragment.trim()}`;
    return { standaloneQuestion: `${replaced}?`, kind: 'ellipsis', ...(subject ? { subject } : {}) };
  }
  if (!subject) return undefined;
  // "what about the second one?" → the second <subject>; "what about the X300?" → the X300 in the subject's place.
  if (/\bones?\b/iu.test(fragment)) {
    // "the second one" names an item among the subject's: said beside the question it narrows.
    return { standaloneQuestion: `${base}: ${fragment.trim().replace(/\bones?\b/iu, bare(subject))}?`, kind: 'substitution', subject };
  }
  const filler = fragment;
  const index = base.toLowerCase().lastIndexOf(subject.toLowerCase());
  const standalone = index >= 0 ? `${base.slice(0, index)}${filler.trim()}${base.slice(index + subject.length)}` : `${base}: ${filler.trim()}`;
  return { standaloneQuestion: `${capitalize(standalone)}?`, kind: 'substitution', subject };
}

export function rewriteFollowUp(question: string, previous: PreviousTurn | undefined): Rewrite {
  const trimmed = question.trim();
  if (!previous) return { standaloneQuestion: trimmed, kind: 'none' };
  const subject = subjectOf(previous.standaloneQuestion);
  const ellipsis = ELLIPSIS.exec(trimmed);
  const fragment = ellipsis?.[1] ?? ellipsis?.[2];
  // "And what is its password?" is a question of its own with a pronoun, not an ellipsis.
  const fragmentIsQuestion = fragment !== undefined && QUESTION_WORDS.has(tokens(fragment)[0]?.text.toLowerCase() ?? '');
  if (fragment && !fragmentIsQuestion && !/\b(it|its|they|them|their|this|that|these|those)\b/iu.test(fragment)) {
    const resolved = resolveEllipsis(previous.standaloneQuestion, fragment, subject);
    if (resolved) return resolved;
  }
  if (subject && (SINGULAR_PRONOUNS.test(trimmed) || PLURAL_PRONOUNS.test(trimmed) || POSSESSIVES.test(trimmed))) {
    SINGULAR_PRONOUNS.lastIndex = 0;
    PLURAL_PRONOUNS.lastIndex = 0;
    POSSESSIVES.lastIndex = 0;
    const phrase = bare(subject);
    let replaced = false;
    const once = (pattern: RegExp, replacement: (word: string) => string) => (text: string) =>
      text.replace(pattern, (word) => {
        // Only the first reference: "is it safe to leave it on" names the subject once.
        if (replaced) return word;
        replaced = true;
        return replacement(word);
      });
    let standalone = trimmed.replace(/^\s*(and|so|also)\s+/iu, '');
    standalone = once(POSSESSIVES, () => `the ${phrase}'s`)(standalone);
    standalone = once(SINGULAR_PRONOUNS, () => `the ${phrase}`)(standalone);
    standalone = once(PLURAL_PRONOUNS, () => `the ${phrase}`)(standalone);
    // Proper names read without an article ("WLED", not "the WLED").
    if (phrase.split(/\s+/u).every((word) => /^[\p{Lu}\p{N}]/u.test(word))) standalone = standalone.replace(new RegExp(`\\bthe (${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'u'), '$1');
    return { standaloneQuestion: capitalize(standalone), kind: 'pronoun', subject };
  }
  return { standaloneQuestion: trimmed, kind: 'none' };
}
