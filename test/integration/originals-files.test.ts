import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { migrateStore, openStore, type Store } from '../../src/core/db/client';
import { getCorpus } from '../../src/core/corpora';
import { readVersionBytes, storeUpload } from '../../ingestion/documents';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { createCorpus, getDocument, search, upload, waitForJob } from '../helpers/ingestion';

/** The embedded default with a data directory keeps original bytes as files (ingestion/originals.ts). */
describe('original bytes as files (PGlite with a data directory)', () => {
  let dataDir: string;
  let store: Store;
  let t: TestApp;
  let originals: string;
  const files = async () => (await readdir(originals)).sort();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'attest-originals-'));
    store = await openStore({ dataDir });
    await migrateStore(store);
    originals = store.originalsDir!;
    t = await createTestApp({ store });
    await createCorpus(t, 'files');
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes one file per version, none for identical bytes, and no version_blobs rows; ingestion reads it back', async () => {
    expect(originals).toBe(join(dataDir, 'originals'));
    const first = await upload(t, 'files', { name: 'guide.md', bytes: '# Guide\n\nThe warranty covers the pump for three years.\n' }, { externalId: 'guide' });
    expect((await waitForJob(t, first.jobId!)).state).toBe('completed');
    expect(await files()).toEqual([first.versionId]);
    expect((await search(t, 'files', 'pump warranty')).map((hit) => hit.versionId)).toContain(first.versionId);

    const again = await upload(t, 'files', { name: 'guide.md', bytes: '# Guide\n\nThe warranty covers the pump for three years.\n' }, { externalId: 'guide' });
    expect(again).toMatchObject({ deduplicated: true, versionId: first.versionId });
    const second = await upload(t, 'files', { name: 'guide.md', bytes: '# Guide\n\nThe warranty covers the pump for five years.\n' }, { externalId: 'guide' });
    expect((await waitForJob(t, second.jobId!)).state).toBe('completed');
    expect(await files()).toEqual([first.versionId, second.versionId].sort());
    const [blobs] = await store.query<{ count: number }>(sql`SELECT count(*)::int AS count FROM version_blobs`);
    expect(blobs?.count).toBe(0);

    const deleted = await t.app.inject({ method: 'DELETE', url: `/v1/documents/${first.documentId}`, headers: bearer(t.adminKey) });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect((await getDocument(t, first.documentId)).statusCode).toBe(404);
    expect(await files()).toEqual([]);
  });

  it('reads a version stored in version_blobs before files were used', async () => {
    const corpusRow = await store.query<{ tenant_id: string; name: string }>(sql`SELECT tenant_id, name FROM corpora WHERE name = 'files'`);
    const corpus = await getCorpus(store.db, corpusRow[0]!.tenant_id, 'files');
    const bytes = new TextEncoder().encode('stored the old way');
    const legacy = await storeUpload(store.db, { corpus, bytes, mime: 'text/plain', fileName: 'old.txt' }, store.driver);
    expect(await files()).toEqual([]);
    expect(Buffer.from((await readVersionBytes(store.db, store.driver, legacy.version.id, originals))!).toString()).toBe('stored the old way');
  });

  it('takes its file back when the version row cannot be written', async () => {
    const corpusRow = await store.query<{ tenant_id: string }>(sql`SELECT tenant_id FROM corpora WHERE name = 'files'`);
    const corpus = await getCorpus(store.db, corpusRow[0]!.tenant_id, 'files');
    const before = await files();
    // A corpus id no row has: the documents insert fails its foreign key inside the transaction.
    const missing = { ...corpus, id: '00000000-0000-4000-8000-000000000001' };
    await expect(storeUpload(store.db, { corpus: missing, bytes: new TextEncoder().encode('orphan?'), mime: 'text/plain', fileName: 'x.txt' }, store.driver, originals)).rejects.toThrow();
    expect(await files()).toEqual(before);
  });
});
