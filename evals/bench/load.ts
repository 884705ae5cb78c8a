/**
 * Answer load benchmark (issue 9; not a test: it prints figures). Starts the
 * real service as a child process (`node --import tsx src/server.ts`) with the
 * OpenAI generator pointed at the fake provider server in this process, which
 * answers every call after a fixed latency (1 s) with a verbatim quote of
 * source [1]; seeds a corpus of SciFact abstracts through the API; then runs N
 * closed-loop clients (half of them streaming, Accept: text/event-stream),
 * each asking distinct questions (no answer-cache hits), for S seconds after a
 * warm-up. Latencies count every answer that ended after the warm-up (one
 * that waited through it included); throughput counts the answers that ended
 * inside the S seconds.
 *
 *   npm run bench -- load [--clients N --seconds S] [--json FILE] [--latency 1000] [--streaming-share 0.5]
 *       [--documents 40] [--warmup 5] [--database-url URL] [--redis-url URL] [--log-level info]
 *       [--default-limits] [--env NAME=value ...] [--cpu-prof DIR]
 *
 * Without --clients it runs 50, 200 and 500 clients in turn, each against a
 * fresh service, and prints a table. With --database-url / --redis-url (or
 * DATABASE_URL / REDIS_URL in the environment) the service uses a scratch
 * database created on that PostgreSQL (dropped at the end) and BullMQ on that
 * Redis under a unique queue name (with `ingestion/worker-main.ts` as a second
 * child process for the seeding jobs); otherwise the embedded default (PGlite
 * in a temp dir, in-process jobs). Admission limits are raised out of the way
 * unless --default-limits.
 *
 * Figures per run: throughput (answers/s); overhead = client latency − the
 * provider's own time for that question (the fake server's request-read →
 * response-closed time, matched by a tag in the question; the fixed latency
 * stands in when unmatched, counted) at p50/p95/p99, also split JSON/SSE;
 * errors (anything but 2xx and the deliberate 429/503; an SSE stream that ends
 * without `done` or with `error` is one) by code; 429 and 503 counts; peak RSS
 * of the service process (VmHWM of /proc/<pid>/status); its event-loop delay
 * (prom-client's p99 and max per 2-s scrape window of /metrics, worst window;
 * monitorEventLoopDelay's figures include its 10 ms sampling interval, so an
 * idle loop reads about 10 ms);
 * its CPU per answer; the answers' own stage timings (p50/p99).
 * Targets: no errors; p99 overhead < 100 ms at 200 clients.
 *
 * --json FILE writes {"clients", "requests", "errors", "rateLimited",
 * "p50OverheadMs", "p95OverheadMs", "p99OverheadMs", "peakRssMb", ...} (an
 * array of them when several client counts ran).
 */
import { writeFileSync } from 'node:fs';
import { figuresOf, runClosedLoop, type LoadFigures } from './support/load-client';
import { cpuDelta, loadAverage, MetricsScraper, ProcSampler, seedCorpus, startFakeProvider, startService, threadCpu } from './support/load-service';
import { parseLoadArgs, UsageError, type LoadArgs } from './support/load-stats';

const CORPUS = 'load';

export interface LoadResult {
  clients: number;
  requests: number;
  errors: number;
  rateLimited: number;
  p50OverheadMs: number;
  p95OverheadMs: number;
  p99OverheadMs: number;
  peakRssMb: number;
  unavailable: number;
  errorCodes: Record<string, number>;
  throughputRps: number;
  seconds: number;
  backend: string;
  eventLoopLagP99Ms: number;
  eventLoopLagMaxMs: number;
  serviceCpuMsPerAnswer: number;
  /** The service's CPU seconds by thread over the warm-up and the run (ONNX Runtime's threads carry their worker's name). */
  serviceCpuByThreadSeconds: Record<string, number>;
  /** This process's own CPU seconds over the same time (clients and fake provider): it shares the cores. */
  benchCpuSeconds: number;
  benchLagP99Ms: number;
  loadAverage: string;
  figures: LoadFigures;
}

