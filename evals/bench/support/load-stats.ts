/**
 * The pure parts of the load and soak benchmarks (evals/bench/load.ts,
 * soak.ts, ingest-load.ts): percentiles, the overhead of each answer over the
 * provider's own time, the least-squares memory trend, parsing of
 * /proc/<pid>/status, Prometheus text and SSE, and the command lines. No I/O
 * here, so test/unit/evals/load-stats.test.ts covers all of it.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';

/** Nearest-rank percentile (the smallest sample with at least `fraction` of the samples at or below it); NaN when empty. */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`percentile fraction must be in [0, 1], got ${fraction}`);
  const sorted = [...samples].sort((left, right) => left - right);
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1]!;
}

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  const count = samples.length;
  const mean = count === 0 ? Number.NaN : samples.reduce((sum, value) => sum + value, 0) / count;
  return {
    count,
    p50: percentile(samples, 0.5),
    p95: percentile(samples, 0.95),
    p99: percentile(samples, 0.99),
    max: count === 0 ? Number.NaN : samples.reduce((max, value) => Math.max(max, value), -Infinity),
    mean,
  };
}

/**
 * What the service added to one answer: the latency the client saw minus the
 * time the provider itself took. `providerMs` is what the fake server measured
 * for that question's calls (request read → response closed, summed over a
 * repair call if any); when it could not be matched, the provider's fixed
 * latency stands in (then the provider's own response writing counts as
 * overhead, a fraction of a millisecond).
 */
export function overheadMs(clientMs: number, providerMs: number | undefined, fixedLatencyMs: number): { overheadMs: number; matched: boolean } {
  const provider = providerMs ?? fixedLatencyMs;
  return { overheadMs: clientMs - provider, matched: providerMs !== undefined };
}

/** Ordinary least-squares slope of y over x, with the intercept; NaN slope with fewer than two distinct x. */
export function linearFit(points: readonly { x: number; y: number }[]): { slope: number; intercept: number } {
  const n = points.length;
  if (n < 2) return { slope: Number.NaN, intercept: Number.NaN };
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const point of points) {
    sxx += (point.x - meanX) ** 2;
    sxy += (point.x - meanX) * (point.y - meanY);
  }
  if (sxx === 0) return { slope: Number.NaN, intercept: Number.NaN };
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

export interface MemorySample {
  /** Milliseconds since the start of the measured period. */
  atMs: number;
  rssMb: number;
  heapUsedMb?: number | undefined;
  /** The old generation in use just after the latest full GC (NaN before the first). */
  retainedMb?: number | undefined;
  /** RSS minus V8's committed heap: the process's memory outside the JavaScript heap. */
  offHeapMb?: number | undefined;
}

export interface MemoryTrend {
  /** Least-squares slope of the lower envelope (minima of the window around each sample) over the second half, MB per minute: the verdict. */
  rssFloorSlopeMbPerMin: number;
  heapFloorSlopeMbPerMin: number;
  /** Least-squares slope of every sample over the second half, MB per minute (follows the GC's sawtooth). */
  rssSlopeMbPerMin: number;
  heapSlopeMbPerMin: number;
  /** Least-squares slope of the heap retained after full GCs (every sample), MB per minute. */
  retainedSlopeMbPerMin: number;
  /** Slope of the lower envelope of RSS minus the committed heap, MB per minute. */
  offHeapFloorSlopeMbPerMin: number;
  firstRssMb: number;
  lastRssMb: number;
  maxRssMb: number;
  samplesInFit: number;
  /** The RSS floor's slope is below the threshold. */
  flat: boolean;
  /**
   * The soak's verdict: both the heap retained after full GCs and the memory outside the V8 heap grow by less
   * than the threshold. RSS also holds the garbage V8 has room for, and V8 resizes that room after every full
   * GC: RSS floors moved by 50-100 MB from minute to minute with the retained heap flat, and slopes of the same
   * build ranged from -34 to +37 MB/min. False without samples of both.
   */
  retainedFlat: boolean;
}

