// @ts-check
// Helpers a worker thread calls on itself at start. Plain JavaScript so that the .mjs workers (PDF, Office,
// ONNX, PGlite) import it under tsx, vitest and bare node alike.
import { writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Names the calling thread (per-thread CPU figures of the ingest-stall bench read it). Linux only, best effort. */
export function nameThisThread(/** @type {string} */ name) {
  try {
    writeFileSync('/proc/thread-self/comm', name);
  } catch {
    // not Linux
  }
}

/**
 * Background niceness of ingestion's threads. At nice 10 the scheduler weighs such a thread at about a tenth of
 * a normal one (110 against 1024), so while a document is parsed and embedded on every core the main thread,
 * the PGlite thread and the query lane still get a core the moment they have work: answers are not queued
 * behind ingestion. With nothing else to run, the niced threads still use every core.
 */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's scheduling priority, and that of the threads it starts afterwards (ONNX Runtime's
 * intra-op pool inherits it). Linux only: there the nice value belongs to each thread, so
 * `setpriority(PRIO_PROCESS, 0)` touches the calling thread alone; elsewhere it would renice the whole process,
 * so it is not done. Lowering one's own priority needs no privilege. Returns whether it was applied.
 */
export function lowerThisThreadPriority(nice = BACKGROUND_NICE) {
  if (process.platform !== 'linux') return false;
  try {
    setPriority(0, nice);
    return true;
  } catch {
    return false;
  }
}
