import { readdir } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { durableStoreTargets } from '../helpers/stores';
import { createCorpus, getCorpusView, getDocument, upload, waitForJob } from '../helpers/ingestion';
import type { DeleteSteps } from '../../ingestion/service';

/**
 * Issue 23, item 1: a delete stopped between its steps (a crash; here a fault injected after the step, on
 * purpose and every time) must not leave a document that reads `ready` but is missing from the indexes, and the
 * same bytes uploaded again must be ingested, not answered "deduplicated" pointing at nothing. After a restart
 * the recovery sweep finishes the delete. PGlite (in a data directory) and PostgreSQL.
 */
const targets = await durableStoreTargets('document delete recovery');

const DOCS = {
  lexical: '# Xylophone rota\n\nThe xylophonist rota is posted every Monday in the green room.\n',
  vectors: '# Zeppelin hangar\n\nThe zeppelin hangar doors open at dawn for the maintenance crew.\n',
  rows: '# Quokka enclosure\n\nThe quokka enclosure is cleaned on Thursdays by the keepers.\n',
  keep: '# Billing cycles\n\nInvoices are sent on the first of each month for the billing cycle.\n',
};
const QUERIES = { lexical: 'xylophonist rota', vectors: 'zeppelin hangar doors', rows: 'quokka enclosure cleaned', keep: 'invoices billing cycle' };
type Step = 'lexical' | 'vectors' | 'rows';

class CrashAfter extends Error {}

async function count(t: TestApp, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await t.container.store.query<{ n: number | string }>(query);
  return Number(row?.n ?? 0);
}

async function hits(t: TestApp, query: string, mode: string): Promise<string[]> {
  const response = await t.app.inject({ method: 'POST', url: '/v1/corpora/deletes/search', headers: bearer(t.adminKey), payload: { query, k: 20, mode } });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { results: { documentId: string }[] }).results.map((hit) => hit.documentId);
}

