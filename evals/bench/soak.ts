/**
 * Soak benchmark (issue 9; not a test: it prints figures). The service of
 * evals/bench/load.ts (a child process, fake OpenAI with a fixed 1 s latency,
 * a seeded corpus, distinct questions, half the clients streaming) under
 * steady closed-loop load for --minutes, sampling the service's RSS
 * (/proc/<pid>/status) and V8 heap in use (/metrics) every --sample-seconds.
 *
 *   npm run bench -- soak [--minutes 5] [--warmup-minutes 0] [--clients 50] [--sample-seconds 5] [--max-slope 1]
 *       [--json FILE] [--database-url URL] [--redis-url URL] [--env NAME=value ...]
 *
 * Memory is "flat" (the verdict, PASS/FAIL and the exit code) when two
 * least-squares slopes are below --max-slope MB/min (default 1 MB/min: a leak
 * of 1 KB per answer at 50 answers/s would be about 3 MB/min): the V8 old
 * generation in use just after each full GC (the service's
 * attest_nodejs_heap_retained_after_full_gc_bytes), and the floor of RSS minus
 * the committed heap (memory outside the JavaScript heap). What the process
 * keeps is one or the other. RSS itself is printed (its floor's slope too) but
 * does not decide: it also holds the garbage between collections, and V8
 * resizes the room it leaves for that after every full GC, so RSS floors move
 * by 50-100 MB from minute to minute while the retained heap is flat. Without
 * --warmup-minutes the first half is left out of the fits: it holds the warm-up
 * (JIT, the in-process answer cache and pools filling up to their bounds).
 * Floors, not every sample: between major GCs memory climbs by a few hundred
 * MB of garbage and falls back, and over a few minutes that sawtooth's phase
 * would decide a plain slope (see memoryTrend). Prints the plain slopes, first/
 * last/max RSS and a per-minute table (answers/s, overhead p99, errors, RSS,
 * heap in use, committed and retained, external memory, RSS minus committed).
 *
 * --warmup-minutes W runs the same load for W minutes first and leaves them out:
 * the figures count the measured minutes only, and the memory fit takes all of
 * them (not their second half). A cold service grows its V8 heap and pools for
 * its first several minutes under load, so a 5-minute run from cold ends
 * inside that growth.
 */
import { writeFileSync } from 'node:fs';
import { figuresOf, runClosedLoop, type RequestRecord } from './support/load-client';
import { heapSamples, loadAverage, MetricsScraper, ProcSampler, seedCorpus, startFakeProvider, startService } from './support/load-service';
import { memoryTrend, parseSoakArgs, summarize, UsageError, type SoakArgs } from './support/load-stats';

const CORPUS = 'soak';

