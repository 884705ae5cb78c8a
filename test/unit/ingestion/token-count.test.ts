import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countTokensLinear, MAX_RUN_CHARS } from '../../../ingestion/token-count';
import { countTokens } from '../../../src/core/tokens';

const SCIFACT = join(import.meta.dirname, '../../../../shared/datasets/scifact/corpus.jsonl');

// Reference counts from js-tiktoken 1.0.21's cl100k_base (the tokenizer this one replaced): stored chunk
// token counts and context budgets must not move with the library.
const REFERENCE: [string, number][] = [
  ['hello world', 2],
  ['tiktoken is great!', 6],
  ['Héllo, wörld! 12345 — naïve café ☕', 17],
  ['日本語のテキストとEnglish mixed 2024年', 15],
];

function scifact(count: number): string[] {
  return readFileSync(SCIFACT, 'utf8')
    .trim()
    .split('\n')
    .slice(0, count)
    .map((line) => JSON.parse(line) as { title: string; text: string })
    .map((doc) => `${doc.title}\n\n${doc.text}`);
}

describe('cl100k token counts', () => {
  it('match the reference counts, string by string and over 200 SciFact abstracts (63,554 tokens)', () => {
    for (const [text, tokens] of REFERENCE) expect(countTokens(text), text).toBe(tokens);
    const docs = scifact(200);
    expect(docs.reduce((sum, doc) => sum + countTokens(doc), 0)).toBe(63_554);
  });

  it("the chunker's linear count equals the whole-text count on prose", () => {
    for (const doc of scifact(200)) expect(countTokensLinear(doc)).toBe(countTokens(doc));
    for (const [text, tokens] of REFERENCE) expect(countTokensLinear(text), text).toBe(tokens);
  });

  it('counts special-token text as ordinary characters in documents, where the encoder refuses it', () => {
    const text = 'before <|endoftext|> after';
    expect(() => countTokens(text)).toThrow();
    expect(countTokensLinear(text)).toBe(countTokens('before <|') + countTokens('endoftext') + countTokens('|> after'));
  });

  it('counts a run longer than MAX_RUN_CHARS in slices: at most one token more per slice boundary', () => {
    const run = '漢字'.repeat(800);
    const slices = Math.ceil(run.length / MAX_RUN_CHARS);
    const linear = countTokensLinear(run);
    expect(linear).toBeGreaterThanOrEqual(countTokens(run));
    expect(linear).toBeLessThanOrEqual(countTokens(run) + slices - 1);
  });
});
