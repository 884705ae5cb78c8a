import { randomUUID } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { deliveryJobId } from '../../evals/canaries/alert-delivery';
import { bearer, createTestApp } from '../helpers/app';
import { WARRANTY } from '../helpers/documents';
import { createCorpus, upload, waitForJob } from '../helpers/ingestion';
import { durableStoreTargets, storeTargets } from '../helpers/stores';

/**
 * Issue 23, item 7 (the parts of it here): what a crash leaves behind besides deletes and uploads. A `.tmp` file of
 * an upload killed mid-write is removed at start; an open alert whose delivery was never queued is queued by the
 * sweep; a trace id whose trace a crash lost answers a 404 that says so (documented in the README).
 */
const durable = (await durableStoreTargets('recovery sweep')).filter((target) => target.name === 'pglite');
const targets = await storeTargets('recovery sweep');

describe.each(durable)('start-up pass on $name with a data directory', (target) => {
  afterAll(async () => {
    await target.destroy();
  });

  it('removes the temporary files of uploads killed mid-write, and keeps the originals', async () => {
    let t = await createTestApp({ store: await target.open() });
    await createCorpus(t, 'files');
    const kept = await upload(t, 'files', { name: 'kept.txt', bytes: 'Kept original: the lighthouse lamp is serviced in May.\n' });
    expect((await waitForJob(t, kept.jobId!)).state).toBe('completed');
    const dir = t.container.store.originalsDir!;
    await t.close();
    // What writeOriginal leaves when the process dies between its write and its rename.
    const temporary = `${randomUUID()}.${randomUUID()}.tmp`;
    await writeFile(join(dir, temporary), 'half an upload');
    t = await createTestApp({ store: await target.open() });
    try {
      const repaired = await t.container.recovery.runAtStart();
      expect(repaired['temporary-originals']).toBe(1);
      const files = await readdir(dir);
      expect(files).not.toContain(temporary);
      expect(files).toContain(kept.versionId);
      const text = await t.app.inject({ method: 'GET', url: `/v1/versions/${kept.versionId}/text?start=0&end=14`, headers: bearer(t.adminKey) });
      expect(text.statusCode, text.body).toBe(200);
    } finally {
      await t.close();
    }
  }, 120_000);
});

describe.each(targets)('recovery sweep on $name', (target) => {
  it('queues the delivery of open alerts whose delivery job was never queued, once, and only those', async () => {
    const hooks = ['https://hooks.example.invalid/a', 'https://hooks.example.invalid/b'];
    const t = await createTestApp({ store: await target.open(), env: { ALERT_WEBHOOK_URL: hooks.join(',') } });
    try {
      const corpus = await createCorpus(t, 'alerts');
      const [row] = await t.container.store.query<{ tenant_id: string }>(sql`SELECT tenant_id FROM corpora WHERE id = ${corpus.id}::uuid`);
      const tenant = row!.tenant_id;
      const runId = randomUUID();
      const insert = async (cause: string, causes: string[], options: { ageMs: number; delivered?: boolean; status?: string }) => {
        const id = randomUUID();
        const payload = JSON.stringify({ cause, causes, runId });
        await t.container.store.query(sql`
          INSERT INTO alerts (id, tenant_id, corpus_id, cause, status, run_id, payload, delivered, created_at)
          VALUES (${id}::uuid, ${tenant}::uuid, ${corpus.id}::uuid, ${cause}, ${options.status ?? 'open'}, ${runId}::uuid, ${payload}::jsonb,
                  ${options.delivered ?? false}, now() - (${options.ageMs} * interval '1 millisecond'))`);
        return id;
      };
      // The first alert of a run carries its webhook; the process died before queueing it.
      const stranded = await insert('recall_below_threshold', ['recall_below_threshold', 'recall_drop'], { ageMs: 5 * 60_000 });
      const sibling = await insert('recall_drop', ['recall_below_threshold', 'recall_drop'], { ageMs: 5 * 60_000 });
      const fresh = await insert('run_failed', ['run_failed'], { ageMs: 0 });
      const delivered = await insert('run_failed', ['run_failed'], { ageMs: 5 * 60_000, delivered: true });
      const resolved = await insert('run_failed', ['run_failed'], { ageMs: 5 * 60_000, status: 'resolved' });
      const jobsOf = async (alertId: string) =>
        (await t.container.store.query<{ id: string }>(sql`SELECT id FROM jobs WHERE id = ANY(${sql.param(hooks.map((url) => deliveryJobId(alertId, url, 'alert')))}::text[])`)).length;

      const first = await t.container.recovery.runOnce();
      expect(first.alerts).toBe(1);
      expect(await jobsOf(stranded)).toBe(2);
      for (const other of [sibling, fresh, delivered, resolved]) expect(await jobsOf(other)).toBe(0);
      // Queued once: the next pass sees the jobs (whatever their outcome) and leaves the alert alone.
      expect((await t.container.recovery.runOnce()).alerts).toBe(0);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('a trace id whose trace was lost answers 404 TRACE_NOT_FOUND saying why, for feedback and reads', async () => {
    const t = await createTestApp({ store: await target.open() });
    try {
      await createCorpus(t, 'traces');
      const doc = await upload(t, 'traces', { name: 'warranty.txt', bytes: WARRANTY });
      expect((await waitForJob(t, doc.jobId!)).state).toBe('completed');
      const answered = await t.app.inject({ method: 'POST', url: '/v1/corpora/traces/answers', headers: bearer(t.adminKey), payload: { question: 'How long is the warranty period?' } });
      expect(answered.statusCode, answered.body).toBe(200);
      const { traceId } = answered.json() as { traceId: string };
      await t.container.services.traces.flush();
      // A crash between the answer and its batched write: the row is never written.
      await t.container.store.query(sql`DELETE FROM answer_traces WHERE id = ${traceId}::uuid`);
      const feedback = await t.app.inject({ method: 'POST', url: '/v1/feedback', headers: bearer(t.adminKey), payload: { traceId, rating: 'up' } });
      expect(feedback.statusCode).toBe(404);
      expect(feedback.json().error.code).toBe('TRACE_NOT_FOUND');
      expect(feedback.json().error.message).toMatch(/stopped .*lost/u);
      const read = await t.app.inject({ method: 'GET', url: `/v1/traces/${traceId}`, headers: bearer(t.adminKey) });
      expect(read.statusCode).toBe(404);
      expect(read.json().error.message).toMatch(/lost/u);
    } finally {
      await t.close();
    }
  }, 60_000);
});