async function main(): Promise<void> {
  let args: SoakArgs;
  try {
    args = parseSoakArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`soak: ${error.message}`);
    process.exit(2);
  }
  const provider = await startFakeProvider(args.latencyMs);
  const service = await startService({ backend: args.backend, fake: provider, label: 'soak' });
  let failed = true;
  try {
    const warmup = args.warmupMinutes > 0 ? ` after ${args.warmupMinutes} min of warm-up` : '';
    console.log(`soak: ${args.clients} clients (half streaming) for ${args.minutes} min${warmup} on ${service.backendLabel}; service pid ${service.pid}; load average ${loadAverage()}`);
    const topics = await seedCorpus(service, CORPUS, args.documents);
    console.log(`  seeded ${topics.length} documents; fake provider latency ${args.latencyMs} ms; sampling every ${args.sampleSeconds} s`);
    const proc = new ProcSampler(service.pid, args.sampleSeconds * 1000);
    const scraper = new MetricsScraper(service.url, args.sampleSeconds * 1000);
    const started = performance.now();
    let nextReport = 30_000;
    const onTick = (records: readonly RequestRecord[]) => {
      const elapsed = performance.now() - started;
      if (elapsed < nextReport) return;
      nextReport += 30_000;
      const last = proc.samples.at(-1);
      const heap = scraper.windows.at(-1)?.heapUsedMb;
      const errors = records.filter((record) => record.outcome.kind === 'error').length;
      console.log(`  ${(elapsed / 1000).toFixed(0).padStart(4)} s  ${records.length} answers, ${errors} errors, RSS ${last?.rssMb.toFixed(1)} MB, heap ${heap?.toFixed(1)} MB`);
    };
    const run = await runClosedLoop({
      service,
      provider,
      corpus: CORPUS,
      topics,
      clients: args.clients,
      warmupSeconds: args.warmupMinutes * 60,
      seconds: args.minutes * 60,
      streamingShare: 0.5,
      onTick,
    });
    proc.stop();
    await scraper.stop();
    const figures = figuresOf(run);
    const fitFromMs = args.warmupMinutes > 0 ? args.warmupMinutes * 60_000 : undefined;
    const rss = memoryTrend(proc.samples, args.maxSlopeMbPerMin, undefined, fitFromMs);
    const heap = memoryTrend(heapSamples(scraper), args.maxSlopeMbPerMin, undefined, fitFromMs);

    // Committed heap and external memory beside RSS: when RSS moves and the heap in use does not, they say which part moved.
    console.log('\n| minute | answers/s | overhead p99 (ms) | errors | RSS min / mean (MB) | heap used min / mean (MB) | heap committed min / mean (MB) | external min / mean (MB) | retained after full GC min / max (MB) | RSS − committed heap min / mean (MB) |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    const totalMinutes = args.warmupMinutes + args.minutes;
    for (let minute = 0; minute < Math.ceil(totalMinutes); minute++) {
      const from = started + minute * 60_000;
      const to = from + 60_000;
      const inMinute = run.records.filter((record) => record.startedAt >= from && record.startedAt < to);
      const ok = inMinute.filter((record) => record.outcome.kind === 'ok');
      const span = Math.min(60, totalMinutes * 60 - minute * 60);
      const minMean = (values: number[]) =>
        values.length ? `${Math.min(...values).toFixed(1)} / ${(values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(1)}` : '-';
      const rssCell = minMean(proc.samples.filter((sample) => sample.atMs >= minute * 60_000 && sample.atMs < (minute + 1) * 60_000).map((sample) => sample.rssMb));
      const windows = scraper.windows.filter((window) => window.atMs >= minute * 60_000 && window.atMs < (minute + 1) * 60_000);
      const retained = windows.map((window) => window.retainedMb).filter(Number.isFinite);
      const heapCells = [
        minMean(windows.map((window) => window.heapUsedMb)),
        minMean(windows.map((window) => window.heapTotalMb)),
        minMean(windows.map((window) => window.externalMb)),
        retained.length ? `${Math.min(...retained).toFixed(1)} / ${Math.max(...retained).toFixed(1)}` : '-',
        minMean(windows.map((window) => window.rssMb - window.heapTotalMb)),
      ];
      console.log(`| ${minute + 1}${minute < args.warmupMinutes ? ' (warm-up)' : ''} | ${(ok.length / span).toFixed(1)} | ${summarize(ok.map((record) => record.overheadMs ?? Number.NaN)).p99.toFixed(1)} | ${inMinute.length - ok.length} | ${rssCell} | ${heapCells.join(' | ')} |`);
    }
    console.log(
      `\n${figures.requests} requests: ${figures.errors} errors ${JSON.stringify(figures.errorCodes)}, ${figures.rateLimited} × 429, ${figures.unavailable} × 503; overhead p50 ${figures.overhead.p50.toFixed(1)} p99 ${figures.overhead.p99.toFixed(1)} ms; ${figures.throughputRps.toFixed(1)} answers/s`,
    );
    console.log(`RSS: first ${rss.firstRssMb.toFixed(1)} MB, last ${rss.lastRssMb.toFixed(1)} MB, max ${rss.maxRssMb.toFixed(1)} MB, peak (VmHWM) ${proc.peakRssMb.toFixed(1)} MB`);
    console.log(
      `slopes over ${fitFromMs === undefined ? 'the second half' : 'the measured minutes'}: floor (minima of the 60 s around each sample) RSS ${rss.rssFloorSlopeMbPerMin.toFixed(2)} MB/min, heap used ${heap.heapFloorSlopeMbPerMin.toFixed(2)} MB/min; every sample (${rss.samplesInFit}) RSS ${rss.rssSlopeMbPerMin.toFixed(2)} MB/min, heap used ${heap.heapSlopeMbPerMin.toFixed(2)} MB/min (${heap.samplesInFit} scrapes, ${scraper.failures} failed)`,
    );
    console.log(`retained heap after full GCs ${heap.retainedSlopeMbPerMin.toFixed(2)} MB/min; RSS − committed heap floor ${heap.offHeapFloorSlopeMbPerMin.toFixed(2)} MB/min`);
    console.log(`RSS floor slope < ${args.maxSlopeMbPerMin} MB/min: ${rss.flat ? 'yes' : 'no'} (not the verdict: RSS follows V8's resizing of its heap after each full GC)`);
    console.log(
      `memory flat (retained heap after full GCs and RSS − committed heap each grow < ${args.maxSlopeMbPerMin} MB/min): ${heap.retainedFlat ? 'PASS' : 'FAIL'}; load average ${loadAverage()}`,
    );
    if (args.json) {
      const result = {
        clients: args.clients,
        minutes: args.minutes,
        warmupMinutes: args.warmupMinutes,
        backend: service.backendLabel,
        requests: figures.requests,
        errors: figures.errors,
        errorCodes: figures.errorCodes,
        rateLimited: figures.rateLimited,
        unavailable: figures.unavailable,
        throughputRps: figures.throughputRps,
        p50OverheadMs: figures.overhead.p50,
        p95OverheadMs: figures.overhead.p95,
        p99OverheadMs: figures.overhead.p99,
        peakRssMb: proc.peakRssMb,
        firstRssMb: rss.firstRssMb,
        lastRssMb: rss.lastRssMb,
        rssFloorSlopeMbPerMin: rss.rssFloorSlopeMbPerMin,
        heapFloorSlopeMbPerMin: heap.heapFloorSlopeMbPerMin,
        rssSlopeMbPerMin: rss.rssSlopeMbPerMin,
        heapSlopeMbPerMin: heap.heapSlopeMbPerMin,
        maxSlopeMbPerMin: args.maxSlopeMbPerMin,
        flat: heap.retainedFlat,
        rssFloorFlat: rss.flat,
        retainedSlopeMbPerMin: heap.retainedSlopeMbPerMin,
        offHeapFloorSlopeMbPerMin: heap.offHeapFloorSlopeMbPerMin,
        rssSamples: proc.samples,
        heapSamples: scraper.windows.map((window) => ({
          atMs: window.atMs,
          heapUsedMb: window.heapUsedMb,
          heapTotalMb: window.heapTotalMb,
          externalMb: window.externalMb,
          rssMb: window.rssMb,
          retainedMb: window.retainedMb,
        })),
        loadAverage: loadAverage(),
      };
      writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`wrote ${args.json}`);
    }
    failed = false;
    if (!heap.retainedFlat) process.exitCode = 1;
  } finally {
    await service.stop({ keepLogs: failed });
    if (failed) console.log(`service logs kept in ${service.logDir}`);
    await provider.close();
  }
}

await main();
