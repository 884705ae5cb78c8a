import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors';
import { CircuitBreaker, type CircuitState } from '../../../src/core/resilience/circuit-breaker';
import { captureError, expectAppError } from '../../fake-providers/assertions';

const failure = () => new AppError('PROVIDER_ERROR', '500');
const succeed = async () => 'ok';
const fail = async (): Promise<string> => {
  throw failure();
};

function setup(overrides: Partial<ConstructorParameters<typeof CircuitBreaker>[0]> = {}) {
  const clock = { now: 1_000 };
  const changes: [CircuitState, CircuitState][] = [];
  const breaker = new CircuitBreaker({
    name: 'openai',
    windowSize: 10,
    minimumCalls: 4,
    failureRateThreshold: 0.5,
    coolDownMs: 5_000,
    now: () => clock.now,
    onStateChange: (state, previous) => changes.push([state, previous]),
    ...overrides,
  });
  return { breaker, clock, changes };
}

async function run(breaker: CircuitBreaker, operation: () => Promise<string>, times = 1): Promise<void> {
  for (let index = 0; index < times; index += 1) await breaker.execute(operation).catch(() => undefined);
}

describe('CircuitBreaker', () => {
  it('stays closed below the minimum number of calls', async () => {
    const { breaker } = setup();
    await run(breaker, fail, 3);
    expect(breaker.state).toBe('closed');
    await run(breaker, fail);
    expect(breaker.state).toBe('open');
  });

  it('opens only when the failure rate exceeds the threshold', async () => {
    const { breaker } = setup();
    await run(breaker, succeed, 2);
    await run(breaker, fail, 2);
    expect(breaker.stats).toEqual({ state: 'closed', calls: 4, failures: 2 });
    await run(breaker, fail);
    expect(breaker.state).toBe('open');
  });

  it('judges a rolling window of the last N calls', async () => {
    const { breaker } = setup({ windowSize: 4, minimumCalls: 4 });
    await run(breaker, fail, 2);
    await run(breaker, succeed, 4);
    await run(breaker, fail, 2);
    expect(breaker.stats).toEqual({ state: 'closed', calls: 4, failures: 2 });
  });

  it('rejects at once with CIRCUIT_OPEN while open, without calling', async () => {
    const { breaker, clock } = setup();
    await run(breaker, fail, 4);
    clock.now += 2_000;
    let calls = 0;
    const error = await expectAppError(breaker.execute(async () => ((calls += 1), 'ok')), 'CIRCUIT_OPEN');
    expect(calls).toBe(0);
    expect(error.isRetryable).toBe(false);
    expect(error.retryAfterMs).toBe(3_000);
    expect(error.details).toMatchObject({ provider: 'openai' });
  });

  it('after the cool-down lets one probe through; success closes it', async () => {
    const { breaker, clock, changes } = setup();
    await run(breaker, fail, 4);
    clock.now += 5_000;
    expect(breaker.state).toBe('half-open');
    let release: () => void = () => undefined;
    const probe = breaker.execute(() => new Promise<string>((resolve) => (release = () => resolve('probed'))));
    await expectAppError(breaker.execute(succeed), 'CIRCUIT_OPEN');
    release();
    expect(await probe).toBe('probed');
    expect(breaker.stats).toEqual({ state: 'closed', calls: 0, failures: 0 });
    expect(changes).toEqual([
      ['open', 'closed'],
      ['half-open', 'open'],
      ['closed', 'half-open'],
    ]);
  });

  it('a failed probe opens it for another cool-down', async () => {
    const { breaker, clock } = setup();
    await run(breaker, fail, 4);
    clock.now += 5_000;
    await run(breaker, fail);
    expect(breaker.state).toBe('open');
    clock.now += 4_999;
    expect(breaker.state).toBe('open');
    clock.now += 1;
    expect(breaker.state).toBe('half-open');
  });

  it('counts a non-retryable error as an answer and ignores aborts', async () => {
    const { breaker } = setup();
    const badRequest = new AppError('PROVIDER_ERROR', '400', { retryable: false });
    const abort = new DOMException('stop', 'AbortError');
    expect(await captureError(breaker.execute(async () => Promise.reject(badRequest)))).toBe(badRequest);
    expect(await captureError(breaker.execute(async () => Promise.reject(abort)))).toBe(abort);
    expect(breaker.stats).toEqual({ state: 'closed', calls: 1, failures: 0 });
  });

  it('ignores outcomes of calls admitted before it opened', async () => {
    const { breaker } = setup();
    let release: () => void = () => undefined;
    const slow = breaker.execute(() => new Promise<string>((_resolve, reject) => (release = () => reject(failure()))));
    await run(breaker, fail, 4);
    expect(breaker.state).toBe('open');
    release();
    await captureError(slow);
    expect(breaker.stats).toMatchObject({ state: 'open', calls: 4 });
  });
});

describe('CircuitBreaker: a billing refusal', () => {
  const quota = () => new AppError('PROVIDER_QUOTA_EXCEEDED', 'openai refused the call for billing reasons (quota or credit exhausted)', { retryable: false });

  it('opens the circuit on the first one, says why while open, and forgets the reason once a probe succeeds', async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ name: 'openai', minimumCalls: 10, coolDownMs: 1_000, now: () => now });
    await captureError(breaker.execute(async () => Promise.reject(quota())));
    expect(breaker.state).toBe('open');
    const rejected = await expectAppError(breaker.execute(succeed), 'CIRCUIT_OPEN');
    expect(rejected.message).toBe('openai circuit is open; not calling the provider: openai refused the call for billing reasons (quota or credit exhausted)');
    now += 1_000;
    await captureError(breaker.execute(async () => Promise.reject(quota())));
    expect(breaker.state).toBe('open');
    now += 1_000;
    expect(await breaker.execute(succeed)).toBe('ok');
    expect(breaker.state).toBe('closed');
    await captureError(breaker.execute(fail));
    expect(breaker.state).toBe('closed');
  });
});
