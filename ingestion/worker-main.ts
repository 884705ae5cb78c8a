import { ConfigError, loadConfig } from '../src/core/config';
import { createContainer } from '../src/container';

/**
 * The worker process (`npm run worker`): the same handlers as the embedded
 * default, consuming BullMQ on REDIS_URL. Several may run side by side.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.REDIS_URL) throw new ConfigError('REDIS_URL', 'is required for a separate worker (the embedded default runs jobs inside npm start)');
  const container = await createContainer(config);
  await container.jobs.startWorker();
  // Upserting job schedulers is idempotent: every worker may do it; Redis keeps one schedule per corpus.
  await container.services.canarySchedules.syncAll();
  await container.services.sources.scheduleAll();
  const recovered = await container.recovery.runAtStart();
  container.recovery.start();
  process.stdout.write(`attest worker ready (queue ${container.jobs.kind}); re-enqueued ${recovered.uploads ?? 0} pending version(s), finished ${recovered.deletes ?? 0} delete(s)\n`);
  const shutdown = async () => {
    await container.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`attest worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
