import { describe, expect, it } from 'vitest';
import {
  checkLanded,
  classify,
  floorSamples,
  linearFit,
  memoryTrend,
  overheadMs,
  parseIngestArgs,
  parseLoadArgs,
  parseProcStatCpuTicks,
  parseProcStatus,
  parsePrometheus,
  parseSoakArgs,
  percentile,
  questionFor,
  questionTag,
  SseParser,
  summarize,
  UsageError,
} from '../../../evals/bench/support/load-stats';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => 100 - index); // 100..1, unsorted

  it('picks the smallest sample with at least the fraction at or below it', () => {
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.95)).toBe(95);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 1)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
  });

  it('on few samples the p99 is the maximum, never an interpolation past it', () => {
    expect(percentile([3, 1, 2], 0.99)).toBe(3);
    expect(percentile([10, 20], 0.5)).toBe(10);
  });

  it('is NaN without samples and refuses a fraction outside [0, 1]', () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(() => percentile([1], 95)).toThrow(RangeError);
  });

  it('does not reorder the caller’s array', () => {
    const samples = [5, 1, 4];
    percentile(samples, 0.5);
    expect(samples).toEqual([5, 1, 4]);
  });

  it('summarize gives count, mean, max and the three percentiles', () => {
    expect(summarize([4, 1, 3, 2])).toEqual({ count: 4, p50: 2, p95: 4, p99: 4, max: 4, mean: 2.5 });
    expect(summarize([]).count).toBe(0);
    expect(summarize([]).max).toBeNaN();
  });
});

describe('overheadMs', () => {
  it('subtracts the provider time the fake server measured for that request', () => {
    expect(overheadMs(1042.5, 1003.5, 1000)).toEqual({ overheadMs: 39, matched: true });
  });

  it('falls back to the fixed provider latency when the call was not matched, and says so', () => {
    expect(overheadMs(1042.5, undefined, 1000)).toEqual({ overheadMs: 42.5, matched: false });
  });

  it('a measured time of 0 is a match, not a missing value', () => {
    expect(overheadMs(12, 0, 1000)).toEqual({ overheadMs: 12, matched: true });
  });
});

