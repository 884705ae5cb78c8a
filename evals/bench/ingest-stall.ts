/**
 * Answers while a large PDF ingests (issue 28; not a test: it prints figures). For each mode of the embedded
 * default (PGLITE_WORKER=off: PGlite on the main thread; on: on its own thread), side by side in one run, it
 * starts the real service as a child process (`node --import tsx src/server.ts`, PGlite in a temp DATA_DIR,
 * in-process jobs, the local neural models when MODELS_DIR has them), seeds a small corpus of SciFact
 * abstracts, and measures:
 *
 *   idle       a sequence of --questions questions, one at a time (latency p50/p95/max)
 *   load       --clients closed-loop clients for --seconds (the load bench's overhead: client latency minus
 *              the fake provider's own 1 s; p99)
 *   ingesting  freeculture.pdf (352 pages) uploaded, and questions asked one after another until its job
 *              completes (latency p50/p95/max), the PDF's ingestion time (upload accepted → job completed);
 *              with --stream-rate R, R questions a second sent on time instead (open loop, the same work in
 *              every mode); and how the in-memory BM25 and vector copies answered meanwhile (the service's
 *              attest_*_cache_events: from memory, from SQL, reloads, writes applied to the copy)
 *   throughout the service's event-loop delay (prom-client's p99 and max per 2-s /metrics window, worst
 *              window, and the three worst windows while ingesting with when each ended; its figures include
 *              the 10 ms sampling interval, so an idle loop reads about 10 ms) and
 *              CPU by thread while the PDF ingests (/proc/<pid>/task/<tid>/stat; the main thread by tid, the
 *              others by name: attest-pglite, attest-pdf, attest-onnx name themselves, V8's and libuv's are
 *              "node"/"libuv-worker").
 *
 * The question streams (idle, ingesting) are answered by the embedded default's own local generator, as the
 * issue measured them (--stream-generator openai: by the fake OpenAI server in this process, at once). The load
 * phase needs a provider whose time it can subtract, so it runs first, against a service of its own whose
 * generator is the fake OpenAI server (answering after 1 s with a verbatim quote of the first source); the
 * streams then run against a fresh service seeded the same way. Each question is distinct (no answer-cache hits).
 *
 *   npm run bench -- ingest-stall [--modes off,on] [--questions 40] [--documents 20] [--clients 50]
 *       [--seconds 10] [--warmup 3] [--pdf PATH] [--log-level warn] [--json FILE] [--cpu-prof DIR] [--quiet-ingest]
 *       [--stream-generator local|openai] [--stream-rate 0]
 *
 * Targets (issue 28), during ingestion: answer p95 ≤ 60 ms, max ≤ 250 ms; event-loop delay p99 ≤ 30 ms;
 * idle 50-client overhead p99 ≤ 60 ms; ingestion time at most 10% over PGLITE_WORKER=off.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { multipart } from '../../test/helpers/multipart';
import { figuresOf, runClosedLoop } from './support/load-client';
import { bearer, cpuDelta, firstSentenceOfSource, http, loadAverage, MetricsScraper, ProcSampler, ROOT, seedCorpus, startFakeProvider, startService, threadCpu, type FakeProvider, type Service } from './support/load-service';
import { percentile, questionFor } from './support/load-stats';

const { values: args } = parseArgs({
  options: {
    modes: { type: 'string', default: 'off,on' },
    questions: { type: 'string', default: '40' },
    documents: { type: 'string', default: '20' },
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    pdf: { type: 'string', default: resolve(ROOT, '../shared/datasets/pdfs/born-digital/freeculture.pdf') },
    'log-level': { type: 'string', default: 'warn' },
    json: { type: 'string' },
    /** Start each service with --cpu-prof, writing its profile into this directory. */
    'cpu-prof': { type: 'string' },
    /** No questions while the PDF ingests: the event-loop delay and ingestion time of the PDF alone. */
    'quiet-ingest': { type: 'boolean', default: false },
    /**
     * Who answers the question streams (idle, while ingesting): `local`, the embedded default's own extractive
     * generator, as the issue measured them; `openai`, the fake provider in this process (0 ms).
     */
    'stream-generator': { type: 'string', default: 'local' },
    /** Questions a second while the PDF ingests, sent on time whatever the answers do; 0: one after another. */
    'stream-rate': { type: 'string', default: '0' },
  },
});

