import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Marks work the service does for itself rather than for a caller who is waiting: job attempts (ingestion,
 * canaries, crawls, builds). Read where such work should give way to answers: the embedded database begins a
 * background transaction only at a quiet moment (src/core/db/pglite-worker.ts, TransactionQuiet).
 */
const background = new AsyncLocalStorage<true>();

/** Runs `work` (and everything it starts) as background work. */
export function runAsBackgroundWork<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

/** Whether the caller runs inside runAsBackgroundWork. */
export function isBackgroundWork(): boolean {
  return background.getStore() === true;
}