/**
 * The lower envelope: at each point, the minimum over the window of `windowMs`
 * centred on it (truncated at the ends of the run). Centred, so that the
 * envelope does not lag: a trailing window would still hold the warm-up's
 * climb well into the second half.
 */
export function floorSamples(points: readonly { x: number; y: number }[], windowMs: number): { x: number; y: number }[] {
  const sorted = [...points].sort((left, right) => left.x - right.x);
  const half = windowMs / 2;
  return sorted.map((point) => ({
    x: point.x,
    y: sorted.filter((other) => other.x >= point.x - half && other.x <= point.x + half).reduce((min, other) => Math.min(min, other.y), Infinity),
  }));
}

/**
 * Memory trend of a soak. The first half is left out of the fit: it holds the
 * warm-up (JIT, caches filling up to their bounds, pools opening), which grows
 * and then stops; a leak keeps growing in the second half. The verdict fits
 * the lower envelope (the minimum of each `bucketMs` window): between major
 * GCs heap and RSS climb by hundreds of MB of garbage and fall back, a
 * sawtooth whose phase at the ends of a few minutes would otherwise decide
 * the slope; what a leak raises is the floor the GC returns to. The floor at
 * each sample is the minimum over the `windowMs` around it (longer than the
 * time between major GCs: under a minute in the soaks measured), taken over
 * the whole run and fitted over the second half. "Flat" means the RSS
 * floor's slope is below `maxSlopeMbPerMin`.
 *
 * `fitFromMs`: fit from this sample time on instead (after a separate warm-up,
 * the whole measured window).
 */
export function memoryTrend(samples: readonly MemorySample[], maxSlopeMbPerMin: number, windowMs = 60_000, fitFromMs?: number): MemoryTrend {
  if (samples.length === 0) throw new Error('memoryTrend: no samples');
  const sorted = [...samples].sort((left, right) => left.atMs - right.atMs);
  const start = sorted[0]!.atMs;
  const end = sorted.at(-1)!.atMs;
  const half = fitFromMs ?? start + (end - start) / 2;
  const secondHalf = sorted.filter((sample) => sample.atMs >= half);
  const perMinute = (points: { x: number; y: number }[]) => linearFit(points).slope * 60_000;
  const inSecondHalf = (point: { x: number }) => point.x >= half;
  // After a separate warm-up its samples are not the run's, floors included.
  const measured = fitFromMs === undefined ? sorted : secondHalf;
  const rssPoints = measured.map((sample) => ({ x: sample.atMs, y: sample.rssMb }));
  const heapPoints = measured.filter((sample) => sample.heapUsedMb !== undefined).map((sample) => ({ x: sample.atMs, y: sample.heapUsedMb! }));
  const rssFloorSlope = perMinute(floorSamples(rssPoints, windowMs).filter(inSecondHalf));
  const pointsOf = (pick: (sample: MemorySample) => number | undefined) =>
    measured.flatMap((sample) => {
      const y = pick(sample);
      return y !== undefined && Number.isFinite(y) ? [{ x: sample.atMs, y }] : [];
    });
  const retainedSlope = perMinute(pointsOf((sample) => sample.retainedMb).filter(inSecondHalf));
  const offHeapFloorSlope = perMinute(floorSamples(pointsOf((sample) => sample.offHeapMb), windowMs).filter(inSecondHalf));
  const below = (slope: number) => Number.isFinite(slope) && slope < maxSlopeMbPerMin;
  return {
    rssFloorSlopeMbPerMin: rssFloorSlope,
    heapFloorSlopeMbPerMin: perMinute(floorSamples(heapPoints, windowMs).filter(inSecondHalf)),
    rssSlopeMbPerMin: perMinute(rssPoints.filter(inSecondHalf)),
    heapSlopeMbPerMin: perMinute(heapPoints.filter(inSecondHalf)),
    retainedSlopeMbPerMin: retainedSlope,
    offHeapFloorSlopeMbPerMin: offHeapFloorSlope,
    firstRssMb: sorted[0]!.rssMb,
    lastRssMb: sorted.at(-1)!.rssMb,
    maxRssMb: sorted.reduce((max, sample) => Math.max(max, sample.rssMb), -Infinity),
    samplesInFit: secondHalf.length,
    // NaN (too few samples or buckets) is not flat: the run did not show it.
    flat: below(rssFloorSlope),
    retainedFlat: below(retainedSlope) && below(offHeapFloorSlope),
  };
}

