/**
 * The service under load, as a real child process (`node --import tsx
 * src/server.ts`, and `ingestion/worker-main.ts` beside it when jobs go through
 * Redis), plus what the load benchmarks need around it: the fake OpenAI
 * server in this process with a fixed latency, a scratch PostgreSQL database,
 * a seeded corpus, and samplers of the child's memory, CPU and event-loop lag.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { readCorpus } from '../../beir';
import { startFakeProviders, type FakeProviders } from '../../../test/fake-providers/server';
import { multipart } from '../../../test/helpers/multipart';
import { parseProcStatCpuTicks, parseProcStatus, parsePrometheus, questionTag, type BackendArgs, type MemorySample } from './load-stats';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const SCIFACT = resolve(ROOT, '../shared/datasets/scifact');

/** One keep-alive agent for every request of the bench: a closed-loop client reuses its connection, as a real one would. */
export const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain HTTP request with the body read in full (node:http: no fetch machinery between the bench and the figures). */
export function http(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {}): Promise<HttpResult> {
  return new Promise((resolveResult, reject) => {
    const request = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolveResult({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    if (options.timeoutMs) request.setTimeout(options.timeoutMs, () => request.destroy(new Error('timeout')));
    request.end(options.body);
  });
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** A scratch database on the server of `adminUrl` (dropped at the end), so a run leaves nothing in a shared database. */
export async function scratchDatabase(adminUrl: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `attest_load_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`).finally(() => admin.end());
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => client.end());
    },
  };
}

/** Where a URL points, without its credentials (printed). */
export function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

// ---------------------------------------------------------------------------
// The fake provider