const round = (value: number, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);

async function runOne(args: LoadArgs, clients: number): Promise<LoadResult> {
  const provider = await startFakeProvider(args.latencyMs);
  const service = await startService({ backend: args.backend, fake: provider, label: `load-${clients}` });
  let failed = true;
  try {
    console.log(`\n${clients} clients (${Math.round(clients * args.streamingShare)} streaming), ${args.seconds} s after ${args.warmupSeconds} s warm-up; service pid ${service.pid} on ${service.backendLabel}`);
    const seedStart = performance.now();
    const topics = await seedCorpus(service, CORPUS, args.documents);
    console.log(`  seeded ${topics.length} documents in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; fake provider latency ${args.latencyMs} ms`);
    const proc = new ProcSampler(service.pid, 1000);
    const scraper = new MetricsScraper(service.url, 2000);
    const cpuBefore = proc.cpuSeconds();
    const threadsBefore = threadCpu(service.pid);
    const benchBefore = process.cpuUsage();
    const run = await runClosedLoop({ service, provider, corpus: CORPUS, topics, clients, warmupSeconds: args.warmupSeconds, seconds: args.seconds, streamingShare: args.streamingShare });
    const cpuSeconds = proc.cpuSeconds() - cpuBefore;
    const serviceCpuByThreadSeconds = cpuDelta(threadsBefore, threadCpu(service.pid));
    const benchCpu = process.cpuUsage(benchBefore);
    proc.stop();
    await scraper.stop();
    const figures = figuresOf(run);
    // The first scrape window holds the seeding and the warm-up.
    const windows = scraper.windows.slice(1);
    const worst = (pick: (window: (typeof windows)[number]) => number) => {
      const values = windows.map(pick).filter(Number.isFinite);
      return values.length > 0 ? Math.max(...values) : Number.NaN;
    };
    const result: LoadResult = {
      clients,
      requests: figures.requests,
      errors: figures.errors,
      rateLimited: figures.rateLimited,
      p50OverheadMs: round(figures.overhead.p50),
      p95OverheadMs: round(figures.overhead.p95),
      p99OverheadMs: round(figures.overhead.p99),
      peakRssMb: round(proc.peakRssMb),
      unavailable: figures.unavailable,
      errorCodes: figures.errorCodes,
      throughputRps: round(figures.throughputRps),
      seconds: args.seconds,
      backend: service.backendLabel,
      eventLoopLagP99Ms: round(worst((window) => window.lagP99Ms)),
      eventLoopLagMaxMs: round(worst((window) => window.lagMaxMs)),
      // The whole process over the whole run (warm-up included), per answer measured and warmed up alike.
      serviceCpuMsPerAnswer: round((cpuSeconds * 1000) / Math.max(1, figures.ok), 2),
      serviceCpuByThreadSeconds,
      benchCpuSeconds: round((benchCpu.user + benchCpu.system) / 1e6, 2),
      benchLagP99Ms: round(run.benchLagP99Ms),
      loadAverage: loadAverage(),
      figures,
    };
    printRun(result);
    failed = false;
    return result;
  } finally {
    await service.stop({ keepLogs: failed });
    if (failed) console.log(`  service logs kept in ${service.logDir}`);
    await provider.close();
  }
}

