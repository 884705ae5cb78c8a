/**
 * Ingestion load benchmark (issue 9; not a test: it prints figures). The
 * service of evals/bench/load.ts (a child process; with Redis, the worker
 * process beside it) receives --documents small text documents (distinct
 * text, about 4 KB each: three SciFact abstracts under a numbered heading)
 * from --clients concurrent clients, each upload with its own Idempotency-Key
 * and externalId. A 429/503 (or a dropped connection) is retried with the same
 * key after its Retry-After; every --replay-every-th upload is sent a second
 * time with the same key after it succeeded, and must answer the same
 * document. Then it waits until every version is ready and checks, through
 * GET /v1/corpora/:corpus/documents, that each externalId is there exactly
 * once, with exactly one version, ready.
 *
 *   npm run bench -- ingest-load [--documents 1000] [--clients 20] [--replay-every 10] [--timeout 900]
 *       [--json FILE] [--database-url URL] [--redis-url URL] [--env NAME=value ...]
 *
 * Prints docs/s accepted (uploads answered 202 per second) and landed (ready
 * per second, from the first upload to the last document ready), errors by
 * code, retries, replays, and peak RSS of the service (and of the worker).
 */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { bearer, createCorpus, http, loadAverage, parseUpload, ProcSampler, scifactDocuments, startFakeProvider, startService, uploadText, type Service } from './support/load-service';
import { checkLanded, parseIngestArgs, summarize, UsageError, type IngestArgs } from './support/load-stats';

const CORPUS = 'ingest-load';
const PAGE = 500;

const listing = z.object({
  documents: z.array(z.object({ id: z.string(), externalId: z.string().nullable(), status: z.string(), versions: z.array(z.object({ id: z.string(), status: z.string() }).passthrough()) }).passthrough()),
});
type Listed = z.infer<typeof listing>['documents'];

