/**
 * The Generator contract, run from each provider adapter's test file: the real SDK
 * against the fake provider server, for answers, streaming and every fault.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import type { Generator } from '../../../src/core/providers/ports';
import { isAbortError } from '../../../src/core/providers/provider-errors';
import { retry } from '../../../src/core/resilience/retry';
import { captureError, expectAppError } from '../../fake-providers/assertions';
import { REFUSAL, SAMPLE_ANSWER, sampleRequest } from '../../fake-providers/fixtures';
import { startFakeProviders, type Behaviour, type FakeProviders, type RouteName } from '../../fake-providers/server';

export interface GeneratorContractSetup {
  name: string;
  route: RouteName;
  create(fake: FakeProviders, options: { timeoutMs?: number }): Generator;
}

export function generatorContract(setup: GeneratorContractSetup): void {
  let fake: FakeProviders;
  const generator = (options: { timeoutMs?: number } = {}) => setup.create(fake, options);
  const script = (...behaviours: Behaviour[]) => fake.script(setup.route, behaviours);

  describe(`${setup.name}: Generator contract`, () => {
    beforeAll(async () => {
      fake = await startFakeProviders();
    });
    afterAll(() => fake.close());
    beforeEach(() => fake.reset());

    it('returns the scripted answer with usage', async () => {
      script({ answer: SAMPLE_ANSWER });
      const result = await generator().generate(sampleRequest());
      expect(result.output).toEqual(SAMPLE_ANSWER);
      expect(result.provider).toBe(generator().provider);
      expect(result.usage.inputTokens).toBeGreaterThan(0);
      expect(result.usage.outputTokens).toBeGreaterThan(0);
      expect(fake.callCount(setup.route)).toBe(1);
    });

    it('maps a null refusalReason to absent and keeps a present one', async () => {
      script({ answer: REFUSAL }, { answer: SAMPLE_ANSWER });
      expect((await generator().generate(sampleRequest())).output).toEqual(REFUSAL);
      const answered = (await generator().generate(sampleRequest())).output;
      expect(answered).not.toHaveProperty('refusalReason');
    });

    it('streams raw JSON deltas and ends with the same result as without streaming', async () => {
      script({ answer: SAMPLE_ANSWER }, { answer: SAMPLE_ANSWER });
      const plain = await generator().generate(sampleRequest());
      const deltas: string[] = [];
      const streamed = await generator().generate(sampleRequest({ onDelta: (text) => deltas.push(text) }));
      expect(deltas.length).toBeGreaterThan(3);
      expect(JSON.parse(deltas.join(''))).toMatchObject({ refused: false, sentences: SAMPLE_ANSWER.sentences });
      expect(streamed).toEqual(plain);
    });

    for (const streaming of [false, true]) {
      const mode = streaming ? 'streaming' : 'non-streaming';
      const request = () => sampleRequest(streaming ? { onDelta: () => undefined } : {});

      it(`${mode}: 429 → PROVIDER_RATE_LIMITED, retryable, with Retry-After in ms`, async () => {
        script({ status: 429, retryAfter: 1 });
        const error = await expectAppError(generator().generate(request()), 'PROVIDER_RATE_LIMITED');
        expect(error.isRetryable).toBe(true);
        expect(error.retryAfterMs).toBe(1000);
      });

      it(`${mode}: 500 → retryable PROVIDER_ERROR; 400 → not retryable`, async () => {
        script({ status: 500 }, { status: 400 });
        expect((await expectAppError(generator().generate(request()), 'PROVIDER_ERROR')).isRetryable).toBe(true);
        expect((await expectAppError(generator().generate(request()), 'PROVIDER_ERROR')).isRetryable).toBe(false);
        expect(fake.callCount(setup.route)).toBe(2);
      });

      it(`${mode}: a stalled provider → PROVIDER_TIMEOUT`, async () => {
        script({ stallMs: 5_000 });
        const started = Date.now();
        await expectAppError(generator({ timeoutMs: 100 }).generate(request()), 'PROVIDER_TIMEOUT');
        expect(Date.now() - started).toBeLessThan(2_000);
      });

      it(`${mode}: malformed model output → PROVIDER_BAD_OUTPUT`, async () => {
        script({ malformed: true });
        await expectAppError(generator().generate(request()), 'PROVIDER_BAD_OUTPUT');
      });

      it(`${mode}: an abort is rethrown as the abort, not an AppError`, async () => {
        script({ stallMs: 5_000 });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 50);
        const error = await captureError(generator().generate({ ...request(), signal: controller.signal }));
        expect(error).not.toBeInstanceOf(AppError);
        expect(isAbortError(error)).toBe(true);
      });
    }

    it('an abort after the first streamed deltas is rethrown as the abort, not a partial answer', async () => {
      script({ stallMs: 5_000, midStream: true });
      const controller = new AbortController();
      const deltas: string[] = [];
      const request = sampleRequest({
        signal: controller.signal,
        onDelta: (text) => {
          deltas.push(text);
          if (deltas.length === 1) setTimeout(() => controller.abort(), 20);
        },
      });
      const error = await captureError(generator().generate(request));
      expect(deltas.length).toBeGreaterThan(0);
      expect(error).not.toBeInstanceOf(AppError);
      expect(error).toBe(controller.signal.reason);
    });

    it('429 is retried after the (capped) Retry-After, then succeeds: two provider calls', async () => {
      script({ status: 429, retryAfter: 1 }, { answer: SAMPLE_ANSWER });
      const delays: number[] = [];
      const result = await retry(() => generator().generate(sampleRequest()), {
        maxRetryAfterMs: 40,
        initialDelayMs: 1,
        onRetry: ({ delayMs }) => delays.push(delayMs),
      });
      expect(result.output).toEqual(SAMPLE_ANSWER);
      expect(delays).toEqual([40]);
      expect(fake.callCount(setup.route)).toBe(2);
    });
  });
}