const options = z
  .object({
    modes: z.array(z.enum(['on', 'off'])).min(1),
    questions: z.coerce.number().int().positive(),
    documents: z.coerce.number().int().positive(),
    clients: z.coerce.number().int().positive(),
    seconds: z.coerce.number().positive(),
    warmup: z.coerce.number().nonnegative(),
    streamGenerator: z.enum(['local', 'openai']),
    streamRate: z.coerce.number().min(0).max(1000),
  })
  .parse({ ...args, streamGenerator: args['stream-generator'], streamRate: args['stream-rate'], modes: args.modes.split(',').map((mode) => mode.trim()) });

const CORPUS = 'stall';
/** The service reads the local neural models from MODELS_DIR (passed on from this environment) when they are there. */
const EMBEDDER = process.env.MODELS_DIR && existsSync(resolve(process.env.MODELS_DIR, 'bge-small-en-v1.5-q/model.onnx')) ? `local neural models (${process.env.MODELS_DIR})` : 'local-hash embeddings (no MODELS_DIR models)';
const LOAD_LATENCY_MS = 1000;

interface Latencies {
  count: number;
  p50: number;
  p95: number;
  max: number;
  errors: number;
  /** The five slowest answers: wall ms and when each was asked (s since the stream began). */
  slowest: { ms: number; atS: number }[];
}

interface ModeResult {
  mode: 'on' | 'off';
  idle: Latencies & { uptime: string };
  load: { p99OverheadMs: number; errors: number; requests: number; uptime: string; cpuByThreadSeconds: Record<string, number>; benchProcessCpuSeconds: number };
  ingesting: Latencies & { uptime: string };
  ingestionSeconds: number;
  eventLoop: { idleP99Ms: number; ingestingP99Ms: number; ingestingMaxMs: number };
  cpuByThreadSeconds: Record<string, number>;
  /** How the in-memory BM25 and vector copies answered while the PDF ingested (the service's cache counters, by event). */
  cacheWhileIngesting: Record<string, number>;
  /** VmHWM: the process's peak resident memory over the whole run, the PDF's ingestion included. */
  peakRssMb: number;
  embedder: string;
}

const round = (value: number, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);
const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

function summarizeLatencies(samples: { ms: number; atS: number }[], errors: number): Latencies {
  const times = samples.map((sample) => sample.ms);
  const slowest = [...samples].sort((left, right) => right.ms - left.ms).slice(0, 5).map((sample) => ({ ms: round(sample.ms), atS: round(sample.atS) }));
  return { count: samples.length, p50: round(percentile(times, 0.5)), p95: round(percentile(times, 0.95)), max: round(Math.max(...times)), errors, slowest };
}

/** The service's BM25 and vector copy counters (attest_*_cache_events), as `bm25 memory_hit` and so on. */
async function cacheEvents(service: Service): Promise<Map<string, number>> {
  const response = await http(`${service.url}/metrics`, { timeoutMs: 10_000 });
  const events = new Map<string, number>();
  for (const match of response.body.matchAll(/^attest_(bm25|vector)_cache_events\{event="(\w+)"\}\s+(\S+)$/gm)) {
    events.set(`${match[1]} ${match[2]}`, Number(match[3]));
  }
  return events;
}

/** The load averages, printed beside each figure (a shared machine). */
function uptime(): string {
  return `load ${loadAverage()}`;
}

const answerBody = z.object({ refused: z.boolean().optional() }).passthrough();

/** Asks one question (JSON) and returns its wall time; undefined when it failed. */
async function ask(service: Service, question: string): Promise<number | undefined> {
  const started = performance.now();
  const response = await http(`${service.url}/v1/corpora/${CORPUS}/answers`, {
    method: 'POST',
    headers: { ...bearer(service.key), 'content-type': 'application/json' },
    body: JSON.stringify({ question }),
    timeoutMs: 60_000,
  });
  const ms = performance.now() - started;
  if (response.status !== 200 || !answerBody.safeParse(JSON.parse(response.body)).success) return undefined;
  return ms;
}

/**
 * Questions until `until` says stop (or `count` were asked): one after another, each waiting for the answer before
 * it; or, with `perSecond`, one every 1000 / `perSecond` ms, each sent on time whether or not the one before has
 * been answered (open loop). A stream one after another turns a quicker service into more questions, and so into
 * more of the CPU that ingestion shares; at a fixed rate both modes answer the same.
 */
