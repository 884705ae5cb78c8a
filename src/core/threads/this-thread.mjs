// @ts-check
// Helpers a worker thread calls on itself at start. Plain JavaScript so that the .mjs workers (PDF, Office,
// ONNX, PGlite) import it under tsx, vitest and bare node alike.
import { execFileSync } from 'node:child_process';
import { readlinkSync, writeFileSync } from 'node:fs';
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

/**
 * Puts the calling thread (and the threads it starts afterwards) under SCHED_BATCH: it keeps its full share of
 * the CPU, but waking it never preempts the running thread; it runs at the next tick or on an idle core. For a
 * thread the event loop hands short jobs to (the query lane): with 2 busy cores a woken lane took the core of
 * the thread that had just posted to it, so the event loop sat inside postMessage for the lane's whole forward
 * pass. Posting 2,183 questions to the lane while a PDF ingested took 4.6 s of the event loop's time at normal
 * policy, 0.35–0.51 s under SCHED_BATCH (npm run bench -- ingest-stall --modes on, README, issue 28).
 *
 * Node has no binding for sched_setscheduler, so util-linux's `chrt` sets it on this thread's id (Linux only,
 * once at start; lowering one's own policy needs no privilege). Best effort: without chrt nothing changes.
 * Returns whether it was applied.
 */
export function batchScheduleThisThread() {
  if (process.platform !== 'linux') return false;
  try {
    const tid = readlinkSync('/proc/thread-self').split('/').pop() ?? '';
    execFileSync('chrt', ['--batch', '--pid', '0', tid], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}