/** VmRSS and VmHWM (peak RSS) of a /proc/<pid>/status text, in MB; undefined when absent (the process has exited). */
export function parseProcStatus(text: string): { rssMb: number; peakRssMb: number } | undefined {
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const rss = kb('VmRSS');
  const hwm = kb('VmHWM');
  if (rss === undefined || hwm === undefined) return undefined;
  return { rssMb: rss / 1024, peakRssMb: hwm / 1024 };
}

/** utime + stime of a /proc/<pid>/stat text, in clock ticks (the command name may hold spaces and parentheses). */
export function parseProcStatCpuTicks(text: string): number | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // Fields after the name start at field 3 (state); utime and stime are fields 14 and 15.
  const fields = text.slice(close + 2).trim().split(/\s+/);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : undefined;
}

/** Unlabelled sample values of a Prometheus text exposition, by metric name (labelled series are skipped). */
export function parsePrometheus(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[2]);
    if (!Number.isNaN(value)) values.set(match[1]!, value);
  }
  return values;
}

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Incremental parser of a text/event-stream: feed it chunks as they arrive;
 * it returns the events completed by each chunk (a blank line ends an event).
 */
export class SseParser {
  private buffer = '';

  push(chunk: string): SseEvent[] {
    this.buffer += chunk.replace(/\r\n/g, '\n');
    const events: SseEvent[] = [];
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0 || event !== 'message') events.push({ event, data: data.join('\n') });
    }
    return events;
  }

  /** Text after the last complete event (a stream cut mid-event leaves some). */
  get pending(): string {
    return this.buffer;
  }
}

/** How one answer request ended, from the client's side. */
export type Outcome = { kind: 'ok' } | { kind: 'rateLimited' } | { kind: 'unavailable' } | { kind: 'error'; code: string };

/**
 * Classifies a response: 2xx is ok unless a stream ended without `done` (or
 * with `error`); 429 and 503 are the service's deliberate refusals (counted
 * apart, not errors); anything else, including a refused connection, is an
 * error named by its status or cause. An SSE `error` event carries the error
 * code; a streamed 429/503-class code (RATE_LIMITED, OVERLOADED...) still
 * counts as an error here, since the stream had already been admitted.
 */
export function classify(input: { status?: number | undefined; networkError?: string | undefined; stream?: { done: boolean; errorCode?: string | undefined } | undefined }): Outcome {
  if (input.networkError !== undefined) return { kind: 'error', code: `network:${input.networkError}` };
  const status = input.status ?? 0;
  if (status === 429) return { kind: 'rateLimited' };
  if (status === 503) return { kind: 'unavailable' };
  if (status < 200 || status >= 300) return { kind: 'error', code: `http:${status}` };
  if (input.stream) {
    if (input.stream.errorCode !== undefined) return { kind: 'error', code: `sse:${input.stream.errorCode}` };
    if (!input.stream.done) return { kind: 'error', code: 'sse:no-done' };
  }
  return { kind: 'ok' };
}

/** A distinct question per client and turn, so that neither answer cache tier nor single-flight can serve it. */
export function questionFor(topic: string, client: number, turn: number): string {
  return `What does the study "${topic}" report? (ref c${client}-n${turn})`;
}

/** The `(ref cX-nY)` tag of a question inside a provider prompt, which matches the provider's calls to client requests. */
export function questionTag(text: string): string | undefined {
  return /\(ref (c\d+-n\d+)\)/.exec(text)?.[1];
}

