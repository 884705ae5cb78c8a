/**
 * Prompt caching that happens: the system message (tenant line + policy + worked
 * examples) is above the providers' minimum cacheable prefix, byte-identical across
 * one tenant's requests and different between tenants. Against the fake server,
 * which caches as the services publish it (hits only above the minimum, and only
 * from the second identical prefix on), the answer's usage and trace report the
 * cached share: 0 on a tenant's first request, above 0 on its second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTenant } from '../../src/core/tenancy';
import { ask, chatMessages, createCorpus, getTrace, sharedStore, startHarness, uploadText, type AnswerHarness } from '../helpers/answers';

const shared = await sharedStore();
afterAll(async () => shared.close());

const WARRANTY = 'Warranty terms\n\nThe warranty period is 24 months from the date of purchase. It covers manufacturing defects in the motor.\n';
const answer = {
  refused: false,
  sentences: [{ text: 'The warranty lasts 24 months.', citations: [{ source: 1, quote: 'The warranty period is 24 months' }] }],
};

describe('prompt caching through OpenAI (automatic, by prefix)', () => {
  let h: AnswerHarness;
  let otherKey: string;
  beforeAll(async () => {
    h = await startHarness({}, { store: shared.store });
    h.fake.setDefault('openai.chat', { answer });
    await createCorpus(h.t, 'cache-openai');
    await uploadText(h.t, 'cache-openai', 'warranty.txt', WARRANTY);
    otherKey = await h.t.keyFor('cache-other-tenant', ['query', 'ingest', 'admin']);
    await createCorpus(h.t, 'cache-openai', otherKey);
    await uploadText(h.t, 'cache-openai', 'warranty.txt', WARRANTY, otherKey);
  });
  afterAll(async () => h?.close());

  it("a tenant's second request reads the cached prefix; another tenant's first request does not share it", async () => {
    h.fake.reset();
    h.fake.setDefault('openai.chat', { answer });
    const first = await ask(h.t, 'cache-openai', 'How long is the warranty period?');
    const second = await ask(h.t, 'cache-openai', 'For how many months does the warranty run?');
    const other = await ask(h.t, 'cache-openai', 'How long is the warranty period?', otherKey);
    expect([first.cached, second.cached, other.cached]).toEqual([false, false, false]);

    expect(first.usage).toMatchObject({ cachedTokens: 0, cachedShare: 0 });
    expect(second.usage.cachedTokens).toBeGreaterThanOrEqual(1024);
    expect(second.usage.cachedShare).toBeGreaterThan(0.5);
    expect(second.usage.cachedShare).toBeCloseTo(second.usage.cachedTokens / second.usage.inputTokens, 3);
    // Same prompt, same question, another tenant: its prefix starts with its own tenant line.
    expect(other.usage).toMatchObject({ cachedTokens: 0, cachedShare: 0 });

    const trace = await getTrace(h.t, second.traceId);
    expect(trace.tokens).toMatchObject({ cached: second.usage.cachedTokens, cacheWrite: 0, cachedShare: second.usage.cachedShare });

    const [a1 = '', a2, b1 = ''] = h.fake.calls.map((call) => chatMessages(call).find((message) => message.role === 'system')?.content ?? '');
    const tenant = await ensureTenant(h.t.container.store.db, 'default');
    const otherTenant = await ensureTenant(h.t.container.store.db, 'cache-other-tenant');
    expect(a2).toBe(a1);
    expect(a1.startsWith(`Tenant: ${tenant.id}\n`)).toBe(true);
    expect(b1.startsWith(`Tenant: ${otherTenant.id}\n`)).toBe(true);
    const keys = h.fake.calls.map((call) => (call.body as Record<string, unknown>)['prompt_cache_key']);
    expect(keys[0]).toMatch(/^attest-[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });
});

describe('prompt caching through Anthropic (cache_control on the system block)', () => {
  let h: AnswerHarness;
  beforeAll(async () => {
    // Sonnet 4.6: a minimum cacheable prefix of 2,048 tokens.
    h = await startHarness({ GENERATORS: 'anthropic', ANTHROPIC_MODEL: 'claude-sonnet-4-6' }, { store: shared.store });
    await createCorpus(h.t, 'cache-anthropic');
    await uploadText(h.t, 'cache-anthropic', 'warranty.txt', WARRANTY);
  });
  afterAll(async () => h?.close());

  it('the first request writes the prefix, the second reads it: the cached share rises', async () => {
    h.fake.reset();
    h.fake.setDefault('anthropic.messages', { answer });
    const first = await ask(h.t, 'cache-anthropic', 'How long is the warranty period?');
    const second = await ask(h.t, 'cache-anthropic', 'For how many months does the warranty run?');
    expect(first.usage.cacheWriteTokens).toBeGreaterThanOrEqual(2048);
    expect(first.usage).toMatchObject({ cachedTokens: 0, cachedShare: 0 });
    expect(second.usage).toMatchObject({ cacheWriteTokens: 0, cachedTokens: first.usage.cacheWriteTokens });
    expect(second.usage.cachedShare).toBeGreaterThan(0.5);
    const trace = await getTrace(h.t, first.traceId);
    expect(trace.tokens).toMatchObject({ cached: 0, cacheWrite: first.usage.cacheWriteTokens, cachedShare: 0 });
    const body = h.fake.calls[0]?.body as Record<string, unknown>;
    expect(body['system']).toEqual([{ type: 'text', text: expect.stringMatching(/^Tenant: /), cache_control: { type: 'ephemeral' } }]);
  });
});
