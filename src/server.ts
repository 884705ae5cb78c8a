import { ConfigError, loadConfig } from './core/config';
import { openStoreFor } from './core/db/client';
import { DEFAULT_TENANT, ensureApiKey, ensureTenant, tenantHasKeys, createApiKey } from './core/tenancy';
import type { Container } from './container';
import type { DeleteSteps } from '../ingestion/service';
import { AppError } from './core/errors';
import { ModelFileError } from './core/providers/onnx/model-files';

/** Makes sure an admin key exists: BOOTSTRAP_API_KEY, or a generated one printed once on first start. */
async function bootstrapKeys(container: Container): Promise<void> {
  const { config, store } = container;
  if (config.BOOTSTRAP_API_KEY) {
    await ensureApiKey(store.db, DEFAULT_TENANT, config.BOOTSTRAP_API_KEY, ['admin', 'ingest', 'query']);
    return;
  }
  const tenant = await ensureTenant(store.db, DEFAULT_TENANT);
  if (await tenantHasKeys(store.db, tenant.id)) return;
  const { key } = await createApiKey(store.db, { tenantId: tenant.id, name: 'first-start', scopes: ['admin', 'ingest', 'query'] });
  // Printed once, to the terminal only: it is not stored in plaintext anywhere.
  process.stdout.write(`\nAttest created an admin API key for tenant "${DEFAULT_TENANT}" (shown only once):\n\n  ${key}\n\n`);
}

/**
 * Test builds only (NODE_ENV=test): the crash suite pauses every delete after the step named by
 * ATTEST_TEST_PAUSE_DELETE_AFTER and says so on stdout, so that it can SIGKILL the process exactly there.
 */
function deleteStepsForTests(): DeleteSteps | undefined {
  const pauseAfter = process.env.ATTEST_TEST_PAUSE_DELETE_AFTER;
  if (process.env.NODE_ENV !== 'test' || !pauseAfter) return undefined;
  return {
    async after(step, documentId) {
      if (step !== pauseAfter) return;
      process.stdout.write(`delete of ${documentId} paused after ${step}\n`);
      await new Promise<never>(() => undefined);
    },
  };
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  // The OpenTelemetry SDK and Qdrant's client are imported only when configured, as the container does the rest.
  const stopTracing = config.OTEL_EXPORTER_OTLP_ENDPOINT ? (await import('./core/otel')).startTracing({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: 'attest-api' }) : undefined;
  const deleteSteps = deleteStepsForTests();
  // The store opens (PGlite starts on its own thread: about a second, several on a new data directory) while this
  // thread loads the rest of the service's modules, which takes about as long; one after the other, they did.
  const opening = openStoreFor(config);
  opening.catch(() => undefined); // awaited below; a failure is reported there, not as an unhandled rejection
  const [{ createContainer }, { buildApp, loggerOptions }, { countTokens }, { loadCommonWords }] = await Promise.all([
    import('./container'),
    import('./api/app'),
    import('./core/tokens'),
    import('./query/common-words'),
  ]);
  let container;
  try {
    container = await createContainer(config, { store: await opening, defaultMetrics: true, ...(deleteSteps ? { deleteSteps } : {}) });
  } catch (error) {
    // A bad model file (or a model that no longer matches its builds) is one line naming the file, not a stack.
    if (error instanceof ModelFileError || (error instanceof AppError && error.code === 'EMBEDDING_MODEL_MISMATCH')) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  if (container.localModels.notice) process.stdout.write(`${container.localModels.notice}\n`);
  await bootstrapKeys(container);
  const app = await buildApp(container, { logger: loggerOptions(config.LOG_LEVEL) });
  // The BPE ranks take about half a second to load, the common-word list ~100 ms: before the first question, not
  // during it (the ranks blocked every request in flight then; npm run bench -- load saw it as a run's worst stall).
  countTokens('warm-up');
  loadCommonWords();
  const localEmbedder = container.localModels.embedder;
  if (localEmbedder) {
    // What the query lane's start-up timing chose: it differs by CPU, and the latency of every question follows.
    const lane = localEmbedder.pool.queryLane;
    app.log.info({ model: localEmbedder.modelId, queryLaneThreads: lane.threads, questionPassMsByThreads: lane.medianMsByThreads }, 'local neural models loaded');
  }

  // The embedded default runs jobs in this process; with Redis, `npm run worker` does.
  await container.services.canarySchedules.syncAll();
  await container.services.sources.scheduleAll();
  if (container.jobs.kind === 'inline') {
    await container.jobs.startWorker();
    // Before the first request: deletes a crash stopped are finished, uploads without a live job re-queued.
    await container.recovery.runAtStart();
    container.recovery.start();
    await container.services.canarySchedules.runMissedTicks();
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    const timer = setTimeout(() => process.exit(1), 30_000);
    timer.unref();
    // close() drops the connections idle at that moment; one whose request is still in flight turns idle
    // later (keep-alive) and would hold the drain for keepAliveTimeout (72 s). In-flight answers are aborted
    // by their route's preClose hook, so their connections go idle at once and are swept here.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    sweep.unref();
    try {
      await app.close();
      clearInterval(sweep);
      await container.close();
      await stopTracing?.();
    } finally {
      clearTimeout(timer);
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.PORT, host: config.HOST });
  // After listening, not before: a Qdrant that is down or too old is reported (log, /readyz), never a failed start.
  const qdrant = config.QDRANT_URL ? (await import('../indexes/qdrant/qdrant-index')).QdrantIndex : undefined;
  if (qdrant && container.vectors instanceof qdrant) {
    container.vectors.checkServer().then(
      () => app.log.info('qdrant: server version supported'),
      (error: unknown) => app.log.warn({ err: error }, 'qdrant: not usable yet; /readyz answers 503 until it is'),
    );
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`attest failed to start: ${message}\n`);
  process.exit(1);
});