// ---------------------------------------------------------------------------
// Command lines. parseArgs reads strings; zod checks them at the boundary so a
// typo stops the run with the option's name instead of a NaN in the figures.

const positiveInt = (name: string) =>
  z.coerce.number({ error: `--${name} must be a number` }).int(`--${name} must be a whole number`).positive(`--${name} must be positive`);
const positiveNumber = (name: string) => z.coerce.number({ error: `--${name} must be a number` }).positive(`--${name} must be positive`);

/** Where the service keeps its data: the flags win over the environment; neither means the embedded default. */
const backendOptions: NonNullable<ParseArgsConfig['options']> = {
  'database-url': { type: 'string' },
  'redis-url': { type: 'string' },
  'log-level': { type: 'string', default: 'info' },
  /** Leave the service's admission limits at their defaults instead of raising them out of the way. */
  'default-limits': { type: 'boolean', default: false },
  /** Extra service environment, NAME=value, repeatable (e.g. a pool size being tried). */
  env: { type: 'string', multiple: true, default: [] },
  /** Start the service with --cpu-prof, writing the profile into this directory. */
  'cpu-prof': { type: 'string' },
};

const backendSchema = z.object({
  databaseUrl: z.string().url('--database-url must be a postgres:// URL').optional(),
  redisUrl: z.string().url('--redis-url must be a redis:// URL').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  defaultLimits: z.boolean(),
  env: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/u, '--env names are upper-case variables'), z.string()),
  cpuProf: z.string().optional(),
});

export type BackendArgs = z.infer<typeof backendSchema>;

