/**
 * Ingestion benchmark (not a test: it prints figures). For a fixed set of real
 * PDFs (the five born-digital files of ../shared/datasets/pdfs), in one run:
 *
 *   raw       unpdf in-process: getDocumentProxy + extractText, per file
 *   pipeline  the embedded default end to end: PGlite in a temp data dir, the
 *             in-process job runner, IngestionService.upload → job completed
 *             (parse in a worker thread, normalize, chunk, local-hash embed,
 *             BM25 postings + pgvector rows)
 *
 * with pages/s and chunks/s for both, the ratio pipeline/raw (target ≤ 1.5),
 * and peak RSS while ingesting the 352-page freeculture.pdf in a fresh process
 * (target < 500 MB). RSS is process-wide, so it includes the PDF worker thread
 * and PGlite's WASM heap.
 *
 *   npx tsx evals/bench/ingestion.ts [--rounds 1] [--memory-dir] [--no-memory]
 *
 * --memory-dir keeps PGlite in memory instead of a temp data dir.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../src/core/config';
import { getCorpus } from '../../src/core/corpora';
import { jobs } from '../../src/core/db/schema';
import { ensureTenant } from '../../src/core/tenancy';
import { createContainer, type Container } from '../../src/container';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '1' },
    'memory-dir': { type: 'boolean', default: false },
    'no-memory': { type: 'boolean', default: false },
    /** Internal: the fresh-process peak-memory measurement. */
    'memory-probe': { type: 'string' },
  },
});

const PDF_DIR = resolve(import.meta.dirname, '../../../shared/datasets/pdfs');
const FILES = ['born-digital/file_pdfjs_test.pdf', 'born-digital/tracemonkey.pdf', 'born-digital/TAMReview.pdf', 'born-digital/menhir-manual.pdf', 'born-digital/freeculture.pdf'];
const BIG_FILE = 'born-digital/freeculture.pdf';
const MB = 1024 * 1024;

interface RawResult {
  file: string;
  pages: number;
  chars: number;
  ms: number;
}

interface PipelineResult {
  file: string;
  pages: number;
  chunks: number;
  ms: number;
}

async function rawExtract(file: string): Promise<RawResult> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  const bytes = new Uint8Array(readFileSync(join(PDF_DIR, file)));
  const started = performance.now();
  const pdf = await getDocumentProxy(bytes);
  const { totalPages, text } = await extractText(pdf, { mergePages: false });
  const ms = performance.now() - started;
  await pdf.loadingTask.destroy();
  return { file, pages: totalPages, chars: text.reduce((sum, page) => sum + page.length, 0), ms };
}

async function openPipeline(dataDir: string): Promise<{ container: Container; corpusName: string; tenantId: string }> {
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, PDF_TIMEOUT_MS: '120000' });
  const container = await createContainer(config);
  await container.jobs.startWorker();
  const tenant = await ensureTenant(container.store.db, 'bench');
  const corpusName = `bench-${Date.now().toString(36)}`;
  await container.services.corpora.create(tenant.id, corpusName);
  return { container, corpusName, tenantId: tenant.id };
}

async function waitForJob(container: Container, jobId: string): Promise<{ state: string; result: Record<string, unknown> | null; error: unknown }> {
  for (;;) {
    const [row] = await container.store.db.select().from(jobs).where(eq(jobs.id, jobId));
    if (row && (row.state === 'completed' || row.state === 'failed')) return { state: row.state, result: row.result as Record<string, unknown> | null, error: row.error };
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 5));
  }
}

async function pipelineIngest(pipeline: { container: Container; corpusName: string; tenantId: string }, file: string, tag: string): Promise<PipelineResult> {
  const { container } = pipeline;
  const corpus = await getCorpus(container.store.db, pipeline.tenantId, pipeline.corpusName);
  const bytes = new Uint8Array(readFileSync(join(PDF_DIR, file)));
  const started = performance.now();
  const answer = await container.services.ingestion.upload({ corpus, bytes, mime: 'application/pdf', fileName: file, externalId: `${tag}:${file}` });
  if (!answer.jobId) throw new Error(`no job for ${file}`);
  const job = await waitForJob(container, answer.jobId);
  const ms = performance.now() - started;
  if (job.state !== 'completed') throw new Error(`${file}: job ${job.state} ${JSON.stringify(job.error)}`);
  return { file, pages: Number(job.result?.pages ?? 0), chunks: Number(job.result?.chunks ?? 0), ms };
}

const pad = (value: string | number, width: number) => String(value).padStart(width);
const rate = (count: number, ms: number) => (ms > 0 ? (count / ms) * 1000 : 0);

/** Fresh process: ingest the big PDF once and sample RSS every 10 ms. Prints one JSON line. */
async function memoryProbe(file: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-bench-mem-'));
  try {
    const pipeline = await openPipeline(dataDir);
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    let peakExternal = baseline.external;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      peakRss = Math.max(peakRss, usage.rss);
      peakHeap = Math.max(peakHeap, usage.heapUsed);
      peakExternal = Math.max(peakExternal, usage.external);
    }, 10);
    const result = await pipelineIngest(pipeline, file, 'memory');
    clearInterval(sampler);
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    process.stdout.write(
      `${JSON.stringify({ file, pages: result.pages, chunks: result.chunks, ms: result.ms, baselineRss: baseline.rss, peakRss, peakHeap, peakExternal, maxRssKb: process.resourceUsage().maxRSS })}\n`,
    );
    await pipeline.container.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function runMemoryProbe(file: string): Promise<Record<string, number | string>> {
  return new Promise((resolveProbe, rejectProbe) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--memory-probe', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.on('exit', (code) => {
      const line = output.trim().split('\n').pop() ?? '';
      try {
        resolveProbe(JSON.parse(line) as Record<string, number | string>);
      } catch {
        rejectProbe(new Error(`memory probe exited ${code}: ${output}`));
      }
    });
  });
}