/** Source [1]'s first sentence, unescaped: a verbatim quote the verifier accepts (as evals/bench/answer-overhead.ts scripts it). */
export function firstSentenceOfSource(user: string): string | undefined {
  const match = /<source id="1"[^>]*>\n([\s\S]*?)\n<\/source>/.exec(user);
  if (!match?.[1]) return undefined;
  const text = match[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const sentence = /^[\s\S]*?[.!?](?=\s|$)/.exec(text.trim())?.[0] ?? text.trim();
  return sentence.slice(0, 400).trim();
}

function userTurn(body: unknown): string {
  const messages = (body as { messages?: { role: string; content: unknown }[] }).messages ?? [];
  const content = messages.find((message) => message.role === 'user')?.content;
  return typeof content === 'string' ? content : JSON.stringify(content ?? '');
}

export interface FakeProvider {
  fake: FakeProviders;
  latencyMs: number;
  /**
   * The provider's own time for the question tagged `tag` (request read →
   * response closed, summed over its calls), once; undefined if the fake
   * server never saw it.
   */
  takeProviderMs(tag: string): number | undefined;
  close(): Promise<void>;
}

/**
 * The fake OpenAI server with a fixed latency, answering with a verbatim quote
 * of source [1] (refusing when there is no source), so answers verify and need
 * no repair call.
 */
export async function startFakeProvider(latencyMs: number): Promise<FakeProvider> {
  const fake = await startFakeProviders();
  fake.script('openai.chat', ({ body }) => {
    const sentence = firstSentenceOfSource(userTurn(body));
    return sentence
      ? { answer: { refused: false, sentences: [{ text: sentence, citations: [{ source: 1, quote: sentence }] }] }, latencyMs }
      : { answer: { refused: true, refusalReason: 'no sources', sentences: [] }, latencyMs };
  });
  const measured = new Map<string, number>();
  /** Moves finished calls out of fake.calls (it would otherwise keep every prompt of a 5-minute soak). */
  const drain = () => {
    const open = [];
    for (const call of fake.calls) {
      if (call.closedAt === undefined) {
        open.push(call);
        continue;
      }
      const tag = questionTag(userTurn(call.body));
      if (tag) measured.set(tag, (measured.get(tag) ?? 0) + (call.closedAt - call.receivedAt));
    }
    fake.calls.length = 0;
    fake.calls.push(...open);
  };
  return {
    fake,
    latencyMs,
    takeProviderMs(tag) {
      if (!measured.has(tag)) drain();
      const value = measured.get(tag);
      measured.delete(tag);
      return value;
    },
    close: () => fake.close(),
  };
}

// ---------------------------------------------------------------------------
// The service process

/** Admission limits raised out of the way: the load figures are the service's, not its limits' (unless --default-limits). */
export const HIGH_LIMITS: Record<string, string> = {
  RATE_LIMIT_QUERY_PER_MINUTE: '100000000',
  RATE_LIMIT_INGEST_PER_MINUTE: '100000000',
  RATE_LIMIT_ADMIN_PER_MINUTE: '100000000',
  TOKENS_PER_MINUTE: '1000000000000',
  DAILY_TOKEN_BUDGET: '1000000000000',
  MAX_CONCURRENT_ANSWERS: '1000000',
  MAX_INFLIGHT_PROVIDER_CALLS: '1000000',
};

export interface Service {
  url: string;
  pid: number;
  workerPid: number | undefined;
  key: string;
  /** "embedded (PGlite + in-process jobs)" or the PostgreSQL/Redis it uses. */
  backendLabel: string;
  logDir: string;
  /** Stops the worker and the service, drops the scratch database and the queue's Redis keys, removes the temp dir. */
  stop(options?: { keepLogs?: boolean }): Promise<void>;
}

interface Child {
  process: ChildProcess;
  exited: Promise<number | null>;
  logFile: string;
}

function startChild(script: string, env: NodeJS.ProcessEnv, logFile: string, nodeFlags: string[]): Child {
  // The service's output goes to a file, not a pipe: at info level it logs two lines per request,
  // and a pipe this process must drain would make the bench part of the service's latency.
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<number | null>((whenGone) => child.once('exit', (code, signal) => whenGone(code ?? (signal ? 128 : null))));
  return { process: child, exited, logFile };
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function stopChild(child: Child | undefined): Promise<void> {
  if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const exited = await Promise.race([child.exited.then(() => true), sleep(30_000).then(() => false)]);
  if (!exited) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
}

export interface StartServiceOptions {
  backend: BackendArgs;
  fake: FakeProvider;
  /** Extra environment for this run (after the limits, before --env). */
  env?: Record<string, string>;
  label: string;
}

export async function startService(options: StartServiceOptions): Promise<Service> {
  const { backend } = options;
  const dir = mkdtempSync(join(tmpdir(), `attest-${options.label}-`));
  const port = await freePort();
  const key = `bench-${randomBytes(18).toString('hex')}`;
  const scratch = backend.databaseUrl ? await scratchDatabase(backend.databaseUrl) : undefined;
  const queueName = `attest-load-${process.pid}-${randomBytes(3).toString('hex')}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The parent's own settings must not leak into the child: the backend is chosen here.
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'JOB_QUEUE_NAME', 'QDRANT_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'CI']) delete env[name];
  Object.assign(env, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: backend.logLevel,
    BOOTSTRAP_API_KEY: key,
    GENERATORS: 'openai',
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: options.fake.fake.openaiBaseURL,
    ...(backend.defaultLimits ? {} : HIGH_LIMITS),
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    ...(backend.redisUrl ? { REDIS_URL: backend.redisUrl, JOB_QUEUE_NAME: queueName } : {}),
    ...options.env,
    ...backend.env,
  });
  // Sampled every 4 ms rather than V8's 1 ms: at 1 ms the profiler's own thread took ~14 CPU-s of a 2-core run.
  const nodeFlags = backend.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${resolve(backend.cpuProf)}`, '--cpu-prof-interval=4000'] : [];
  const server = startChild('src/server.ts', env, join(dir, 'service.log'), nodeFlags);
  let worker: Child | undefined;
  const cleanUp = async (keepLogs: boolean) => {
    await stopChild(worker);
    await stopChild(server);
    if (backend.redisUrl) await obliterateQueue(backend.redisUrl, queueName).catch((error: unknown) => console.warn(`could not remove queue ${queueName}: ${String(error)}`));
    await scratch?.drop().catch((error: unknown) => console.warn(`could not drop ${scratch.name}: ${String(error)}`));
    if (!keepLogs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(url, server);
    // With Redis the API only enqueues; `npm run worker` runs the jobs (src/server.ts starts the inline worker only).
    if (backend.redisUrl) {
      worker = startChild('ingestion/worker-main.ts', env, join(dir, 'worker.log'), []);
      await waitForLog(worker, 'attest worker ready');
    }
    const backendLabel = [
      scratch ? `PostgreSQL ${describeUrl(scratch.url)} (scratch database)` : 'PGlite (embedded)',
      backend.redisUrl ? `Redis ${describeUrl(backend.redisUrl)} (BullMQ queue ${queueName}, separate worker process)` : 'in-process jobs',
    ].join(' + ');
    return {
      url,
      pid: server.process.pid!,
      workerPid: worker?.process.pid,
      key,
      backendLabel,
      logDir: dir,
      stop: (stopOptions = {}) => cleanUp(stopOptions.keepLogs ?? false),
    };
  } catch (error) {
    await cleanUp(true);
    throw error;
  }
}

async function waitUntilReady(url: string, child: Child): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`the service exited (${child.process.exitCode}) while starting:\n${tail(child.logFile)}`);
    try {
      const response = await http(`${url}/readyz`, { timeoutMs: 2_000 });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`the service was not ready in 120 s:\n${tail(child.logFile)}`);
}

