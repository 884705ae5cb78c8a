/**
 * Answer overhead benchmark (not a test: it prints figures). The embedded
 * default (PGlite in a temp dir, local-hash embeddings, BM25 + pgvector, local
 * reranker) with the OpenAI generator pointed at the fake provider server,
 * which answers after a fixed latency:
 *
 *   1. ingests SciFact abstracts through the ingestion service (at a small
 *      CHUNK_TARGET_TOKENS, to reach about 10K chunks);
 *   2. asks SciFact claims through the HTTP API (fastify inject, in-process):
 *      service overhead = request time − the provider's own time (from the
 *      fake server: request received → response closed, summed over the calls
 *      of that answer), p50/p95, with the per-stage timings of the answers;
 *   3. asks the same questions again: cache-hit latency p50/p95;
 *   4. assembles the same retrieved candidates twice, with the chunker's token
 *      counts (what the service does) and re-tokenizing every source (before).
 *
 * Targets (issue 5): overhead p95 < 20 ms at 10K chunks; cache hit p95 < 5 ms.
 *
 *   npx tsx evals/bench/answer-overhead.ts [--docs 5183] [--chunk-tokens 200] [--latency 50]
 *       [--questions 200] [--warmup 20] [--concurrency 4] [--data-dir DIR] [--cpu-prof FILE]
 *
 * All 5,183 SciFact abstracts at CHUNK_TARGET_TOKENS 200 make about 11.5K
 * chunks; ingesting them takes minutes, so --data-dir keeps the seeded store
 * for the next run.
 *
 * The fake provider quotes the first sentence of source [1] verbatim, so
 * answers verify and no repair call is made (repairs are counted if any).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { CachedBm25Index } from '../../indexes/postgres/cached-bm25-index';
import { CachedVectorIndex } from '../../indexes/postgres/cached-vector-index';
import { buildApp } from '../../src/api/app';
import { openStore } from '../../src/core/db/client';
import { normalizeQuestion } from '../../src/query/answer-cache';
import { createApiKey } from '../../src/core/tenancy';
import { assembleContext } from '../../src/query/assemble';
import { loadPrompt } from '../../src/query/prompts';
import { startFakeProviders } from '../../test/fake-providers/server';
import { readCorpus, readQueries } from '../beir';
import { ingestTexts, openHarness } from '../harness';

const { values: args } = parseArgs({
  options: {
    docs: { type: 'string', default: '5183' },
    'chunk-tokens': { type: 'string', default: '200' },
    latency: { type: 'string', default: '50' },
    questions: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '4' },
    /** Keep the seeded PGlite store here and reuse it on the next run (ingestion takes minutes). */
    'data-dir': { type: 'string' },
    verbose: { type: 'boolean', default: false },
    /** Write a V8 CPU profile of the fresh answers (only them: not seeding, warm-up or cache hits) to this file. */
    'cpu-prof': { type: 'string' },
    dataset: { type: 'string', default: join(import.meta.dirname, '../../../shared/datasets/scifact') },
  },
});
const DOCS = Number(args.docs);
const LATENCY_MS = Number(args.latency);
const QUESTIONS = Number(args.questions);
const WARMUP = Number(args.warmup);

function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

function report(label: string, samples: readonly number[]): void {
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  console.log(
    `${label.padEnd(26)} p50 ${percentile(samples, 0.5).toFixed(2).padStart(8)} ms   p95 ${percentile(samples, 0.95).toFixed(2).padStart(8)} ms   mean ${mean.toFixed(2).padStart(8)} ms`,
  );
}

