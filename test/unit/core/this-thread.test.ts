import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { hasChrt, ownScheduling, schedulingOfStat } from '../../helpers/thread-scheduling';

const HELPERS = new URL('../../../src/core/threads/this-thread.mjs', import.meta.url).href;

/** Runs `call` (a this-thread.mjs export) on a fresh worker thread; resolves with its result and the thread's scheduling afterwards. */
function onWorker(call: 'batchScheduleThisThread' | 'lowerThisThreadPriority'): Promise<{ applied: boolean; stat: string }> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const { readFileSync } = require('node:fs');
     import(${JSON.stringify(HELPERS)}).then((helpers) => {
       const applied = helpers[${JSON.stringify(call)}]();
       parentPort.postMessage({ applied, stat: readFileSync('/proc/thread-self/stat', 'utf8') });
     });`,
    { eval: true },
  );
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { applied: boolean; stat: string }) => {
      void worker.terminate();
      resolve(message);
    });
    worker.once('error', reject);
  });
}

describe.runIf(process.platform === 'linux')('this-thread scheduling helpers (Linux)', () => {
  // Relative to this thread, which a niced test runner may have started below nice 0.
  const own = ownScheduling;

  it.runIf(hasChrt || process.env.CI === 'true')('batchScheduleThisThread puts the calling thread alone under SCHED_BATCH, at its priority', async () => {
    const before = own();
    const { applied, stat } = await onWorker('batchScheduleThisThread');
    expect(applied).toBe(true);
    expect(schedulingOfStat(stat)).toEqual({ nice: before.nice, policy: 3 });
    expect(own()).toEqual(before);
  });

  it.runIf(own().nice < 10)('lowerThisThreadPriority lowers the calling thread alone to nice 10, policy unchanged', async () => {
    const before = own();
    const { applied, stat } = await onWorker('lowerThisThreadPriority');
    expect(applied).toBe(true);
    expect(schedulingOfStat(stat)).toEqual({ nice: 10, policy: before.policy });
    expect(own()).toEqual(before);
  });
});