async function listAll(service: Service): Promise<Listed> {
  const all: Listed = [];
  for (let offset = 0; ; offset += PAGE) {
    const response = await http(`${service.url}/v1/corpora/${CORPUS}/documents?limit=${PAGE}&offset=${offset}`, { headers: bearer(service.key) });
    if (response.status !== 200) throw new Error(`listing documents: ${response.status} ${response.body.slice(0, 300)}`);
    const page = listing.parse(JSON.parse(response.body)).documents;
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

function retryAfterMs(headers: Record<string, string | string[] | undefined>): number {
  const value = Number(headers['retry-after']);
  return Number.isFinite(value) && value > 0 ? Math.min(value * 1000, 30_000) : 1_000;
}

async function main(): Promise<void> {
  let args: IngestArgs;
  try {
    args = parseIngestArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`ingest-load: ${error.message}`);
    process.exit(2);
  }
  // Ingestion calls no provider (local-hash embeddings); the fake only completes the service's configuration.
  const provider = await startFakeProvider(0);
  const service = await startService({ backend: args.backend, fake: provider, label: 'ingest-load' });
  let failed = true;
  try {
    console.log(`ingest-load: ${args.documents} documents from ${args.clients} clients on ${service.backendLabel}; service pid ${service.pid}${service.workerPid ? `, worker pid ${service.workerPid}` : ''}; load average ${loadAverage()}`);
    await createCorpus(service, CORPUS);
    // Three abstracts per document, from three thirds of SciFact: every document's text is distinct.
    const pool = await scifactDocuments(args.documents * 3);
    if (pool.length < args.documents * 3) throw new Error(`SciFact has only ${pool.length} usable abstracts for ${args.documents} documents`);
    const runId = Date.now().toString(36);
    const documents = Array.from({ length: args.documents }, (_, index) => {
      const parts = [pool[index]!, pool[index + args.documents]!, pool[index + 2 * args.documents]!];
      return {
        externalId: `load-${index}`,
        title: `Load document ${index}`,
        text: `# Load document ${index}\n\n${parts.map((part) => `## ${part.title}\n\n${part.text}`).join('\n\n')}\n`,
        key: `ingest-load-${runId}-${index}`,
      };
    });
    const bytes = documents.reduce((sum, document) => sum + Buffer.byteLength(document.text), 0);
    console.log(`  ${args.documents} documents, ${(bytes / args.documents / 1024).toFixed(1)} KB each on average`);

    const proc = new ProcSampler(service.pid, 1000);
    const workerProc = service.workerPid ? new ProcSampler(service.workerPid, 1000) : undefined;
    const errors: Record<string, number> = {};
    const countError = (code: string) => (errors[code] = (errors[code] ?? 0) + 1);
    let retries = 0;
    let replays = 0;
    let replayMismatches = 0;
    let deduplicated = 0;
    const documentIds = new Map<string, string>();
    const uploadMs: number[] = [];
    const started = performance.now();
    let next = 0;

    const client = async () => {
      for (let index = next++; index < documents.length; index = next++) {
        const document = documents[index]!;
        for (let attempt = 0; ; attempt++) {
          const begin = performance.now();
          let result;
          try {
            result = await uploadText(service, CORPUS, document, document.key);
          } catch (error) {
            countError(`network:${(error as NodeJS.ErrnoException).code ?? 'error'}`);
            if (attempt >= 5) break;
            retries++;
            await sleep(1_000);
            continue;
          }
          if (result.status === 202) {
            uploadMs.push(performance.now() - begin);
            const answer = parseUpload(result);
            if (answer.deduplicated) deduplicated++;
            documentIds.set(document.externalId, answer.documentId);
            break;
          }
          if ((result.status === 429 || result.status === 503 || result.status === 409) && attempt < 10) {
            // 409 IDEMPOTENCY_IN_PROGRESS: the first attempt is still running; the same key retried must not make a second document.
            retries++;
            countError(`retried:${result.status}`);
            await sleep(retryAfterMs(result.headers));
            continue;
          }
          countError(`http:${result.status}`);
          break;
        }
        if (args.replayEvery > 0 && index % args.replayEvery === 0 && documentIds.has(document.externalId)) {
          replays++;
          const again = await uploadText(service, CORPUS, document, document.key).catch(() => undefined);
          const same = again && again.status === 202 && parseUpload(again).documentId === documentIds.get(document.externalId);
          if (!same) replayMismatches++;
        }
      }
    };
    await Promise.all(Array.from({ length: args.clients }, () => client()));
    const acceptedMs = performance.now() - started;
    const accepted = documentIds.size;
    console.log(`  accepted ${accepted} uploads in ${(acceptedMs / 1000).toFixed(1)} s: ${((accepted / acceptedMs) * 1000).toFixed(1)} docs/s; upload latency p50 ${summarize(uploadMs).p50.toFixed(0)} p99 ${summarize(uploadMs).p99.toFixed(0)} ms`);

    const deadline = started + args.timeoutSeconds * 1000;
    let listed: Listed = [];
    let lastReport = performance.now();
    for (;;) {
      listed = await listAll(service);
      const pending = listed.filter((document) => document.versions.some((version) => version.status !== 'ready' && version.status !== 'failed')).length;
      if (pending === 0 && listed.length >= accepted) break;
      if (performance.now() > deadline) {
        console.log(`  timed out with ${pending} documents not done`);
        break;
      }
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now();
        console.log(`  ${((performance.now() - started) / 1000).toFixed(0)} s: ${listed.length - pending} of ${listed.length} documents done`);
      }
      await sleep(1_000);
    }
    const landedMs = performance.now() - started;
    proc.stop();
    workerProc?.stop();
    const check = checkLanded(listed, documents.map((document) => document.externalId));
    const landedRate = (check.landed / landedMs) * 1000;
    console.log(`  landed ${check.landed} documents (all versions ready) in ${(landedMs / 1000).toFixed(1)} s from the first upload: ${landedRate.toFixed(1)} docs/s end to end`);
    console.log(
      `  exactly once: ${check.ok ? 'yes' : 'NO'} (listed ${listed.length}; missing ${check.missing.length}, duplicated ${check.duplicated.length}, unexpected ${check.unexpected.length}, with more than one version ${check.extraVersions.length}, not ready ${check.notReady.length})`,
    );
    console.log(`  retries ${retries}, replays ${replays} (${replayMismatches} answered another document), deduplicated answers ${deduplicated}, errors ${JSON.stringify(errors)}`);
    console.log(`  peak RSS: service ${proc.peakRssMb.toFixed(1)} MB${workerProc ? `, worker ${workerProc.peakRssMb.toFixed(1)} MB` : ''}; load average ${loadAverage()}`);
    const hardErrors = Object.entries(errors).filter(([code]) => !code.startsWith('retried:')).reduce((sum, [, count]) => sum + count, 0);
    if (args.json) {
      const result = {
        documents: args.documents,
        clients: args.clients,
        backend: service.backendLabel,
        accepted,
        acceptedDocsPerSecond: (accepted / acceptedMs) * 1000,
        landed: check.landed,
        landedDocsPerSecond: landedRate,
        exactlyOnce: check.ok,
        missing: check.missing.length,
        duplicated: check.duplicated.length,
        extraVersions: check.extraVersions.length,
        notReady: check.notReady.length,
        errors: hardErrors,
        errorCodes: errors,
        retries,
        replays,
        replayMismatches,
        peakRssMb: proc.peakRssMb,
        workerPeakRssMb: workerProc?.peakRssMb,
        loadAverage: loadAverage(),
      };
      writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`wrote ${args.json}`);
    }
    failed = false;
    if (!check.ok || hardErrors > 0 || replayMismatches > 0) process.exitCode = 1;
  } finally {
    await service.stop({ keepLogs: failed });
    if (failed) console.log(`service logs kept in ${service.logDir}`);
    await provider.close();
  }
}

await main();