describe('linearFit and memoryTrend', () => {
  it('recovers slope and intercept of a line', () => {
    const fit = linearFit([0, 1, 2, 3].map((x) => ({ x, y: 2 * x + 5 })));
    expect(fit.slope).toBeCloseTo(2, 10);
    expect(fit.intercept).toBeCloseTo(5, 10);
  });

  it('has no slope with one point or a single x', () => {
    expect(linearFit([{ x: 1, y: 1 }]).slope).toBeNaN();
    expect(linearFit([{ x: 1, y: 1 }, { x: 1, y: 3 }]).slope).toBeNaN();
  });

  // Samples every 5 s over 5 minutes.
  const times = Array.from({ length: 61 }, (_, index) => index * 5_000);

  it('a warm-up climb that levels off is flat: only the second half is fitted', () => {
    const samples = times.map((atMs) => ({ atMs, rssMb: atMs < 120_000 ? 200 + atMs / 1_000 : 320 + ((atMs / 5_000) % 2) * 0.5 }));
    const trend = memoryTrend(samples, 1);
    expect(trend.flat).toBe(true);
    expect(Math.abs(trend.rssFloorSlopeMbPerMin)).toBeLessThan(0.2);
    expect(trend.firstRssMb).toBe(200);
    expect(trend.maxRssMb).toBeCloseTo(320.5, 6);
    expect(trend.samplesInFit).toBe(31);
  });

  it('after a separate warm-up, fits the whole measured window from fitFromMs', () => {
    // Growth for the first 3 minutes, then flat: fitted from 180 s it is flat; fitted from 60 s it is not.
    const samples = times.map((atMs) => ({ atMs, rssMb: 200 + Math.min(atMs, 180_000) / 1_000 }));
    expect(memoryTrend(samples, 1, 60_000, 180_000)).toMatchObject({ flat: true, samplesInFit: 25 });
    expect(memoryTrend(samples, 1, 60_000, 60_000).flat).toBe(false);
  });

  it('a steady leak of 2 MB/min fails a 1 MB/min threshold, with the slope in MB per minute', () => {
    const samples = times.map((atMs) => ({ atMs, rssMb: 300 + (2 * atMs) / 60_000, heapUsedMb: 80 + atMs / 60_000 }));
    const trend = memoryTrend(samples, 1);
    expect(trend.rssSlopeMbPerMin).toBeCloseTo(2, 6);
    expect(trend.rssFloorSlopeMbPerMin).toBeCloseTo(2, 6);
    expect(trend.heapSlopeMbPerMin).toBeCloseTo(1, 6);
    expect(trend.heapFloorSlopeMbPerMin).toBeCloseTo(1, 6);
    expect(trend.flat).toBe(false);
    expect(trend.lastRssMb).toBeCloseTo(310, 6);
  });

  // A GC sawtooth: 100 MB of garbage accumulates over 50 s, then a major GC drops it.
  const sawtooth = (atMs: number) => ((atMs % 50_000) / 50_000) * 100;

  it('a GC sawtooth over a flat floor is flat, although a plain fit of its last cycles slopes steeply', () => {
    const samples = times.map((atMs) => ({ atMs, rssMb: 600 + sawtooth(atMs), heapUsedMb: 150 + sawtooth(atMs) }));
    const trend = memoryTrend(samples, 1);
    // The second half (150-300 s) ends on a climb: every sample fitted says several MB/min.
    expect(Math.abs(trend.rssSlopeMbPerMin)).toBeGreaterThan(1);
    expect(Math.abs(trend.rssFloorSlopeMbPerMin)).toBeLessThan(1);
    expect(trend.flat).toBe(true);
  });

  it('a leak under the sawtooth raises the floor and fails', () => {
    const samples = times.map((atMs) => ({ atMs, rssMb: 600 + sawtooth(atMs) + (3 * atMs) / 60_000 }));
    const trend = memoryTrend(samples, 1);
    expect(trend.rssFloorSlopeMbPerMin).toBeGreaterThan(1.5);
    expect(trend.flat).toBe(false);
  });

  // V8 resizing its heap after full GCs: the committed heap (and RSS with it) steps by ±60 MB, the retained heap does not move.
  const resized = (atMs: number) => (Math.floor(atMs / 70_000) % 2 === 0 ? 0 : 60) + (atMs > 200_000 ? 60 : 0);

  it('the verdict follows the retained heap and the memory outside the heap, not RSS moved by heap resizing', () => {
    const samples = times.map((atMs) => ({ atMs, rssMb: 450 + resized(atMs), retainedMb: 95 + ((atMs / 5_000) % 2) * 0.3, offHeapMb: 140 }));
    const trend = memoryTrend(samples, 1);
    expect(trend.rssFloorSlopeMbPerMin).toBeGreaterThan(5);
    expect(trend.flat).toBe(false);
    expect(Math.abs(trend.retainedSlopeMbPerMin)).toBeLessThan(0.2);
    expect(trend.offHeapFloorSlopeMbPerMin).toBeCloseTo(0, 6);
    expect(trend.retainedFlat).toBe(true);
  });

  it('a retained-heap leak or an off-heap leak each fails the verdict, and no retained samples show nothing', () => {
    const heapLeak = times.map((atMs) => ({ atMs, rssMb: 450, retainedMb: 95 + (2 * atMs) / 60_000, offHeapMb: 140 }));
    expect(memoryTrend(heapLeak, 1)).toMatchObject({ retainedFlat: false, flat: true });
    expect(memoryTrend(heapLeak, 1).retainedSlopeMbPerMin).toBeCloseTo(2, 6);
    const offHeapLeak = times.map((atMs) => ({ atMs, rssMb: 450, retainedMb: 95, offHeapMb: 140 + (2 * atMs) / 60_000 }));
    expect(memoryTrend(offHeapLeak, 1).retainedFlat).toBe(false);
    expect(memoryTrend(offHeapLeak, 1).offHeapFloorSlopeMbPerMin).toBeCloseTo(2, 6);
    const beforeAnyFullGc = times.map((atMs) => ({ atMs, rssMb: 450, retainedMb: Number.NaN, offHeapMb: 140 }));
    expect(memoryTrend(beforeAnyFullGc, 1).retainedFlat).toBe(false);
  });

  it('floorSamples gives each point the minimum over the window centred on it', () => {
    const points = [
      { x: 40_000, y: 9 },
      { x: 0, y: 5 },
      { x: 20_000, y: 3 },
      { x: 70_000, y: 7 },
    ];
    // 60 s windows: ±30 s around each point.
    expect(floorSamples(points, 60_000)).toEqual([
      { x: 0, y: 3 },
      { x: 20_000, y: 3 },
      { x: 40_000, y: 3 },
      { x: 70_000, y: 7 },
    ]);
    // ±15 s: 40 s sees only itself.
    expect(floorSamples(points, 30_000).map((point) => point.y)).toEqual([5, 3, 9, 7]);
    expect(floorSamples([], 30_000)).toEqual([]);
  });

  it('too few samples to fit is not called flat', () => {
    expect(memoryTrend([{ atMs: 0, rssMb: 100 }], 1).flat).toBe(false);
    expect(() => memoryTrend([], 1)).toThrow();
  });
});

