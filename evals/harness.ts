import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/core/config';
import { getCorpus } from '../src/core/corpora';
import { openStore } from '../src/core/db/client';
import type { Corpus } from '../src/core/db/schema';
import { createApiKey, ensureTenant } from '../src/core/tenancy';
import { createContainer, type Container } from '../src/container';
import { InlineJobQueue } from '../src/jobs/inline-queue';
import { JobRecords } from '../src/jobs/job-records';

export interface EvalHarness {
  container: Container;
  corpus: Corpus;
  jobs: InlineJobQueue;
  close(): Promise<void>;
}

/**
 * A fresh store (PGlite in a temp dir, or --database-url) with one corpus,
 * running the real ingestion pipeline in-process: evals measure the service,
 * not a copy of it.
 */
export interface HarnessOptions {
  databaseUrl?: string | undefined;
  env?: Record<string, string>;
  concurrency?: number;
  /** Keep the PGlite store here (reused across runs) instead of a temp dir removed on close. */
  dataDir?: string | undefined;
  /** Reuse this corpus when it exists (with dataDir), instead of a fresh one per run. */
  corpusName?: string | undefined;
}

export async function openHarness(options: HarnessOptions): Promise<EvalHarness> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'attest-eval-'));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    // The eval measures the embedded default: the neural models when MODELS_DIR has them.
    ...(process.env.MODELS_DIR ? { MODELS_DIR: process.env.MODELS_DIR } : {}),
    ...options.env,
  });
  const store = await openStore({ databaseUrl: config.DATABASE_URL, dataDir: options.databaseUrl ? undefined : dataDir, liftoffOnly: config.PGLITE_LIFTOFF_ONLY, worker: config.PGLITE_WORKER });
  const jobs = new InlineJobQueue(new JobRecords(store.db), { queue: 'attest', concurrency: options.concurrency ?? 2, retry: { maxAttempts: 2, backoffMs: 50 } });
  const container = await createContainer(config, { store, jobs });
  await jobs.startWorker();
  const tenant = await ensureTenant(store.db, 'eval');
  await createApiKey(store.db, { tenantId: tenant.id, name: 'eval', scopes: ['admin'] });
  const name = options.corpusName ?? `eval-${Date.now()}`;
  const corpus = await getCorpus(store.db, tenant.id, name).catch(() => container.services.corpora.create(tenant.id, name));
  return {
    container,
    corpus,
    jobs,
    async close() {
      await container.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Uploads text documents through the ingestion service and waits for the jobs. */
export async function ingestTexts(
  harness: EvalHarness,
  documents: AsyncIterable<{ externalId: string; title: string; text: string }> | Iterable<{ externalId: string; title: string; text: string }>,
  onProgress?: (count: number) => void,
): Promise<Map<string, string>> {
  const byDocumentId = new Map<string, string>();
  let count = 0;
  const pending: Promise<void>[] = [];
  for await (const document of documents) {
    const body = document.title ? `${document.title}\n\n${document.text}` : document.text;
    pending.push(
      harness.container.services.ingestion
        .upload({ corpus: harness.corpus, bytes: new TextEncoder().encode(body), mime: 'text/plain', title: document.title || document.externalId, externalId: document.externalId })
        .then((result) => {
          byDocumentId.set(result.documentId, document.externalId);
        }),
    );
    count += 1;
    // Bounded in-flight uploads keep memory flat on large corpora.
    if (pending.length >= 64) await Promise.all(pending.splice(0));
    if (count % 500 === 0) onProgress?.(count);
  }
  await Promise.all(pending);
  await harness.jobs.idle();
  return byDocumentId;
}