/** Source [1]'s first sentence, unescaped: a verbatim quote the verifier accepts. */
function firstSentenceOfSource(body: unknown): string | undefined {
  const messages = (body as { messages?: { role: string; content: string }[] }).messages ?? [];
  const user = messages.find((message) => message.role === 'user')?.content ?? '';
  const match = /<source id="1"[^>]*>\n([\s\S]*?)\n<\/source>/.exec(user);
  if (!match?.[1]) return undefined;
  const text = match[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const sentence = /^[\s\S]*?[.!?](?=\s|$)/.exec(text.trim())?.[0] ?? text.trim();
  return sentence.slice(0, 400).trim();
}

const CORPUS = 'bench-scifact';

/** A V8 CPU profile of this process from now until `stop` (node:inspector, 0.1 ms sampling). */
async function startProfiler(): Promise<{ stop(): Promise<unknown> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

async function main(): Promise<void> {
  const fake = await startFakeProviders();
  fake.script('openai.chat', ({ body }) => {
    const sentence = firstSentenceOfSource(body);
    return sentence
      ? { answer: { refused: false, sentences: [{ text: sentence, citations: [{ source: 1, quote: sentence }] }] }, latencyMs: LATENCY_MS }
      : { answer: { refused: true, refusalReason: 'no sources', sentences: [] }, latencyMs: LATENCY_MS };
  });
  const env = {
    GENERATORS: 'openai',
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: fake.openaiBaseURL,
    CHUNK_TARGET_TOKENS: args['chunk-tokens'],
    CHUNK_OVERLAP_TOKENS: '0',
    RATE_LIMIT_QUERY_PER_MINUTE: '1000000',
    TOKENS_PER_MINUTE: '1000000000',
    DAILY_TOKEN_BUDGET: '1000000000',
  };
  // A reused store still holds the answers of the last run: gone before the service starts, as a fresh
  // store's would be (the embedded answer cache lists the keys it holds at start).
  if (args['data-dir'] && existsSync(join(args['data-dir'], 'pglite'))) {
    const previous = await openStore({ dataDir: args['data-dir'] });
    await previous.query(sql`DELETE FROM answer_cache`);
    await previous.close();
  }
  const harness = await openHarness({ env, dataDir: args['data-dir'], concurrency: Number(args.concurrency), corpusName: CORPUS });
  try {
    const { store } = harness.container;
    const chunksIn = async () => {
      const [row] = await store.query<{ chunks: string; documents: string }>(
        sql`SELECT (SELECT count(*) FROM chunks WHERE corpus_id = ${harness.corpus.id})::text AS chunks, (SELECT count(*) FROM documents WHERE corpus_id = ${harness.corpus.id})::text AS documents`,
      );
      return { chunks: Number(row?.chunks ?? 0), documents: Number(row?.documents ?? 0) };
    };
    let counts = await chunksIn();
    if (counts.documents === 0) {
      const loadStart = performance.now();
      let loaded = 0;
      async function* documents() {
        for await (const document of readCorpus(join(args.dataset, 'corpus.jsonl'))) {
          if (loaded++ >= DOCS) return;
          yield { externalId: document.id, title: document.title, text: document.text };
        }
      }
      await ingestTexts(harness, documents(), (count) => console.log(`  uploaded ${count} documents`));
      console.log(`ingested in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
      counts = await chunksIn();
    } else {
      console.log(`reusing the seeded store in ${args['data-dir']}`);
    }
    console.log(
      `answer-overhead: ${counts.documents} documents, ${counts.chunks} chunks (CHUNK_TARGET_TOKENS ${args['chunk-tokens']}) on PGlite; fake OpenAI latency ${LATENCY_MS} ms`,
    );

    const app = await buildApp(harness.container);
    const { key } = await createApiKey(store.db, { tenantId: harness.corpus.tenantId, name: 'bench', scopes: ['query'] });
    // SciFact repeats some claims: distinct questions only, so that every measured answer is fresh.
    const questions: string[] = [];
    const seen = new Set<string>();
    for await (const query of readQueries(join(args.dataset, 'queries.jsonl'))) {
      if (seen.has(normalizeQuestion(query.text))) continue;
      seen.add(normalizeQuestion(query.text));
      questions.push(query.text);
      if (questions.length >= WARMUP + QUESTIONS) break;
    }

    const ask = async (question: string) => {
      const callsBefore = fake.calls.length;
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      const response = await app.inject({
        method: 'POST',
        url: `/v1/corpora/${encodeURIComponent(harness.corpus.name)}/answers`,
        headers: { authorization: `Bearer ${key}` },
        payload: { question },
      });
      const totalMs = performance.now() - start;
      const cpu = process.cpuUsage(cpuStart);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      if (response.statusCode !== 200) throw new Error(`answer failed: ${response.statusCode} ${response.body}`);
      const calls = fake.calls.slice(callsBefore);
      const providerMs = calls.reduce((sum, call) => sum + ((call.closedAt ?? call.receivedAt) - call.receivedAt), 0);
      return { totalMs, providerMs, cpuMs, calls: calls.length, body: response.json() as { cached: boolean; refused: boolean; refusalReason: string | null; timings: Record<string, number> } };
    };

    for (const question of questions.slice(0, WARMUP)) await ask(question);
    // A long-running service has its BM25 (and, on PGlite, vector) snapshots loaded (the first query starts the loads in the background).
    const { lexical, vectors } = harness.container;
    for (const [name, index] of [['BM25', lexical], ['vector', vectors]] as const) {
      if (!(index instanceof CachedBm25Index || index instanceof CachedVectorIndex) || !harness.corpus.activeBuildId) continue;
      const loadStart = performance.now();
      await index.warm({ tenantId: harness.corpus.tenantId, corpusId: harness.corpus.id, buildId: harness.corpus.activeBuildId });
      console.log(`${name} snapshot of the build in memory after warm-up (+${((performance.now() - loadStart) / 1000).toFixed(1)} s)`);
    }
    // Likewise the chunk rows of the build (copied in the background after the first search).
    const rowsStart = performance.now();
    await harness.container.services.search.warmRows(harness.corpus);
    console.log(`chunk rows of the build in memory after warm-up (+${((performance.now() - rowsStart) / 1000).toFixed(1)} s)`);
    const measured = questions.slice(WARMUP);
    const fresh = { total: [] as number[], provider: [] as number[], overhead: [] as number[], cpu: [] as number[] };
    const stages: Record<string, number[]> = { retrieveMs: [], rerankMs: [], assembleMs: [], verifyMs: [], otherMs: [] };
    let repairs = 0;
    let refusedEmpty = 0;
    let refusedOther = 0;
    const profiler = args['cpu-prof'] ? await startProfiler() : undefined;
    for (const question of measured) {
      const { totalMs, providerMs, cpuMs, calls, body } = await ask(question);
      if (body.cached) throw new Error('a measured question was a cache hit');
      if (calls > 1) repairs++;
      if (body.refusalReason === 'no_relevant_sources') refusedEmpty++;
      else if (body.refused) refusedOther++;
      if (args.verbose) console.log(`  ${totalMs.toFixed(1)} ms total, provider ${providerMs.toFixed(1)} ms, ${calls} call(s), ${JSON.stringify(body.timings)}`);
      fresh.total.push(totalMs);
      fresh.provider.push(providerMs);
      fresh.overhead.push(totalMs - providerMs);
      fresh.cpu.push(cpuMs);
      const t = body.timings;
      for (const stage of ['retrieveMs', 'rerankMs', 'assembleMs', 'verifyMs']) stages[stage]!.push(t[stage] ?? 0);
      // Everything in the request that is neither a pipeline stage nor the provider: HTTP, auth, admission, cache, trace.
      stages.otherMs!.push(totalMs - providerMs - (t.retrieveMs ?? 0) - (t.rerankMs ?? 0) - (t.assembleMs ?? 0) - (t.verifyMs ?? 0));
    }

    if (profiler && args['cpu-prof']) {
      writeFileSync(args['cpu-prof'], JSON.stringify(await profiler.stop()));
      console.log(`CPU profile of the fresh answers: ${args['cpu-prof']}`);
    }

    const hits: number[] = [];
    const hitsCpu: number[] = [];
    for (const question of measured) {
      const { totalMs, cpuMs, calls, body } = await ask(question);
      if (!body.cached || calls !== 0) throw new Error('the repeated question was not a cache hit');
      hits.push(totalMs);
      hitsCpu.push(cpuMs);
    }

    console.log(`\n${measured.length} fresh answers (${repairs} with a repair call; refused: ${refusedEmpty} empty retrieval, ${refusedOther} other):`);
    report('request total', fresh.total);
    report('provider (fake server)', fresh.provider);
    report('service overhead', fresh.overhead);
    // Process CPU time per request (all threads: PGlite, the app, the in-process fake server): steadier than wall time on a shared machine.
    report('CPU per answer', fresh.cpu);
    console.log('  where the overhead goes (per-stage timings of the answer bodies):');
    for (const [stage, samples] of Object.entries(stages)) report(`  ${stage}`, samples);
    // Assembly side by side on the same retrieved candidates: the chunker's token counts
    // (chunks.token_count, what the service uses) vs tokenizing every source again (before).
    const prompt = loadPrompt();
    const limits = { maxInputTokens: harness.container.config.MAX_INPUT_TOKENS - harness.container.config.MAX_OUTPUT_TOKENS };
    const assembly: { counted: number[]; retokenized: number[]; differentPacks?: number } = { counted: [], retokenized: [] };
    const corpus = harness.corpus;
    for (const question of measured.slice(0, 100)) {
      const retrieval = await harness.container.services.search.search(corpus, question, { k: 8 });
      if (retrieval.results.length === 0) continue;
      const withCounts = retrieval.results.map((item) => ({ ...item }));
      const withoutCounts = retrieval.results.map(({ tokenCount: _tokenCount, ...item }) => item);
      let start = performance.now();
      const a = assembleContext(withCounts, { question, prompt, ...limits });
      assembly.counted.push(performance.now() - start);
      start = performance.now();
      const b = assembleContext(withoutCounts, { question, prompt, ...limits });
      assembly.retokenized.push(performance.now() - start);
      if (a.sources.length !== b.sources.length) assembly.differentPacks = (assembly.differentPacks ?? 0) + 1;
    }

    console.log(`\nassembly of the same ${assembly.counted.length} retrievals (no context cache)${assembly.differentPacks ? `, ${assembly.differentPacks} packed differently` : ''}:`);
    report('tokenize every source', assembly.retokenized);
    report('chunks.token_count', assembly.counted);

    if (lexical instanceof CachedBm25Index) console.log(`\nBM25 searches since start: ${JSON.stringify(lexical.counters())}`);
    if (vectors instanceof CachedVectorIndex) console.log(`vector searches since start: ${JSON.stringify(vectors.counters())}`);

    console.log(`\n${hits.length} cache hits:`);
    report('cache-hit latency', hits);
    report('CPU per cache hit', hitsCpu);
    const overheadP95 = percentile(fresh.overhead, 0.95);
    const hitP95 = percentile(hits, 0.95);
    console.log(`\ntargets: overhead p95 ${overheadP95.toFixed(2)} ms (< 20: ${overheadP95 < 20 ? 'met' : 'MISSED'}), cache hit p95 ${hitP95.toFixed(2)} ms (< 5: ${hitP95 < 5 ? 'met' : 'MISSED'})`);
    await app.close();
  } finally {
    await harness.close();
    await fake.close();
  }
}

await main();