describe('/proc parsing', () => {
  const status = 'Name:\tnode\nVmPeak:\t 1234 kB\nVmHWM:\t  524288 kB\nVmRSS:\t  262144 kB\nThreads:\t11\n';

  it('reads VmRSS and VmHWM in MB', () => {
    expect(parseProcStatus(status)).toEqual({ rssMb: 256, peakRssMb: 512 });
  });

  it('is undefined for a process whose status has no memory lines (a zombie)', () => {
    expect(parseProcStatus('Name:\tnode\nState:\tZ (zombie)\n')).toBeUndefined();
  });

  it('reads utime + stime after a command name holding spaces and parentheses', () => {
    // Fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 750 125 0 0 20 0 11 0 1 2 3';
    expect(parseProcStatCpuTicks(stat)).toBe(875);
    expect(parseProcStatCpuTicks('garbage')).toBeUndefined();
  });
});

describe('parsePrometheus', () => {
  it('reads unlabelled samples by name and skips comments and labelled series', () => {
    const text = [
      '# HELP attest_nodejs_eventloop_lag_p99_seconds The 99th percentile of the recorded event loop delays.',
      '# TYPE attest_nodejs_eventloop_lag_p99_seconds gauge',
      'attest_nodejs_eventloop_lag_p99_seconds 0.012345',
      'attest_nodejs_heap_size_used_bytes 1.048576e+08',
      'attest_http_request_duration_seconds_bucket{le="0.1",route="/x"} 3',
      '',
    ].join('\n');
    const values = parsePrometheus(text);
    expect(values.get('attest_nodejs_eventloop_lag_p99_seconds')).toBe(0.012345);
    expect(values.get('attest_nodejs_heap_size_used_bytes')).toBe(104857600);
    expect(values.has('attest_http_request_duration_seconds_bucket')).toBe(false);
  });
});

describe('SseParser', () => {
  it('returns events as their blank line arrives, across chunk boundaries', () => {
    const parser = new SseParser();
    expect(parser.push('event: retrieval\ndata: {"sources":[]}\n\nevent: del')).toEqual([{ event: 'retrieval', data: '{"sources":[]}' }]);
    expect(parser.push('ta\ndata: {"text":"a"}\n')).toEqual([]);
    expect(parser.push('\nevent: done\r\ndata: {"x":1}\r\n\r\n')).toEqual([
      { event: 'delta', data: '{"text":"a"}' },
      { event: 'done', data: '{"x":1}' },
    ]);
    expect(parser.pending).toBe('');
  });

  it('keeps a cut-off event pending instead of reporting it', () => {
    const parser = new SseParser();
    expect(parser.push('event: done\ndata: {"x"')).toEqual([]);
    expect(parser.pending).toBe('event: done\ndata: {"x"');
  });
});

describe('classify', () => {
  it('429 and 503 are the deliberate refusals, not errors', () => {
    expect(classify({ status: 429 })).toEqual({ kind: 'rateLimited' });
    expect(classify({ status: 503 })).toEqual({ kind: 'unavailable' });
  });

  it('other statuses and dropped connections are errors named by their cause', () => {
    expect(classify({ status: 500 })).toEqual({ kind: 'error', code: 'http:500' });
    expect(classify({ status: 413 })).toEqual({ kind: 'error', code: 'http:413' });
    expect(classify({ networkError: 'ECONNRESET' })).toEqual({ kind: 'error', code: 'network:ECONNRESET' });
  });

  it('a 200 stream is ok only if it ended with done and no error event', () => {
    expect(classify({ status: 200, stream: { done: true } })).toEqual({ kind: 'ok' });
    expect(classify({ status: 200, stream: { done: false } })).toEqual({ kind: 'error', code: 'sse:no-done' });
    expect(classify({ status: 200, stream: { done: false, errorCode: 'PROVIDER_UNAVAILABLE' } })).toEqual({ kind: 'error', code: 'sse:PROVIDER_UNAVAILABLE' });
    expect(classify({ status: 200 })).toEqual({ kind: 'ok' });
  });
});

describe('questions and their tags', () => {
  it('every client and turn asks a different question, and the tag inside a prompt finds it again', () => {
    const a = questionFor('Vitamin D and bone density', 3, 17);
    const b = questionFor('Vitamin D and bone density', 3, 18);
    const c = questionFor('Vitamin D and bone density', 4, 17);
    expect(new Set([a, b, c]).size).toBe(3);
    const prompt = `<sources>…</sources>\n\n<question>\n${a}\n</question>`;
    expect(questionTag(prompt)).toBe('c3-n17');
    expect(questionTag('<question>\nno tag here\n</question>')).toBeUndefined();
  });
});