async function questionStream(service: Service, topics: readonly string[], client: number, until: (asked: number) => boolean, perSecond = 0): Promise<Latencies> {
  const samples: { ms: number; atS: number }[] = [];
  const inFlight: Promise<void>[] = [];
  const began = performance.now();
  let errors = 0;
  for (let turn = 0; !until(turn); turn++) {
    const wait = perSecond > 0 ? began + (turn * 1000) / perSecond - performance.now() : 0;
    if (wait > 0) await sleep(wait);
    const atS = (performance.now() - began) / 1000;
    const asked = ask(service, questionFor(topics[turn % topics.length]!, client, turn)).then((ms) => {
      if (ms === undefined) errors++;
      else samples.push({ ms, atS });
    });
    if (perSecond > 0) inFlight.push(asked);
    else await asked;
  }
  await Promise.all(inFlight);
  return summarizeLatencies(samples, errors);
}

/** The fake provider's chat answers after `latency.ms`, quoting source [1] (scripted again so the latency can change). */
function scriptProvider(provider: FakeProvider, latency: { ms: number }): void {
  provider.fake.script('openai.chat', ({ body }) => {
    const messages = (body as { messages?: { role: string; content: unknown }[] }).messages ?? [];
    const user = messages.find((message) => message.role === 'user')?.content;
    const sentence = firstSentenceOfSource(typeof user === 'string' ? user : JSON.stringify(user ?? ''));
    return sentence
      ? { answer: { refused: false, sentences: [{ text: sentence, citations: [{ source: 1, quote: sentence }] }] }, latencyMs: latency.ms }
      : { answer: { refused: true, refusalReason: 'no sources', sentences: [] }, latencyMs: latency.ms };
  });
}

async function uploadPdf(service: Service, file: string): Promise<string> {
  const form = await multipart({ title: 'Free Culture' }, { name: 'freeculture.pdf', content: new Uint8Array(readFileSync(file)), type: 'application/pdf' });
  const response = await http(`${service.url}/v1/corpora/${CORPUS}/documents`, { method: 'POST', headers: { ...bearer(service.key), ...form.headers }, body: form.payload });
  if (response.status !== 202) throw new Error(`uploading the PDF: ${response.status} ${response.body.slice(0, 300)}`);
  return z.object({ jobId: z.string() }).parse(JSON.parse(response.body)).jobId;
}

const jobView = z.object({ state: z.string(), progress: z.unknown().optional() }).passthrough();

/** A fresh service in `mode`, its generator the fake OpenAI server (`openai`) or the embedded default's own (`local`), seeded. */
async function startStallService(mode: 'on' | 'off', generator: 'openai' | 'local', label: string) {
  const provider = await startFakeProvider(LOAD_LATENCY_MS);
  const latency = { ms: 0 };
  scriptProvider(provider, latency);
  const service = await startService({
    backend: { logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).parse(args['log-level']), defaultLimits: false, env: {}, ...(args['cpu-prof'] ? { cpuProf: args['cpu-prof'] } : {}) },
    fake: provider,
    label: `ingest-stall-${mode}-${label}`,
    // GENERATORS empty: the embedded default's local extractive generator, no provider call.
    env: { PGLITE_WORKER: mode, PDF_TIMEOUT_MS: '900000', ...(generator === 'local' ? { GENERATORS: '' } : {}) },
  });
  return { provider, latency, service };
}

