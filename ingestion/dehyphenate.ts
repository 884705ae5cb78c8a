/**
 * Joins the lines of one block, undoing end-of-line hyphenation ("infor-\nmation"
 * → "information") only when it is clearly typesetting: the next line goes on in
 * lower case and the pieces do not look like a real compound ("self-\ncontained",
 * "trace-\nbased", "state-of-the-\nart" keep their hyphen).
 */

// First pieces that usually form real compounds and are rarely a typesetter's syllable
// break (unlike "pro-", "so-", "ex-", "multi-": pro-gram, so-cial, ex-ample, multi-ple).
const COMPOUND_FIRST = new Set([
  'all', 'anti', 'cross', 'e', 'full', 'half', 'high', 'long', 'low', 'near', 'non', 'off', 'one', 'open',
  'right', 'second', 'self', 'semi', 'short', 'three', 'two', 'well', 'x',
]);

// Second pieces that usually form real compounds (and are not the tail of a prefixed word,
// unlike "in-dependent", "un-known", "un-like").
const COMPOUND_SECOND = new Set([
  'aware', 'based', 'centric', 'driven', 'free', 'friendly', 'level', 'oriented', 'related', 'safe', 'scale',
  'specific', 'style', 'wide',
]);

const HYPHENS = '-\u2010\u2011';
const HYPHEN_CLASS = '\\-\\u2010\\u2011';
const BROKEN_WORD = new RegExp(`(?:^|[^\\p{L}${HYPHEN_CLASS}])([\\p{L}${HYPHEN_CLASS}]*?)(\\p{L}+)[${HYPHEN_CLASS}]$`, 'u');
const NEXT_WORD = /^(\p{L}+)/u;

function keepsHyphen(leftWord: string, leftHasHyphen: boolean, rightWord: string): boolean {
  if (leftHasHyphen) return true;
  return COMPOUND_FIRST.has(leftWord.toLowerCase()) || COMPOUND_SECOND.has(rightWord.toLowerCase());
}

/** How to glue `line` to `next`: drop the hyphen, keep it without a space, or a plain space. */
function joinAfter(line: string, next: string): { cut: number; glue: string } {
  const last = line[line.length - 1];
  if (last === '\u00AD') return { cut: 1, glue: '' }; // a soft hyphen is by definition a typesetting break
  if (last === undefined) return { cut: 0, glue: ' ' };
  // An unspaced dash at a line end ("protected—" / "by") is closed up, as it was set.
  if ((last === '—' || last === '–') && /\S/u.test(line[line.length - 2] ?? ' ')) return { cut: 0, glue: '' };
  if (!HYPHENS.includes(last)) return { cut: 0, glue: ' ' };
  // Only the last word can match (the pattern holds no space after its first character), and an unanchored
  // pattern tried at every position of a long line was most of this function's time.
  const broken = BROKEN_WORD.exec(line.slice(Math.max(0, line.lastIndexOf(' '))));
  if (!broken) return { cut: 0, glue: ' ' }; // a dash standing alone, not a broken word
  const nextWord = NEXT_WORD.exec(next)?.[1];
  const first = nextWord?.[0];
  const startsLower = first !== undefined && first !== first.toUpperCase();
  const leftHasHyphen = (broken[1] ?? '').length > 0;
  if (startsLower && !keepsHyphen(broken[2] ?? '', leftHasHyphen, nextWord ?? '')) return { cut: 1, glue: '' };
  return { cut: 0, glue: '' };
}

export function joinLines(lines: readonly string[]): string {
  let joined = '';
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!.trim();
    const next = lines[index + 1]?.trim();
    if (next === undefined) {
      joined += line;
      break;
    }
    if (line.length === 0) continue;
    const { cut, glue } = joinAfter(line, next);
    joined += line.slice(0, line.length - cut) + glue;
  }
  return joined;
}