describe('argument parsing', () => {
  it('load without --clients runs 50, 200 and 500 for 20 s each', () => {
    const args = parseLoadArgs([]);
    expect(args.clients).toEqual([50, 200, 500]);
    expect(args.seconds).toBe(20);
    expect(args.latencyMs).toBe(1000);
    expect(args.streamingShare).toBe(0.5);
    expect(args.backend).toMatchObject({ databaseUrl: undefined, redisUrl: undefined, logLevel: 'info', defaultLimits: false, env: {} });
  });

  it('load --clients N --seconds S --json FILE runs one', () => {
    const args = parseLoadArgs(['--clients', '200', '--seconds', '30', '--json', '/tmp/out.json']);
    expect(args.clients).toEqual([200]);
    expect(args.seconds).toBe(30);
    expect(args.json).toBe('/tmp/out.json');
  });

  it('takes the backend from the environment, and a flag over the environment', () => {
    const environment = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(parseLoadArgs([], environment).backend).toMatchObject({ databaseUrl: environment.DATABASE_URL, redisUrl: environment.REDIS_URL });
    expect(parseLoadArgs(['--database-url', 'postgres://other:5432/x'], environment).backend.databaseUrl).toBe('postgres://other:5432/x');
    expect(parseLoadArgs([], { DATABASE_URL: '' }).backend.databaseUrl).toBeUndefined();
  });

  it('collects repeated --env NAME=value pairs, keeping "=" inside values', () => {
    expect(parseLoadArgs(['--env', 'JOBS_INLINE_CONCURRENCY=4', '--env', 'X_Y=a=b']).backend.env).toEqual({ JOBS_INLINE_CONCURRENCY: '4', X_Y: 'a=b' });
    expect(() => parseLoadArgs(['--env', 'novalue'])).toThrow(UsageError);
    expect(() => parseLoadArgs(['--env', 'lower=1'])).toThrow(UsageError);
  });

  it('refuses bad numbers and unknown options with a usage error naming them', () => {
    expect(() => parseLoadArgs(['--clients', 'many'])).toThrow(/--clients/);
    expect(() => parseLoadArgs(['--clients', '0'])).toThrow(/--clients must be positive/);
    expect(() => parseLoadArgs(['--seconds', '-1'])).toThrow(/--seconds/);
    expect(() => parseLoadArgs(['--streaming-share', '2'])).toThrow(/streaming-share/);
    expect(() => parseLoadArgs(['--clientz', '5'])).toThrow(UsageError);
    expect(() => parseLoadArgs(['--database-url', 'not a url'])).toThrow(/--database-url/);
  });

  it('soak defaults to 5 minutes, 50 clients and a 1 MB/min threshold', () => {
    expect(parseSoakArgs([])).toMatchObject({ minutes: 5, clients: 50, sampleSeconds: 5, maxSlopeMbPerMin: 1 });
    expect(parseSoakArgs(['--minutes', '0.5', '--max-slope', '2'])).toMatchObject({ minutes: 0.5, maxSlopeMbPerMin: 2 });
    expect(() => parseSoakArgs(['--minutes', '0'])).toThrow(UsageError);
    expect(parseSoakArgs([]).warmupMinutes).toBe(0);
    expect(parseSoakArgs(['--warmup-minutes', '3']).warmupMinutes).toBe(3);
    expect(() => parseSoakArgs(['--warmup-minutes', '-1'])).toThrow(UsageError);
  });

  it('ingest-load defaults to 1,000 documents from 20 clients', () => {
    expect(parseIngestArgs([])).toMatchObject({ documents: 1000, clients: 20, replayEvery: 10 });
    expect(parseIngestArgs(['--replay-every', '0']).replayEvery).toBe(0);
    expect(() => parseIngestArgs(['--documents', '1.5'])).toThrow(/whole number/);
  });
});

describe('checkLanded', () => {
  const ready = [{ status: 'ready' }];
  const expected = ['a', 'b', 'c'];

  it('passes when each expected externalId is there once, with one ready version', () => {
    const result = checkLanded([{ externalId: 'a', versions: ready }, { externalId: 'b', versions: ready }, { externalId: 'c', versions: ready }], expected);
    expect(result).toMatchObject({ landed: 3, ok: true, missing: [], duplicated: [] });
  });

  it('names what is missing, duplicated, unexpected, re-versioned or not ready', () => {
    const result = checkLanded(
      [
        { externalId: 'a', versions: ready },
        { externalId: 'a', versions: ready },
        { externalId: 'b', versions: [{ status: 'ready' }, { status: 'superseded' }] },
        { externalId: 'z', versions: [{ status: 'failed' }] },
      ],
      expected,
    );
    expect(result.ok).toBe(false);
    expect(result.landed).toBe(2);
    expect(result.missing).toEqual(['c']);
    expect(result.duplicated).toEqual(['a']);
    expect(result.unexpected).toEqual(['z']);
    expect(result.extraVersions).toEqual(['b']);
    expect(result.notReady).toEqual(['b', 'z']);
  });
});