async function runMode(mode: 'on' | 'off'): Promise<ModeResult> {
  const { streamGenerator } = options;
  const loadRun = await startStallService(mode, 'openai', 'load');
  let { provider, latency, service } = loadRun;
  let failed = true;
  try {
    console.log(`\nPGLITE_WORKER=${mode}: service pid ${service.pid} on ${service.backendLabel}, ${EMBEDDER}; questions answered by ${streamGenerator === 'local' ? 'the local generator (a second service for the load phase, whose overhead needs the fake provider)' : 'the fake OpenAI provider'}; while ingesting, ${options.streamRate > 0 ? `${options.streamRate} questions a second` : 'one question after another'}; ${uptime()}`);
    let memory = new ProcSampler(service.pid, 1000);
    let topics = await seedCorpus(service, CORPUS, options.documents);
    // Warm: the BM25 and vector snapshots load on the first questions.
    await questionStream(service, topics, 900, (asked) => asked >= 5);

    latency.ms = LOAD_LATENCY_MS;
    const loadCpuBefore = threadCpu(service.pid);
    const benchCpuBefore = process.cpuUsage();
    const run = await runClosedLoop({ service, provider, corpus: CORPUS, topics, clients: options.clients, warmupSeconds: options.warmup, seconds: options.seconds, streamingShare: 0.5 });
    latency.ms = 0;
    const figures = figuresOf(run);
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const load = {
      p99OverheadMs: round(figures.overhead.p99),
      errors: figures.errors,
      requests: figures.requests,
      uptime: uptime(),
      cpuByThreadSeconds: cpuDelta(loadCpuBefore, threadCpu(service.pid)),
      // The clients and the fake provider run in this process, on the same cores as the service.
      benchProcessCpuSeconds: round((benchCpu.user + benchCpu.system) / 1e6, 2),
    };
    console.log(`  load: ${options.clients} clients, ${figures.requests} answers, overhead p50 ${round(figures.overhead.p50)} p99 ${load.p99OverheadMs} ms (${load.errors} errors); ${load.uptime}`);
    console.log(
      `  CPU s by thread under load: ${Object.entries(load.cpuByThreadSeconds).map(([name, seconds]) => `${name} ${seconds}`).join(', ')}; the bench's own process (clients, fake provider) ${load.benchProcessCpuSeconds}`,
    );

    if (streamGenerator === 'local') {
      memory.stop();
      const loadPeakRssMb = memory.peakRssMb;
      await service.stop();
      await provider.close();
      ({ provider, latency, service } = await startStallService(mode, 'local', 'streams'));
      console.log(`  (load phase's service: peak RSS ${round(loadPeakRssMb)} MB) questions from here on: service pid ${service.pid}, local generator; ${uptime()}`);
      memory = new ProcSampler(service.pid, 1000);
      topics = await seedCorpus(service, CORPUS, options.documents);
      await questionStream(service, topics, 900, (asked) => asked >= 5);
    }
    const scraper = new MetricsScraper(service.url, 2000);
    await scraper.scrape();
    const idleFrom = scraper.windows.length;
    const idle = { ...(await questionStream(service, topics, 901, (asked) => asked >= options.questions)), uptime: uptime() };
    await scraper.scrape();
    const idleWindows = scraper.windows.slice(idleFrom);
    console.log(`  idle: ${options.questions} questions p50 ${idle.p50} p95 ${idle.p95} max ${idle.max} ms (${idle.errors} errors); ${idle.uptime}`);

    await scraper.scrape();
    const ingestFrom = scraper.windows.length;
    const cpuBefore = threadCpu(service.pid);
    const cacheBefore = await cacheEvents(service);
    const uploadedAt = performance.now();
    const jobId = await uploadPdf(service, args.pdf);
    let done: { state: string; at: number } | undefined;
    const poll = (async () => {
      for (;;) {
        const response = await http(`${service.url}/v1/jobs/${jobId}`, { headers: bearer(service.key) });
        const job = response.status === 200 ? jobView.parse(JSON.parse(response.body)) : undefined;
        if (job && (job.state === 'completed' || job.state === 'failed')) {
          done = { state: job.state, at: performance.now() };
          return;
        }
        await sleep(250);
      }
    })();
    const stopAsking = () => args['quiet-ingest'] || done !== undefined;
    const ingesting = { ...(await questionStream(service, topics, 902, stopAsking, options.streamRate)), uptime: uptime() };
    await poll;
    const cpuAfter = threadCpu(service.pid);
    const cacheAfter = await cacheEvents(service);
    const cacheWhileIngesting = Object.fromEntries([...cacheAfter].map(([event, count]) => [event, count - (cacheBefore.get(event) ?? 0)]));
    memory.stop();
    await scraper.scrape();
    await scraper.stop();
    if (done?.state !== 'completed') throw new Error(`the PDF's job ended ${done?.state}`);
    const ingestionSeconds = round((done.at - uploadedAt) / 1000);
    const ingestWindows = scraper.windows.slice(ingestFrom);
    const worst = (windows: typeof ingestWindows, pick: (window: (typeof ingestWindows)[number]) => number) => round(Math.max(...windows.map(pick).filter(Number.isFinite)));
    const cpuByThreadSeconds = cpuDelta(cpuBefore, cpuAfter);
    const result: ModeResult = {
      mode,
      idle,
      load,
      ingesting,
      ingestionSeconds,
      eventLoop: { idleP99Ms: worst(idleWindows, (window) => window.lagP99Ms), ingestingP99Ms: worst(ingestWindows, (window) => window.lagP99Ms), ingestingMaxMs: worst(ingestWindows, (window) => window.lagMaxMs) },
      cpuByThreadSeconds,
      cacheWhileIngesting,
      peakRssMb: round(memory.peakRssMb),
      embedder: EMBEDDER,
    };
    console.log(`  ingesting: ${ingesting.count} questions p50 ${ingesting.p50} p95 ${ingesting.p95} max ${ingesting.max} ms (${ingesting.errors} errors); PDF ingested in ${ingestionSeconds} s; ${ingesting.uptime}`);
    console.log(`  slowest answers while ingesting (ms, at s after the upload was accepted): ${ingesting.slowest.map((sample) => `${sample.ms} at ${sample.atS}`).join(', ')}`);
    console.log(`  event-loop delay: idle worst-window p99 ${result.eventLoop.idleP99Ms} ms; ingesting worst-window p99 ${result.eventLoop.ingestingP99Ms} ms, max ${result.eventLoop.ingestingMaxMs} ms`);
    // Where the stalls fall, as for the slowest answers: a window's figures are those of the 2 s before its end.
    const worstWindows = [...ingestWindows].filter((window) => Number.isFinite(window.lagP99Ms)).sort((a, b) => b.lagP99Ms - a.lagP99Ms).slice(0, 3);
    console.log(`  worst event-loop windows while ingesting (p99 / max ms, window ending at s after the upload was accepted): ${worstWindows.map((window) => `${round(window.lagP99Ms)} / ${round(window.lagMaxMs)} at ${round((scraper.startedAt + window.atMs - uploadedAt) / 1000)}`).join(', ')}`);
    console.log(`  peak RSS ${result.peakRssMb} MB`);
    console.log(`  in-memory copies while ingesting: ${Object.entries(cacheWhileIngesting).map(([event, count]) => `${event} ${count}`).join(', ')}`);
    console.log(`  CPU s by thread while ingesting: ${Object.entries(cpuByThreadSeconds).map(([name, seconds]) => `${name} ${seconds}`).join(', ')}`);
    failed = false;
    return result;
  } finally {
    await service.stop({ keepLogs: failed });
    if (failed) console.log(`  service logs kept in ${service.logDir}`);
    await provider.close();
  }
}