async function waitForLog(child: Child, text: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`the worker exited (${child.process.exitCode}) while starting:\n${tail(child.logFile)}`);
    if (tail(child.logFile, 200).includes(text)) return;
    await sleep(200);
  }
  throw new Error(`the worker did not start in 120 s:\n${tail(child.logFile)}`);
}

async function obliterateQueue(redisUrl: string, name: string): Promise<void> {
  const { Queue } = await import('bullmq');
  const { redisConnection } = await import('../../../src/jobs/bullmq-queue');
  const queue = new Queue(name, { connection: redisConnection(redisUrl) });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

// ---------------------------------------------------------------------------
// API calls of the set-up

const uploadAnswer = z.object({ documentId: z.string(), versionId: z.string(), jobId: z.string().nullable().optional(), deduplicated: z.boolean().optional() });
export type UploadAnswer = z.infer<typeof uploadAnswer>;
const jobView = z.object({ state: z.string() }).passthrough();

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export async function createCorpus(service: Service, name: string): Promise<void> {
  const response = await http(`${service.url}/v1/corpora`, {
    method: 'POST',
    headers: { ...bearer(service.key), 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 201) throw new Error(`creating corpus ${name}: ${response.status} ${response.body.slice(0, 300)}`);
}

/** POST a text document; the raw response, so callers can count and retry statuses themselves. */
export async function uploadText(service: Service, corpus: string, document: { externalId: string; title: string; text: string }, idempotencyKey?: string): Promise<HttpResult> {
  const form = await multipart({ title: document.title, externalId: document.externalId }, { name: `${document.externalId}.txt`, content: document.text, type: 'text/plain' });
  return http(`${service.url}/v1/corpora/${encodeURIComponent(corpus)}/documents`, {
    method: 'POST',
    headers: { ...bearer(service.key), ...form.headers, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    body: form.payload,
  });
}

export function parseUpload(result: HttpResult): UploadAnswer {
  return uploadAnswer.parse(JSON.parse(result.body));
}

export async function waitForJobs(service: Service, jobIds: readonly string[], timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const jobId of jobIds) {
    for (;;) {
      const response = await http(`${service.url}/v1/jobs/${encodeURIComponent(jobId)}`, { headers: bearer(service.key) });
      const job = response.status === 200 ? jobView.parse(JSON.parse(response.body)) : undefined;
      if (job?.state === 'completed') break;
      if (job?.state === 'failed') throw new Error(`job ${jobId} failed: ${response.body.slice(0, 300)}`);
      if (Date.now() > deadline) throw new Error(`job ${jobId} not done in time: ${response.status} ${response.body.slice(0, 300)}`);
      await sleep(100);
    }
  }
}

/** The first `count` SciFact abstracts with a title and some text. */
export async function scifactDocuments(count: number, skip = 0): Promise<{ id: string; title: string; text: string }[]> {
  const documents: { id: string; title: string; text: string }[] = [];
  let seen = 0;
  for await (const document of readCorpus(join(SCIFACT, 'corpus.jsonl'))) {
    if (document.text.length < 400 || !document.title) continue;
    if (seen++ < skip) continue;
    documents.push({ id: document.id, title: document.title, text: document.text });
    if (documents.length >= count) break;
  }
  return documents;
}

/**
 * A corpus of `count` SciFact abstracts uploaded through the API and ingested;
 * returns the titles, the topics of the load's questions (each question names
 * a seeded study, so retrieval finds sources and the answer quotes one).
 */
export async function seedCorpus(service: Service, corpus: string, count: number): Promise<string[]> {
  await createCorpus(service, corpus);
  const documents = await scifactDocuments(count);
  const jobIds: string[] = [];
  for (const document of documents) {
    const result = await uploadText(service, corpus, { externalId: `scifact-${document.id}`, title: document.title, text: document.text });
    if (result.status !== 202) throw new Error(`seeding: upload answered ${result.status} ${result.body.slice(0, 300)}`);
    const { jobId } = parseUpload(result);
    if (jobId) jobIds.push(jobId);
  }
  await waitForJobs(service, jobIds);
  return documents.map((document) => document.title);
}

// ---------------------------------------------------------------------------
// Samplers

/** The child's memory and CPU from /proc, every `intervalMs`: VmRSS samples, VmHWM (the kernel's peak), CPU ticks. */
export class ProcSampler {
  readonly samples: { atMs: number; rssMb: number }[] = [];
  peakRssMb = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = performance.now();

  constructor(private readonly pid: number, intervalMs: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): { rssMb: number; peakRssMb: number } | undefined {
    let status;
    try {
      status = parseProcStatus(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    } catch {
      return undefined;
    }
    if (!status) return undefined;
    this.peakRssMb = Math.max(this.peakRssMb, status.peakRssMb);
    this.samples.push({ atMs: performance.now() - this.startedAt, rssMb: status.rssMb });
    return status;
  }

  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): number {
    try {
      return statCpuSeconds(`/proc/${this.pid}/stat`);
    } catch {
      return Number.NaN;
    }
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

/**
 * Scrapes the service's /metrics every `intervalMs`: prom-client's default
 * metrics (prefix attest_) give the event-loop delay percentiles of the window
 * since the previous scrape (it resets its histogram on every scrape) and the
 * V8 heap in use.
 */
export class MetricsScraper {
  /**
   * heapTotalMb: V8's committed heap; externalMb: memory V8 knows is held outside it (buffers, array buffers);
   * retainedMb: the old generation in use just after the latest full GC (NaN before the first).
   */
  readonly windows: {
    atMs: number;
    lagP99Ms: number;
    lagMaxMs: number;
    lagMeanMs: number;
    heapUsedMb: number;
    heapTotalMb: number;
    externalMb: number;
    rssMb: number;
    retainedMb: number;
  }[] = [];
  failures = 0;
  private timer: NodeJS.Timeout | undefined;
  /** performance.now() at construction: each window's atMs counts from here. */
  readonly startedAt = performance.now();
  private inFlight: Promise<void> | undefined;

  constructor(private readonly url: string, intervalMs: number) {
    this.timer = setInterval(() => {
      this.inFlight ??= this.scrape().finally(() => (this.inFlight = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  /** Starts a fresh window (the scrape resets the service's histogram). */
  async scrape(): Promise<void> {
    try {
      const response = await http(`${this.url}/metrics`, { timeoutMs: 10_000 });
      if (response.status !== 200) {
        this.failures++;
        return;
      }
      const values = parsePrometheus(response.body);
      const ms = (name: string) => (values.get(name) ?? Number.NaN) * 1000;
      const mb = (name: string) => (values.get(name) ?? Number.NaN) / (1024 * 1024);
      this.windows.push({
        atMs: performance.now() - this.startedAt,
        lagP99Ms: ms('attest_nodejs_eventloop_lag_p99_seconds'),
        lagMaxMs: ms('attest_nodejs_eventloop_lag_max_seconds'),
        lagMeanMs: ms('attest_nodejs_eventloop_lag_mean_seconds'),
        heapUsedMb: mb('attest_nodejs_heap_size_used_bytes'),
        heapTotalMb: mb('attest_nodejs_heap_size_total_bytes'),
        externalMb: mb('attest_nodejs_external_memory_bytes'),
        rssMb: mb('attest_process_resident_memory_bytes'),
        retainedMb: mb('attest_nodejs_heap_retained_after_full_gc_bytes') || Number.NaN,
      });
    } catch {
      this.failures++;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }
}

export function heapSamples(scraper: MetricsScraper): MemorySample[] {
  return scraper.windows.map((window) => ({
    atMs: window.atMs,
    rssMb: window.rssMb,
    heapUsedMb: window.heapUsedMb,
    retainedMb: window.retainedMb,
    offHeapMb: window.rssMb - window.heapTotalMb,
  }));
}

/** CPU seconds (user + system) of one /proc stat file; NaN when it cannot be read. */
function statCpuSeconds(path: string): number {
  const ticks = parseProcStatCpuTicks(readFileSync(path, 'utf8'));
  // Linux reports in USER_HZ, 100 per second on every mainstream configuration.
  return ticks === undefined ? Number.NaN : ticks / 100;
}

/**
 * CPU seconds by thread of `pid`: the main thread by tid, the rest summed by thread name (ONNX Runtime's and
 * libuv's threads carry their creator's or a shared name), and under "(ended)" what threads that are gone used
 * (the process's total less the live threads': a worker retired meanwhile).
 */
export function threadCpu(pid: number): Map<string, number> {
  const totals = new Map<string, number>([['(ended)', statCpuSeconds(`/proc/${pid}/stat`)]]);
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const seconds = statCpuSeconds(`/proc/${pid}/task/${tid}/stat`);
      const name = Number(tid) === pid ? 'main' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      totals.set(name, (totals.get(name) ?? 0) + seconds);
      totals.set('(ended)', totals.get('(ended)')! - seconds);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return totals;
}

/** What each thread name used between two threadCpu readings, largest first, in seconds to 10 ms. */
export function cpuDelta(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries(
    [...after]
      .map(([name, seconds]) => [name, Math.round((seconds - (before.get(name) ?? 0)) * 100) / 100] as const)
      .filter(([, seconds]) => seconds > 0)
      .sort((a, b) => b[1] - a[1]),
  );
}

/** The 1-minute load average, to print beside figures measured on a shared machine. */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}
