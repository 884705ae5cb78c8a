/**
 * Anthropic's native citations mode against the fake server, which answers such
 * requests as the service does (text blocks with search_result_location citations
 * whose cited_text is the cited block's text; shapes from the @anthropic-ai/sdk types).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { passageBlocks } from '../../../src/core/providers/anthropic-citations';
import { AnthropicGenerator } from '../../../src/core/providers/anthropic-generator';
import { REFUSAL, SAMPLE_ANSWER, SOURCES, sampleRequest } from '../../fake-providers/fixtures';
import { startFakeProviders, type FakeProviders } from '../../fake-providers/server';

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const generator = () => new AnthropicGenerator({ apiKey: 'k', baseURL: fake.url, model: 'claude-sonnet-4-5', citations: true });
/** What the service cites for SAMPLE_ANSWER: the whole sentence block holding each quote. */
const CITED = {
  refused: false,
  sentences: [
    { text: 'The warranty lasts two years.', citations: [{ source: 1, quote: SOURCES[0]!.text }] },
    { text: 'Returns are accepted for 30 days.', citations: [{ source: 2, quote: SOURCES[1]!.text }] },
  ],
};

describe('Anthropic native citations (ANTHROPIC_CITATIONS=true)', () => {
  it('sends the sources as search_result blocks with citations enabled, no tool, the system prompt still cached', async () => {
    fake.script('anthropic.messages', [{ answer: SAMPLE_ANSWER }]);
    await generator().generate(sampleRequest());
    const body = fake.calls[0]?.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).toMatchObject({
      system: [{ type: 'text', cache_control: { type: 'ephemeral' } }, { type: 'text', text: expect.stringContaining('REFUSED:') }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'search_result', source: 'attest:source/1', title: 'Warranty policy (page 2)', content: [{ type: 'text', text: SOURCES[0]!.text }], citations: { enabled: true } },
            { type: 'search_result', source: 'attest:source/2', title: 'Returns', citations: { enabled: true } },
            { type: 'text', text: expect.stringContaining('How long is the warranty?') },
          ],
        },
      ],
    });
  });

  it('maps search_result_location citations to sentences quoting the cited text, streamed or not', async () => {
    fake.script('anthropic.messages', [{ answer: SAMPLE_ANSWER }, { answer: SAMPLE_ANSWER }]);
    const plain = await generator().generate(sampleRequest());
    const deltas: string[] = [];
    const streamed = await generator().generate(sampleRequest({ onDelta: (text) => deltas.push(text) }));
    expect(plain.output).toEqual(CITED);
    expect(streamed.output).toEqual(CITED);
    expect(deltas.join('')).toBe('The warranty lasts two years. Returns are accepted for 30 days.');
  });

  it('a REFUSED: reply is a refusal with its reason', async () => {
    fake.script('anthropic.messages', [{ answer: REFUSAL }]);
    expect((await generator().generate(sampleRequest())).output).toEqual(REFUSAL);
  });

  it('a citation the service would not send (its text in no block) is passed on as it came, for verification to judge', async () => {
    const invented = { refused: false, sentences: [{ text: 'The warranty lasts ten years.', citations: [{ source: 1, quote: 'warranty period is ten years' }] }] };
    fake.script('anthropic.messages', [{ answer: invented }]);
    expect((await generator().generate(sampleRequest())).output).toEqual(invented);
  });

  it('splits a passage into sentence blocks that join back to the passage exactly', () => {
    const text = 'First sentence. Second one!  Third? "Quoted." Last without end';
    const blocks = passageBlocks(text);
    expect(blocks.join('')).toBe(text);
    expect(blocks).toHaveLength(5);
    expect(passageBlocks('One.   ')).toEqual(['One.   ']);
    expect(passageBlocks('Heading\n\nBody text.')).toEqual(['Heading\n\n', 'Body text.']);
  });
});
