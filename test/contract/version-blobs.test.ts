import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Store } from '../../src/core/db/client';
import { readVersionBytes, storeUpload } from '../../ingestion/documents';
import { getCorpus } from '../../src/core/corpora';
import { seedCorpus } from '../helpers/seed';
import { storeTargets } from '../helpers/stores';

const targets = await storeTargets('original bytes');

describe.each(targets)('original bytes on $name', (target) => {
  let store: Store;
  beforeAll(async () => {
    store = await target.open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('come back byte for byte (binary COPY both ways on PGlite), stored uncompressed', async () => {
    const { tenantId, corpusId } = await seedCorpus(store);
    const [row] = await store.query<{ name: string }>(sql`SELECT name FROM corpora WHERE id = ${corpusId}::uuid`);
    const corpus = await getCorpus(store.db, tenantId, row!.name);
    // Every byte value, a NUL-heavy run and 3 MB of noise: what a text column or a careless encoding would mangle.
    const bytes = new Uint8Array(3 * 1024 * 1024 + 257);
    for (let index = 0; index < bytes.length; index++) bytes[index] = index < 256 ? index : index % 7 === 0 ? 0 : (index * 2654435761) >>> 24;
    const stored = await storeUpload(store.db, { corpus, bytes, mime: 'application/pdf', fileName: 'noise.pdf' }, store.driver);
    expect(stored.deduplicated).toBe(false);
    const back = await readVersionBytes(store.db, store.driver, stored.version.id);
    expect(back).toHaveLength(bytes.length);
    expect(Buffer.compare(back!, bytes)).toBe(0);
    expect(await readVersionBytes(store.db, store.driver, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
    const [storage] = await store.query<{ attstorage: string }>(sql`
      SELECT attstorage FROM pg_attribute WHERE attrelid = 'version_blobs'::regclass AND attname = 'content'`);
    expect(storage?.attstorage).toBe('e');
  });

  it('keep the normalized text and structure uncompressed, the structure as json (migration 0008)', async () => {
    const columns = await store.query<{ attname: string; attstorage: string; type: string }>(sql`
      SELECT attname, attstorage, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = 'document_versions'::regclass AND attname IN ('normalized_text', 'structure') ORDER BY attname`);
    expect(columns).toEqual([
      { attname: 'normalized_text', attstorage: 'e', type: 'text' },
      { attname: 'structure', attstorage: 'e', type: 'json' },
    ]);
  });
});
