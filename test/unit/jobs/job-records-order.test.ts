import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../../src/core/db/client';
import { JobRecords } from '../../../src/jobs/job-records';

/** A stand-in for drizzle's update chain whose writes finish only when the test says so. */
function manualDb() {
  const issued: { values: Record<string, unknown>; finish: () => void }[] = [];
  const row: Record<string, unknown> = {};
  const db = {
    update: () => ({
      set: (values: Record<string, unknown>) => ({
        where: () =>
          new Promise<void>((resolve) => {
            issued.push({
              values,
              finish: () => {
                Object.assign(row, values);
                resolve();
              },
            });
          }),
      }),
    }),
  } as unknown as Db;
  return { db, issued, row };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('JobRecords writes', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('go out one after another per job, so a slow earlier write never lands after a later one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { db, issued, row } = manualDb();
    const records = new JobRecords(db);
    const active = records.markActive('job-1', 1);
    await settle();
    issued[0]!.finish();
    await active;
    vi.setSystemTime(Date.now() + 1_000); // past the first interval, so progress is written at once

    const chunked = records.progress('job-1', { stage: 'chunk', done: 17, total: 17 });
    const embedding = records.progress('job-1', { stage: 'embed', done: 0, total: 17 });
    await settle();
    // The embed write waits for the chunk write, rather than racing it on another connection.
    expect(issued.map((write) => (write.values.progress as { stage?: string } | undefined)?.stage)).toEqual([undefined, 'chunk']);
    issued[1]!.finish();
    await chunked;
    await settle();
    expect(issued).toHaveLength(3);
    issued[2]!.finish();
    await embedding;
    expect(row.progress).toEqual({ stage: 'embed', done: 0, total: 17 });

    // Another job's writes do not wait behind this one's.
    const other = records.markActive('job-2', 1);
    const stuck = records.progress('job-1', { stage: 'index', done: 0, total: 17 });
    await settle();
    expect(issued).toHaveLength(5);
    issued[3]!.finish();
    issued[4]!.finish();
    await Promise.all([other, stuck]);
  });
});
