import { describe, expect, it } from 'vitest';
import { isBackgroundWork } from '../../../src/core/background-work';
import type { JobRecords } from '../../../src/jobs/job-records';
import { runAttempt } from '../../../src/jobs/run-job';

/** Job records that note whether each write was made as background work. */
function recordingRecords(seen: string[]): JobRecords {
  const note = (what: string) => async () => {
    seen.push(`${what}: ${isBackgroundWork() ? 'background' : 'foreground'}`);
  };
  return { markActive: note('markActive'), progress: note('progress'), complete: note('complete'), fail: note('fail') } as unknown as JobRecords;
}

describe('runAttempt', () => {
  it('runs a job attempt, its records and everything its handler starts, as background work; its caller is not', async () => {
    const seen: string[] = [];
    const outcome = await runAttempt(
      recordingRecords(seen),
      async (_data, context) => {
        await context.progress({ stage: 'parse', done: 1, total: 2 });
        // Work started from the handler (timers, callbacks) stays background work.
        await new Promise<void>((resolve) => setTimeout(() => (seen.push(`timer: ${isBackgroundWork() ? 'background' : 'foreground'}`), resolve()), 1));
        return { ok: true };
      },
      { id: 'job-1', data: {} },
      1,
      3,
      new AbortController().signal,
    );
    expect(outcome).toEqual({ ok: true, final: true });
    expect(seen).toEqual(['markActive: background', 'progress: background', 'timer: background', 'complete: background']);
    expect(isBackgroundWork()).toBe(false);
  });

  it('records a failure as background work too', async () => {
    const seen: string[] = [];
    const outcome = await runAttempt(recordingRecords(seen), async () => Promise.reject(new Error('parse failed')), { id: 'job-2', data: {} }, 3, 3, new AbortController().signal);
    expect(outcome.ok).toBe(false);
    expect(outcome.final).toBe(true);
    expect(seen).toEqual(['markActive: background', 'fail: background']);
  });
});