async function main(): Promise<void> {
  if (args['memory-probe']) return memoryProbe(args['memory-probe']);
  const rounds = Math.max(1, Number(args.rounds));
  console.log(`ingestion benchmark: ${FILES.length} born-digital PDFs, ${rounds} round(s), node ${process.version}, ${args['memory-dir'] ? 'PGlite in memory' : 'PGlite in a temp data dir'}`);

  // Warm-up: load pdf.js once in-process (the pipeline loads it per parse in its worker: that cost is counted).
  await rawExtract(FILES[0]!);

  const dataDir = args['memory-dir'] ? 'memory://' : mkdtempSync(join(tmpdir(), 'attest-bench-'));
  const pipeline = await openPipeline(dataDir);
  const raw = new Map<string, RawResult>();
  const piped = new Map<string, PipelineResult>();
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const file of FILES) {
        const r = await rawExtract(file);
        const p = await pipelineIngest(pipeline, file, `round${round}`);
        const previousRaw = raw.get(file);
        const previousPipe = piped.get(file);
        // Best of the rounds for each side.
        if (!previousRaw || r.ms < previousRaw.ms) raw.set(file, r);
        if (!previousPipe || p.ms < previousPipe.ms) piped.set(file, p);
      }
    }
  } finally {
    await pipeline.container.close();
    if (!dataDir.startsWith('memory://')) rmSync(dataDir, { recursive: true, force: true });
  }

  console.log('');
  console.log(`${'file'.padEnd(22)}${pad('pages', 6)}${pad('chunks', 8)}${pad('raw ms', 10)}${pad('pipe ms', 10)}${pad('ratio', 8)}${pad('raw p/s', 10)}${pad('pipe p/s', 10)}${pad('pipe c/s', 10)}`);
  let totals = { pages: 0, chunks: 0, raw: 0, pipe: 0 };
  for (const file of FILES) {
    const r = raw.get(file)!;
    const p = piped.get(file)!;
    if (r.pages !== p.pages) console.log(`  note: ${file} raw pages ${r.pages} vs pipeline ${p.pages}`);
    totals = { pages: totals.pages + p.pages, chunks: totals.chunks + p.chunks, raw: totals.raw + r.ms, pipe: totals.pipe + p.ms };
    console.log(
      `${file.replace('born-digital/', '').padEnd(22)}${pad(p.pages, 6)}${pad(p.chunks, 8)}${pad(r.ms.toFixed(0), 10)}${pad(p.ms.toFixed(0), 10)}${pad((p.ms / r.ms).toFixed(2), 8)}` +
        `${pad(rate(r.pages, r.ms).toFixed(0), 10)}${pad(rate(p.pages, p.ms).toFixed(0), 10)}${pad(rate(p.chunks, p.ms).toFixed(0), 10)}`,
    );
  }
  console.log(
    `${'total'.padEnd(22)}${pad(totals.pages, 6)}${pad(totals.chunks, 8)}${pad(totals.raw.toFixed(0), 10)}${pad(totals.pipe.toFixed(0), 10)}${pad((totals.pipe / totals.raw).toFixed(2), 8)}` +
      `${pad(rate(totals.pages, totals.raw).toFixed(0), 10)}${pad(rate(totals.pages, totals.pipe).toFixed(0), 10)}${pad(rate(totals.chunks, totals.pipe).toFixed(0), 10)}`,
  );
  console.log('');
  console.log(`raw unpdf:  ${rate(totals.pages, totals.raw).toFixed(1)} pages/s, ${rate(totals.chunks, totals.raw).toFixed(1)} chunks/s (chunks of the pipeline over raw time)`);
  console.log(`pipeline:   ${rate(totals.pages, totals.pipe).toFixed(1)} pages/s, ${rate(totals.chunks, totals.pipe).toFixed(1)} chunks/s`);
  console.log(`ratio pipeline/raw: ${(totals.pipe / totals.raw).toFixed(2)} (target ≤ 1.5)`);

  if (!args['no-memory']) {
    const probe = await runMemoryProbe(BIG_FILE);
    console.log('');
    console.log(
      `peak memory ingesting ${BIG_FILE} (${probe.pages} pages, ${probe.chunks} chunks, ${Number(probe.ms).toFixed(0)} ms) in a fresh process: ` +
        `RSS ${(Number(probe.peakRss) / MB).toFixed(0)} MB (baseline after start ${(Number(probe.baselineRss) / MB).toFixed(0)} MB; getrusage maxRSS ${(Number(probe.maxRssKb) / 1024).toFixed(0)} MB), ` +
        `main-thread heap ${(Number(probe.peakHeap) / MB).toFixed(0)} MB, external ${(Number(probe.peakExternal) / MB).toFixed(0)} MB (target RSS < 500 MB)`,
    );
  }
}

await main();
