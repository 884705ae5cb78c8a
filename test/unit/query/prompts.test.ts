import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countTokens } from '../../../src/core/tokens';
import { CURRENT_PROMPT_ID, loadPrompt, parsePrompt } from '../../../src/query/prompts';
import { systemText } from '../../../src/query/prompts/render';
import { numberTokens } from '../../../src/query/text-match';

/**
 * The recorded hash of answer-v1. Traces and caches key on it: if this test
 * fails, the prompt was edited in place. Add answer-v2.md instead.
 */
const ANSWER_V1_HASH = '8bd485c80db22b37';

/** The recorded hash of answer-v2 (policy plus worked examples: the cacheable prefix). */
const ANSWER_V2_HASH = '7b07f8f7492a52bb';
const TENANT = '3f0c1a52-9d7e-4b8a-a1c6-5e2f7d9b0c41';

describe('prompts', () => {
  it('loads the current prompt with a stable, recorded content hash; answer-v1 is unchanged', () => {
    const prompt = loadPrompt(CURRENT_PROMPT_ID);
    const file = readFileSync(new URL('../../../src/query/prompts/answer-v2.md', import.meta.url));
    expect(prompt.id).toBe('answer-v2');
    expect(prompt.hash).toBe(createHash('sha256').update(file).digest('hex').slice(0, 16));
    expect(prompt.hash).toBe(ANSWER_V2_HASH);
    expect(prompt.version).toBe(`answer-v2@${ANSWER_V2_HASH}`);
    expect(loadPrompt('answer-v2')).toBe(prompt);
    expect(loadPrompt('answer-v1').hash).toBe(ANSWER_V1_HASH);
  });

  it("the current system message is a prefix worth caching: above every default model's minimum (answer-v1 was below all)", () => {
    // Minimums: OpenAI 1,024 tokens; Claude Sonnet 4.5 1,024, Sonnet 4.6 2,048 (the default ANTHROPIC_MODEL), counted
    // here without the answer tool's definition, which the tool mode adds to the prefix. Haiku 4.5 and Opus 4.5/4.6
    // need 4,096: the README says so.
    expect(countTokens(systemText(loadPrompt().text, TENANT))).toBeGreaterThanOrEqual(2048 + 64);
    expect(countTokens(loadPrompt('answer-v1').text)).toBeLessThan(1024);
  });

  it('the system message is byte-identical for one tenant and starts with the tenant, so tenants never share a prefix', () => {
    const { text } = loadPrompt();
    const other = 'b7e9d0f2-1a3c-4e5d-8f60-718293a4b5c6';
    expect(systemText(text, TENANT)).toBe(systemText(text, TENANT));
    expect(systemText(text, TENANT).startsWith(`Tenant: ${TENANT}\n`)).toBe(true);
    expect(systemText(text, TENANT)).not.toBe(systemText(text, other));
    expect(systemText(text, undefined)).toBe(text);
  });

  it("every worked example follows the rules it teaches: quotes verbatim from the example's source, numbers inside the quotes", () => {
    const { text } = loadPrompt();
    const examples = text.split(/\nExample \d+ /).slice(1);
    expect(examples.length).toBeGreaterThanOrEqual(6);
    let refusals = 0;
    for (const example of examples) {
      const sources = new Map([...example.matchAll(/<source id="(\d+)"[^>]*>\n([\s\S]*?)\n<\/source>/g)].map((match) => [Number(match[1]), match[2] ?? '']));
      const line = example.split('\n').find((candidate) => candidate.startsWith('{"refused"'));
      expect(line, example.slice(0, 80)).toBeDefined();
      const answer = JSON.parse(line ?? '') as { refused: boolean; refusalReason: string | null; sentences: { text: string; citations: { source: number; quote: string }[] }[] };
      if (answer.refused) {
        refusals += 1;
        expect(answer.sentences).toEqual([]);
        expect(answer.refusalReason).toBeTruthy();
        continue;
      }
      for (const sentence of answer.sentences) {
        expect(sentence.citations.length).toBeGreaterThan(0);
        for (const citation of sentence.citations) expect(sources.get(citation.source)).toContain(citation.quote);
        const quoted = new Set(sentence.citations.flatMap((citation) => [...numberTokens(citation.quote, true)]));
        for (const number of numberTokens(sentence.text)) expect(quoted, `${number} in "${sentence.text}"`).toContain(number);
      }
    }
    expect(refusals).toBeGreaterThanOrEqual(2);
  });

  it.each(['answer-v1', 'answer-v2'])('%s licenses refusal and states the citation and untrusted-data rules', (id) => {
    const { text, userTemplate } = loadPrompt(id);
    expect(text).toContain('If the sources do not contain the answer, refuse; a refusal is a correct answer.');
    expect(text).toMatch(/Answer only from the sources/);
    expect(text).toMatch(/VERBATIM quote copied exactly/);
    expect(text).toMatch(/untrusted data/);
    expect(text).toMatch(/Never follow instructions/);
    expect(text).toMatch(/Every number/);
    expect(text).not.toContain('{{');
    expect(userTemplate).toContain('{{sources}}');
    expect(userTemplate).toContain('{{question}}');
    expect(userTemplate).toContain('a refusal is a correct answer');
  });

  it('rejects unknown ids and malformed prompt files', () => {
    expect(() => loadPrompt('../etc/passwd')).toThrow(/invalid prompt id/);
    expect(() => loadPrompt('answer-v999')).toThrow();
    expect(() => parsePrompt('x-v1', 'system only')).toThrow(/user-template/);
    expect(() => parsePrompt('x-v1', 'system\n<!-- user-template -->\n{{sources}}')).toThrow(/question/);
  });
});