function printRun(result: LoadResult): void {
  const { figures } = result;
  const f = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');
  console.log(`  ${figures.requests} requests: ${figures.ok} ok (${figures.refused} refused, ${figures.cached} cached), ${result.errors} errors ${JSON.stringify(result.errorCodes)}, ${result.rateLimited} × 429, ${result.unavailable} × 503`);
  console.log(`  throughput ${f(result.throughputRps)} answers/s; client latency p50 ${f(figures.clientLatency.p50)} p99 ${f(figures.clientLatency.p99)} max ${f(figures.clientLatency.max)} ms`);
  console.log(`  overhead      p50 ${f(figures.overhead.p50)}  p95 ${f(figures.overhead.p95)}  p99 ${f(figures.overhead.p99)}  max ${f(figures.overhead.max)} ms  (provider time matched for all but ${figures.unmatchedProvider})`);
  console.log(`    JSON        p50 ${f(figures.overheadJson.p50)}  p95 ${f(figures.overheadJson.p95)}  p99 ${f(figures.overheadJson.p99)} ms (${figures.overheadJson.count})`);
  console.log(`    SSE         p50 ${f(figures.overheadStream.p50)}  p95 ${f(figures.overheadStream.p95)}  p99 ${f(figures.overheadStream.p99)} ms (${figures.overheadStream.count})`);
  const stages = Object.keys(figures.stagesP50).map((name) => `${name.replace(/Ms$/, '')} ${f(figures.stagesP50[name]!)}/${f(figures.stagesP99[name]!)}`);
  console.log(`  answer timings p50/p99 ms: ${stages.join(', ')}`);
  console.log(
    `  service: peak RSS ${f(result.peakRssMb)} MB, event-loop delay (10 ms sampling interval included) worst-window p99 ${f(result.eventLoopLagP99Ms)} ms / max ${f(result.eventLoopLagMaxMs)} ms, CPU ${result.serviceCpuMsPerAnswer} ms per answer; bench event-loop p99 ${f(result.benchLagP99Ms)} ms; load average ${result.loadAverage}`,
  );
  const threads = Object.entries(result.serviceCpuByThreadSeconds).map(([name, seconds]) => `${name} ${seconds}`);
  console.log(`  CPU s over warm-up and run: service by thread ${threads.join(', ')}; this bench (clients, fake provider) ${result.benchCpuSeconds}`);
}

function printTable(results: readonly LoadResult[]): void {
  console.log('\n| clients | answers/s | requests | errors | 429 | 503 | overhead p50 | p95 | p99 (ms) | peak RSS (MB) | loop lag p99 / max (ms) | load avg |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.clients} | ${r.throughputRps} | ${r.requests} | ${r.errors} | ${r.rateLimited} | ${r.unavailable} | ${r.p50OverheadMs} | ${r.p95OverheadMs} | ${r.p99OverheadMs} | ${r.peakRssMb} | ${r.eventLoopLagP99Ms} / ${r.eventLoopLagMaxMs} | ${r.loadAverage} |`,
    );
  }
  const at200 = results.find((r) => r.clients === 200);
  const errors = results.reduce((sum, r) => sum + r.errors, 0);
  console.log(`\ntargets: errors ${errors} (0: ${errors === 0 ? 'met' : 'MISSED'})${at200 ? `; p99 overhead at 200 clients ${at200.p99OverheadMs} ms (< 100: ${at200.p99OverheadMs < 100 ? 'met' : 'MISSED'})` : ''}`);
}

async function main(): Promise<void> {
  let args: LoadArgs;
  try {
    args = parseLoadArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`load: ${error.message}`);
    process.exit(2);
  }
  console.log(`load benchmark: ${args.backend.databaseUrl ? 'PostgreSQL' : 'PGlite (embedded)'} + ${args.backend.redisUrl ? 'Redis' : 'in-process jobs and limits'}; service LOG_LEVEL ${args.backend.logLevel}; load average ${loadAverage()}`);
  const results: LoadResult[] = [];
  for (const clients of args.clients) results.push(await runOne(args, clients));
  printTable(results);
  if (args.json) {
    const stripped = results.map(({ figures: _figures, ...rest }) => rest);
    writeFileSync(args.json, `${JSON.stringify(stripped.length === 1 ? stripped[0] : stripped, null, 2)}\n`);
    console.log(`wrote ${args.json}`);
  }
}

await main();
