/** Shared inputs for provider and resilience tests. */
import type { GeneratedAnswer, GenerationRequest, GenerationResult, Generator } from '../../src/core/providers/ports';

export const SOURCES = [
  { n: 1, title: 'Warranty policy', page: 2, text: 'The warranty period is two years from the date of purchase.' },
  { n: 2, title: 'Returns', page: null, text: 'Items can be returned within 30 days with a receipt.' },
];

export const SAMPLE_ANSWER: GeneratedAnswer = {
  refused: false,
  sentences: [
    { text: 'The warranty lasts two years.', citations: [{ source: 1, quote: 'warranty period is two years' }] },
    { text: 'Returns are accepted for 30 days.', citations: [{ source: 2, quote: 'returned within 30 days' }] },
  ],
};

export const REFUSAL: GeneratedAnswer = { refused: true, refusalReason: 'The documents do not say.', sentences: [] };

const SYSTEM_PROMPT = 'Answer only from the numbered sources. Cite every sentence with a verbatim quote, or refuse.';

export function sampleRequest(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  const sources = SOURCES.map((source) => `[${source.n}] ${source.title}\n${source.text}`).join('\n\n');
  return {
    messages: [
      { role: 'system', content: SYSTEM_PROMPT, cacheable: true },
      { role: 'user', content: `<sources>\n${sources}\n</sources>\n\nQuestion: How long is the warranty?` },
    ],
    sources: SOURCES,
    question: 'How long is the warranty?',
    maxOutputTokens: 512,
    ...overrides,
  };
}

/** A trivial stand-in for the local extractive generator: quotes the first source. */
export class LocalTestGenerator implements Generator {
  readonly provider = 'local';
  readonly modelId = 'extractive-test';
  calls = 0;

  async generate(request: GenerationRequest): Promise<GenerationResult> {
    this.calls += 1;
    const first = request.sources[0];
    const output: GeneratedAnswer = first
      ? { refused: false, sentences: [{ text: first.text, citations: [{ source: first.n, quote: first.text }] }] }
      : { refused: true, refusalReason: 'No sources.', sentences: [] };
    return { output, usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0 }, provider: this.provider, model: this.modelId };
  }
}