function parseEnvPairs(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--env expects NAME=value, got "${pair}"`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

export class UsageError extends Error {}

function checked<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(result.error.issues.map((issue) => issue.message).join('; '));
  return result.data;
}

function backendOf(values: Record<string, unknown>, environment: Record<string, string | undefined>): BackendArgs {
  return checked(backendSchema, {
    databaseUrl: (values['database-url'] as string | undefined) ?? (environment.DATABASE_URL || undefined),
    redisUrl: (values['redis-url'] as string | undefined) ?? (environment.REDIS_URL || undefined),
    logLevel: values['log-level'],
    defaultLimits: values['default-limits'],
    env: parseEnvPairs(values.env as string[]),
    cpuProf: values['cpu-prof'],
  });
}

function parse(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>): Record<string, unknown> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export const DEFAULT_LOAD_CLIENTS = [50, 200, 500] as const;

export interface LoadArgs {
  /** One run per entry: --clients N, or 50, 200 and 500 in turn. */
  clients: number[];
  seconds: number;
  /** Seconds of load before the measured window (connections open, JIT and caches warm). */
  warmupSeconds: number;
  json: string | undefined;
  latencyMs: number;
  /** Share of clients that stream (Accept: text/event-stream). */
  streamingShare: number;
  documents: number;
  backend: BackendArgs;
}

export function parseLoadArgs(argv: readonly string[], environment: Record<string, string | undefined> = {}): LoadArgs {
  const values = parse(argv, {
    clients: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    json: { type: 'string' },
    latency: { type: 'string', default: '1000' },
    'streaming-share': { type: 'string', default: '0.5' },
    documents: { type: 'string', default: '40' },
    ...backendOptions,
  });
  return {
    clients: values.clients === undefined ? [...DEFAULT_LOAD_CLIENTS] : [checked(positiveInt('clients'), values.clients)],
    seconds: checked(positiveNumber('seconds'), values.seconds),
    warmupSeconds: checked(z.coerce.number().min(0, '--warmup must be >= 0'), values.warmup),
    json: values.json as string | undefined,
    latencyMs: checked(z.coerce.number().int().min(0, '--latency must be >= 0'), values.latency),
    streamingShare: checked(z.coerce.number().min(0).max(1, '--streaming-share must be in [0, 1]'), values['streaming-share']),
    documents: checked(positiveInt('documents'), values.documents),
    backend: backendOf(values, environment),
  };
}

export interface SoakArgs {
  minutes: number;
  /** Load before the measured minutes, left out of the figures and of the memory fit (0: none; the fit then takes the second half). */
  warmupMinutes: number;
  clients: number;
  sampleSeconds: number;
  maxSlopeMbPerMin: number;
  latencyMs: number;
  documents: number;
  json: string | undefined;
  backend: BackendArgs;
}

export function parseSoakArgs(argv: readonly string[], environment: Record<string, string | undefined> = {}): SoakArgs {
  const values = parse(argv, {
    minutes: { type: 'string', default: '5' },
    'warmup-minutes': { type: 'string', default: '0' },
    clients: { type: 'string', default: '50' },
    'sample-seconds': { type: 'string', default: '5' },
    'max-slope': { type: 'string', default: '1' },
    latency: { type: 'string', default: '1000' },
    documents: { type: 'string', default: '40' },
    json: { type: 'string' },
    ...backendOptions,
  });
  return {
    minutes: checked(positiveNumber('minutes'), values.minutes),
    warmupMinutes: checked(z.coerce.number().min(0, '--warmup-minutes must be >= 0'), values['warmup-minutes']),
    clients: checked(positiveInt('clients'), values.clients),
    sampleSeconds: checked(positiveNumber('sample-seconds'), values['sample-seconds']),
    maxSlopeMbPerMin: checked(positiveNumber('max-slope'), values['max-slope']),
    latencyMs: checked(z.coerce.number().int().min(0, '--latency must be >= 0'), values.latency),
    documents: checked(positiveInt('documents'), values.documents),
    json: values.json as string | undefined,
    backend: backendOf(values, environment),
  };
}

export interface IngestArgs {
  documents: number;
  clients: number;
  /** Every n-th upload is sent a second time with the same Idempotency-Key (0: never). */
  replayEvery: number;
  timeoutSeconds: number;
  json: string | undefined;
  backend: BackendArgs;
}

export function parseIngestArgs(argv: readonly string[], environment: Record<string, string | undefined> = {}): IngestArgs {
  const values = parse(argv, {
    documents: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '20' },
    'replay-every': { type: 'string', default: '10' },
    timeout: { type: 'string', default: '900' },
    json: { type: 'string' },
    ...backendOptions,
  });
  return {
    documents: checked(positiveInt('documents'), values.documents),
    clients: checked(positiveInt('clients'), values.clients),
    replayEvery: checked(z.coerce.number().int().min(0, '--replay-every must be >= 0'), values['replay-every']),
    timeoutSeconds: checked(positiveNumber('timeout'), values.timeout),
    json: values.json as string | undefined,
    backend: backendOf(values, environment),
  };
}

/**
 * The documents listing of an ingestion run, checked: each expected
 * externalId exactly once, each with exactly one version, every version ready.
 */
export function checkLanded(
  documents: readonly { externalId: string | null; versions: readonly { status: string }[] }[],
  expected: readonly string[],
): { landed: number; missing: string[]; duplicated: string[]; unexpected: string[]; extraVersions: string[]; notReady: string[]; ok: boolean } {
  const seen = new Map<string, number>();
  const extraVersions: string[] = [];
  const notReady: string[] = [];
  const expectedSet = new Set(expected);
  const unexpected: string[] = [];
  for (const document of documents) {
    const id = document.externalId ?? '(none)';
    seen.set(id, (seen.get(id) ?? 0) + 1);
    if (!expectedSet.has(id)) unexpected.push(id);
    if (document.versions.length !== 1) extraVersions.push(id);
    if (document.versions.some((version) => version.status !== 'ready')) notReady.push(id);
  }
  const missing = expected.filter((id) => !seen.has(id));
  const duplicated = [...seen].filter(([, count]) => count > 1).map(([id]) => id);
  const landed = [...seen.keys()].filter((id) => expectedSet.has(id)).length;
  const ok = missing.length === 0 && duplicated.length === 0 && unexpected.length === 0 && extraVersions.length === 0 && notReady.length === 0;
  return { landed, missing, duplicated, unexpected, extraVersions, notReady, ok };
}