describe.each(targets)('a delete stopped between its steps, on $name', (target) => {
  afterAll(async () => {
    await target.destroy();
  });

  it('reads as gone at once, frees its name for a new upload, and is finished by the sweep after a restart', async () => {
    // Each document's delete fails right after the step named by its key, as a crash there would stop it.
    const crashes = new Map<string, Step>();
    const deleteSteps: DeleteSteps = {
      async after(step, documentId) {
        if (crashes.get(documentId) === step) throw new CrashAfter(`injected crash after ${step}`);
      },
    };
    let t = await createTestApp({ store: await target.open(), deleteSteps });
    await createCorpus(t, 'deletes');
    const uploaded: Record<string, Awaited<ReturnType<typeof upload>>> = {};
    for (const [key, text] of Object.entries(DOCS)) {
      uploaded[key] = await upload(t, 'deletes', { name: `${key}.md`, bytes: text, contentType: 'text/markdown' });
      expect((await waitForJob(t, uploaded[key]!.jobId!)).state).toBe('completed');
    }
    const stopped = (['lexical', 'vectors', 'rows'] as const).map((step) => ({ step, answer: uploaded[step]! }));
    const chunkIds = new Map<string, string[]>();
    const versionIds = new Map<string, string>();
    for (const { step, answer } of stopped) {
      const rows = await t.container.store.query<{ id: string }>(sql`SELECT id FROM chunks WHERE document_id = ${answer.documentId}::uuid`);
      expect(rows.length).toBeGreaterThan(0);
      chunkIds.set(step, rows.map((row) => row.id));
      versionIds.set(step, answer.versionId);
      crashes.set(answer.documentId, step);
      await expect(t.container.services.ingestion.delete(await tenantOf(t, answer.documentId), answer.documentId)).rejects.toBeInstanceOf(CrashAfter);
      // Stopped, but the document already reads as gone: no `ready` document whose chunks are missing.
      expect((await getDocument(t, answer.documentId)).statusCode).toBe(404);
    }
    const listed = await t.app.inject({ method: 'GET', url: '/v1/corpora/deletes/documents', headers: bearer(t.adminKey) });
    expect((listed.json() as { documents: { id: string }[] }).documents.map((document) => document.id)).toEqual([uploaded.keep!.documentId]);

    // The same bytes uploaded while the delete is stopped: a new document, ingested, not a pointer at the tombstone.
    const again = await upload(t, 'deletes', { name: 'lexical.md', bytes: DOCS.lexical, contentType: 'text/markdown' });
    expect(again.deduplicated).toBe(false);
    expect(again.documentId).not.toBe(uploaded.lexical!.documentId);
    expect((await waitForJob(t, again.jobId!)).state).toBe('completed');

    // The crash: the process goes away with the deletes unfinished, and starts again.
    const originalsDir = t.container.store.originalsDir;
    await t.close();
    t = await createTestApp({ store: await target.open() });
    try {
      const repaired = await t.container.recovery.runAtStart();
      // The delete stopped after its rows went has no tombstone left: only its files, which the start-up pass removes.
      expect(repaired.deletes).toBe(2);
      for (const { step, answer } of stopped) {
        const ids = sql.param(chunkIds.get(step)!);
        expect(await count(t, sql`SELECT count(*) AS n FROM documents WHERE id = ${answer.documentId}::uuid`), step).toBe(0);
        expect(await count(t, sql`SELECT count(*) AS n FROM chunks WHERE id = ANY(${ids}::uuid[])`), step).toBe(0);
        expect(await count(t, sql`SELECT count(*) AS n FROM build_chunks WHERE chunk_id = ANY(${ids}::uuid[])`), step).toBe(0);
        expect(await count(t, sql`SELECT count(*) AS n FROM all_postings WHERE chunk_id = ANY(${ids}::uuid[])`), step).toBe(0);
        expect(await count(t, sql`SELECT count(*) AS n FROM chunk_vectors WHERE chunk_id = ANY(${ids}::uuid[])`), step).toBe(0);
        expect((await getDocument(t, answer.documentId)).statusCode).toBe(404);
      }
      if (originalsDir) {
        const files = await readdir(originalsDir);
        for (const versionId of versionIds.values()) expect(files).not.toContain(versionId);
        expect(files).toContain(again.versionId);
      }
      // Search agrees with the rows: the deleted documents are nowhere, the kept and re-uploaded ones are found.
      for (const mode of ['bm25', 'vector', 'hybrid']) {
        for (const step of ['vectors', 'rows'] as const) {
          expect(await hits(t, QUERIES[step], mode), `${step} ${mode}`).not.toContain(uploaded[step]!.documentId);
        }
        expect(await hits(t, QUERIES.lexical, mode), mode).not.toContain(uploaded.lexical!.documentId);
      }
      expect(await hits(t, QUERIES.lexical, 'bm25')).toContain(again.documentId);
      expect(await hits(t, QUERIES.keep, 'bm25')).toContain(uploaded.keep!.documentId);
      const build = (await getCorpusView(t, 'deletes')).activeBuildId;
      const [stats] = await t.container.store.query<{ doc_count: number | string }>(sql`SELECT doc_count FROM build_term_stats WHERE build_id = ${build}::uuid`);
      expect(Number(stats?.doc_count)).toBe(await count(t, sql`SELECT count(*) AS n FROM build_chunks WHERE build_id = ${build}::uuid`));

      // Re-uploading the deleted bytes works: a fresh document, indexed and searchable.
      const back = await upload(t, 'deletes', { name: 'vectors.md', bytes: DOCS.vectors, contentType: 'text/markdown' });
      expect(back.deduplicated).toBe(false);
      expect((await waitForJob(t, back.jobId!)).state).toBe('completed');
      expect(await hits(t, QUERIES.vectors, 'hybrid')).toContain(back.documentId);
      // A second pass finds nothing left to do.
      expect((await t.container.recovery.runOnce()).deletes).toBe(0);
    } finally {
      await t.close();
    }
  }, 180_000);

  it('the same bytes as a ready version missing from the active build are ingested again, not deduplicated to nothing', async () => {
    const t = await createTestApp({ store: await target.open() });
    try {
      await createCorpus(t, 'half-indexed');
      const first = await upload(t, 'half-indexed', { name: 'rota.md', bytes: DOCS.lexical, contentType: 'text/markdown' });
      expect((await waitForJob(t, first.jobId!)).state).toBe('completed');
      // What the probe found after a delete killed before this fix: the version reads ready, its index rows are gone.
      await t.container.store.query(sql`DELETE FROM build_chunks WHERE chunk_id IN (SELECT id FROM chunks WHERE version_id = ${first.versionId}::uuid)`);
      const search = async () => {
        const response = await t.app.inject({ method: 'POST', url: '/v1/corpora/half-indexed/search', headers: bearer(t.adminKey), payload: { query: QUERIES.lexical, k: 5, mode: 'bm25' } });
        return (response.json() as { results: { documentId: string }[] }).results.map((hit) => hit.documentId);
      };
      expect(await search()).toEqual([]);
      const again = await upload(t, 'half-indexed', { name: 'rota.md', bytes: DOCS.lexical, contentType: 'text/markdown' });
      expect(again).toMatchObject({ documentId: first.documentId, versionId: first.versionId, status: 'pending', deduplicated: true });
      expect(again.jobId).not.toBe(first.jobId);
      expect((await waitForJob(t, again.jobId!)).state).toBe('completed');
      expect(await search()).toEqual([first.documentId]);
      // Indexed now: the next identical upload is a plain deduplicated answer.
      const third = await upload(t, 'half-indexed', { name: 'rota.md', bytes: DOCS.lexical, contentType: 'text/markdown' });
      expect(third).toMatchObject({ versionId: first.versionId, status: 'ready', deduplicated: true, jobId: again.jobId });
    } finally {
      await t.close();
    }
  }, 120_000);
});

async function tenantOf(t: TestApp, documentId: string): Promise<string> {
  const [row] = await t.container.store.query<{ tenant_id: string }>(sql`SELECT tenant_id FROM documents WHERE id = ${documentId}::uuid`);
  return row!.tenant_id;
}
