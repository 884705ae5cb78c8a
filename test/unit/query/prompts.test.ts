import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CURRENT_PROMPT_ID, loadPrompt, parsePrompt } from '../../../src/query/prompts';

/**
 * The recorded hash of answer-v1. Traces and caches key on it: if this test
 * fails, the prompt was edited in place. Add answer-v2.md instead.
 */
const ANSWER_V1_HASH = '8bd485c80db22b37';

describe('prompts', () => {
  it('loads the current prompt with a stable, recorded content hash', () => {
    const prompt = loadPrompt(CURRENT_PROMPT_ID);
    const file = readFileSync(new URL('../../../src/query/prompts/answer-v1.md', import.meta.url));
    expect(prompt.id).toBe('answer-v1');
    expect(prompt.hash).toBe(createHash('sha256').update(file).digest('hex').slice(0, 16));
    expect(prompt.hash).toBe(ANSWER_V1_HASH);
    expect(prompt.version).toBe(`answer-v1@${ANSWER_V1_HASH}`);
    expect(loadPrompt('answer-v1')).toBe(prompt);
  });

  it('licenses refusal and states the citation and untrusted-data rules', () => {
    const { text, userTemplate } = loadPrompt('answer-v1');
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