function printTable(results: ModeResult[]): void {
  const rows: [string, (result: ModeResult) => string | number, string][] = [
    ['idle answer p50/p95/max ms', (r) => `${r.idle.p50}/${r.idle.p95}/${r.idle.max}`, ''],
    ['ingesting answer p50/p95/max ms', (r) => `${r.ingesting.p50}/${r.ingesting.p95}/${r.ingesting.max}`, 'p95 ≤ 60, max ≤ 250'],
    ['  questions answered while ingesting', (r) => `${r.ingesting.count} (${r.ingesting.errors} errors)`, ''],
    ['event-loop delay p99 ingesting ms', (r) => r.eventLoop.ingestingP99Ms, '≤ 30'],
    ['event-loop delay max ingesting ms', (r) => r.eventLoop.ingestingMaxMs, ''],
    [`idle ${options.clients}-client overhead p99 ms`, (r) => r.load.p99OverheadMs, '≤ 60'],
    ['PDF ingestion s', (r) => r.ingestionSeconds, '≤ off × 1.1'],
    ['CPU s main thread while ingesting', (r) => r.cpuByThreadSeconds.main ?? 0, ''],
    ['CPU s PGlite thread while ingesting', (r) => r.cpuByThreadSeconds['attest-pglite'] ?? 0, ''],
    ['peak RSS MB', (r) => r.peakRssMb, ''],
    ['1-min load average idle/load/ingesting', (r) => [r.idle, r.load, r.ingesting].map((phase) => phase.uptime.split(' ')[1]).join(' / '), ''],
  ];
  console.log(`\n${'figure'.padEnd(40)} ${results.map((r) => `PGLITE_WORKER=${r.mode}`.padEnd(24)).join(' ')} target`);
  for (const [label, pick, target] of rows) console.log(`${label.padEnd(40)} ${results.map((r) => String(pick(r)).padEnd(24)).join(' ')} ${target}`);
  console.log('(a shared machine: read the figures beside their load averages)');
}

const results: ModeResult[] = [];
for (const mode of options.modes) results.push(await runMode(mode));
printTable(results);
if (args.json) writeFileSync(args.json, JSON.stringify(results, null, 2));
