/**
 * Local neural model benchmark (not a test: it prints figures). Loads the embedded default's embedder
 * (bge-small-en-v1.5 int8 from MODELS_DIR, ONNX Runtime in ONNX_WORKERS worker threads) and measures, on
 * SciFact text (development data):
 *
 * - memory: RSS before the model is loaded, after, and the peak while it embeds (target: +300 MB at most);
 * - query embedding alone: p50/p95 of one query at a time, as an answer asks (target p95 ≤ 15 ms on 2 cores);
 * - document embedding: chunks/s over `--docs` SciFact abstracts in calls of 64, four calls in flight (as
 *   ingestion sends them), while a query arrives every 50 ms: that query's p50/p95 (queries jump the pool's
 *   queue) and the main thread's event-loop delay p99/max (target p99 ≤ 30 ms: inference is off the loop);
 * - CPU seconds by thread (Linux /proc/self/task), so "off the event loop" is seen, not assumed.
 *
 *   MODELS_DIR=~/.cache/attest-models npm run bench -- local-models [--beir ../shared/datasets/scifact]
 *       [--queries 200] [--docs 2000] [--workers 2] [--query-lanes 2] [--token-budget N] [--texts-per-job N] [--no-query-lane]
 *
 * The machine's load changes every figure: the bench prints the load average beside them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { defaultModelsDir } from '../../src/core/providers/onnx/model-files';
import { BGE_SMALL_EN_V15_Q } from '../../src/core/providers/onnx/catalog';
import { OnnxEmbedder } from '../../src/core/providers/onnx/onnx-embedder';
import { loadBeir } from '../beir';

const { values: args } = parseArgs({
  options: {
    beir: { type: 'string', default: '../shared/datasets/scifact' },
    split: { type: 'string', default: 'train' },
    queries: { type: 'string', default: '200' },
    docs: { type: 'string', default: '2000' },
    workers: { type: 'string', default: process.env.ONNX_WORKERS ?? '2' },
    'query-lanes': { type: 'string', default: process.env.ONNX_QUERY_LANES ?? '2' },
    /** The pool's batching, to compare settings side by side (defaults: the pool's). */
    'token-budget': { type: 'string' },
    'texts-per-job': { type: 'string' },
    /** Without the pool's query lane (every worker takes documents), to compare. */
    'no-query-lane': { type: 'boolean', default: false },
  },
});

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const load = () => loadavg().map((value) => value.toFixed(1)).join(' ');

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** CPU seconds per thread (utime + stime from /proc/self/task/<tid>/stat; clock ticks of 100 Hz). */
function cpuByThread(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
      // Node names its worker threads "node" like the main one: the thread id tells them apart.
      out.set(Number(tid) === process.pid ? `${name} (main)` : `${name} #${tid}`, seconds);
    }
  } catch {
    // Not Linux: no per-thread figures.
  }
  return out;
}

async function main(): Promise<void> {
  const modelsDir = path.resolve(defaultModelsDir(process.env));
  const dataset = await loadBeir(args.beir, args.split);
  const queries = [...dataset.queries.values()].slice(0, Number(args.queries)).map((query) => query.text);
  const docs = [...dataset.corpus.values()].slice(0, Number(args.docs)).map((doc) => `${doc.title}\n${doc.text}`);
  console.log(`local-models bench: ${BGE_SMALL_EN_V15_Q.id} from ${modelsDir}, ${args.workers} workers, up to ${args['query-lanes']} query lanes; ${queries.length} queries, ${docs.length} documents (SciFact ${args.split}, development data)`);

  const rssBefore = process.memoryUsage().rss;
  const loadStarted = performance.now();
  const embedder = await OnnxEmbedder.open(BGE_SMALL_EN_V15_Q, modelsDir, {
    workers: Number(args.workers),
    ...(args['token-budget'] ? { tokenBudget: Number(args['token-budget']) } : {}),
    ...(args['texts-per-job'] ? { textsPerJob: Number(args['texts-per-job']) } : {}),
    queryLane: !args['no-query-lane'],
    queryLanes: Number(args['query-lanes']),
  });
  const loadMs = performance.now() - loadStarted;
  const rssLoaded = process.memoryUsage().rss;
  let peakRss = rssLoaded;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    // Warm-up: the first runs of a session allocate its arenas.
    for (const query of queries.slice(0, 10)) await embedder.embed([query], { inputType: 'query' });

    const alone: number[] = [];
    for (const query of queries) {
      const started = performance.now();
      await embedder.embed([query], { inputType: 'query' });
      alone.push(performance.now() - started);
    }

    const cpuBefore = cpuByThread();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const during: number[] = [];
    let embedding = true;
    const querying = (async () => {
      let next = 0;
      while (embedding) {
        const started = performance.now();
        await embedder.embed([queries[next++ % queries.length] ?? 'query'], { inputType: 'query' });
        during.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const batches: string[][] = [];
    for (let index = 0; index < docs.length; index += 64) batches.push(docs.slice(index, index + 64));
    const embedStarted = performance.now();
    let cursor = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (cursor < batches.length) {
          const batch = batches[cursor++] ?? [];
          await embedder.embed(batch, { inputType: 'document' });
        }
      }),
    );
    const embedSeconds = (performance.now() - embedStarted) / 1000;
    embedding = false;
    await querying;
    delay.disable();
    const cpuAfter = cpuByThread();

    console.log(`\nload average at the end: ${load()}`);
    console.log(`model load: ${ms(loadMs)} (${embedder.pool.workerCounts.queryLanes} query lanes running)`);
    console.log(`memory: RSS ${mb(rssBefore)} MB before the model, ${mb(rssLoaded)} MB loaded (+${mb(rssLoaded - rssBefore)}), peak ${mb(peakRss)} MB while embedding (+${mb(peakRss - rssBefore)}; target ≤ +300)`);
    console.log(`query embedding alone (${alone.length}): p50 ${ms(percentile(alone, 50))}, p95 ${ms(percentile(alone, 95))} (target p95 ≤ 15 ms)`);
    console.log(`document embedding: ${docs.length} in ${embedSeconds.toFixed(1)} s = ${(docs.length / embedSeconds).toFixed(1)} documents/s`);
    console.log(`query embedding while documents embed (${during.length}): p50 ${ms(percentile(during, 50))}, p95 ${ms(percentile(during, 95))}`);
    console.log(`event-loop delay while documents embed: p99 ${ms(delay.percentile(99) / 1e6)}, max ${ms(delay.max / 1e6)} (target p99 ≤ 30 ms)`);
    console.log('CPU seconds by thread while documents embed:');
    const rows = [...cpuAfter].map(([name, seconds]) => [name, seconds - (cpuBefore.get(name) ?? 0)] as const).filter(([, seconds]) => seconds >= 0.05);
    for (const [name, seconds] of rows.sort((a, b) => b[1] - a[1])) console.log(`  ${name.padEnd(20)} ${seconds.toFixed(2)} s`);
  } finally {
    clearInterval(sampler);
    await embedder.close();
  }
}

await main();
