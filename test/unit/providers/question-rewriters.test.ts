import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicRewriter } from '../../../src/core/providers/anthropic-rewriter';
import { OpenAIRewriter } from '../../../src/core/providers/openai-rewriter';
import type { QuestionRewriteModel } from '../../../src/core/providers/ports';
import { startFakeProviders, type FakeProviders, type RouteName } from '../../fake-providers/server';

/** The follow-up rewrite adapters through the real SDKs against the fake provider server (one contract, two adapters). */
let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(async () => fake?.close());

const request = { system: 'Rewrite the message.', user: '<earlier_turns></earlier_turns>\n<message>does it need a cable?</message>', maxOutputTokens: 100 };

const adapters: { name: string; route: RouteName; make: () => QuestionRewriteModel; answeredModel: string }[] = [
  { name: 'openai', route: 'openai.chat', make: () => new OpenAIRewriter({ apiKey: 'sk-test', baseURL: fake.openaiBaseURL, model: 'gpt-4.1-nano' }), answeredModel: 'gpt-4.1-nano-2025-04-14' },
  { name: 'anthropic', route: 'anthropic.messages', make: () => new AnthropicRewriter({ apiKey: 'sk-ant-test', baseURL: fake.url, model: 'claude-haiku-4-5' }), answeredModel: 'claude-haiku-4-5' },
];

describe.each(adapters)('$name question rewriter', ({ route, make, answeredModel }) => {
  it('returns the validated rewrite with its usage, from a request the service accepts', async () => {
    fake.reset();
    fake.script(route, [{ output: { standaloneQuestion: 'Does the router need a cable?' } }]);
    const result = await make().rewrite(request);
    expect(result).toMatchObject({ standaloneQuestion: 'Does the router need a cable?', model: answeredModel });
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(fake.calls[0]?.rejected).toBeUndefined();
  });

  it.each([
    ['output outside the schema', { output: { standaloneQuestion: 'x', extra: true } }, 'PROVIDER_BAD_OUTPUT'],
    ['an empty rewrite', { output: { standaloneQuestion: '   ' } }, 'PROVIDER_BAD_OUTPUT'],
    ['malformed output', { malformed: true }, 'PROVIDER_BAD_OUTPUT'],
    ['output cut at the token limit', { ending: 'truncated' }, 'PROVIDER_OUTPUT_TRUNCATED'],
    ['an error status', { status: 503 }, 'PROVIDER_ERROR'],
  ] as const)('rejects %s with a coded error', async (_name, behaviour, code) => {
    fake.reset();
    fake.script(route, [behaviour]);
    await expect(make().rewrite(request)).rejects.toMatchObject({ code });
  });
});
