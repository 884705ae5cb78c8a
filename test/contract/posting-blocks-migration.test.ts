import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { MIGRATIONS_DIR, migrateStore } from '../../src/core/db/client';
import { analyzeChunks, PostgresBm25Index } from '../../indexes/postgres/bm25-index';
import { seedBuild, seedChunks, seedCorpus } from '../helpers/seed';
import { storeTargets } from '../helpers/stores';

const targets = await storeTargets('posting blocks migration');

/** The migrations up to and including `lastIndex`: a store as an older release left it. */
function migrationsUpTo(lastIndex: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'attest-migrations-'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  const kept = journal.entries.filter((entry) => entry.idx <= lastIndex);
  for (const entry of kept) cpSync(join(MIGRATIONS_DIR, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
  cpSync(join(MIGRATIONS_DIR, 'meta'), join(folder, 'meta'), { recursive: true, filter: (source) => !/\/\d{4}_snapshot\.json$/.test(source) || Number(source.match(/(\d{4})_snapshot/)![1]) <= lastIndex });
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: kept }));
  return folder;
}

const TEXTS_A = ['alpha beta gamma alpha', 'beta gamma delta epsilon', 'gamma delta'];
const TEXTS_B = ['zeta eta theta iota kappa gamma', 'alpha zeta'];

describe.each(targets)('migration 0006 (postings to posting blocks) on $name', (target) => {
  const folders: string[] = [];
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('turns each version\'s postings into one block, keeps scores, and keeps deletes cascading', async () => {
    const before = migrationsUpTo(5);
    folders.push(before);
    expect(readdirSync(before).filter((name) => name.endsWith('.sql'))).toHaveLength(6);
    const store = await target.open(before);
    try {
      const scope = await seedCorpus(store);
      const a = await seedChunks(store, scope, TEXTS_A);
      const b = await seedChunks(store, scope, TEXTS_B);
      // What the BM25 adapter wrote before 0006: one postings row per (build, term, chunk).
      const analyzed = analyzeChunks([...a, ...b]);
      await store.query(sql`
        INSERT INTO build_chunks (build_id, chunk_id, tenant_id, corpus_id, doc_length)
        SELECT ${scope.buildId}::uuid, u.chunk_id, ${scope.tenantId}::uuid, ${scope.corpusId}::uuid, u.doc_length
        FROM unnest(${sql.param(analyzed.map((chunk) => chunk.chunkId))}::uuid[], ${sql.param(analyzed.map((chunk) => chunk.docLength))}::int[]) AS u(chunk_id, doc_length)`);
      const old = analyzed.flatMap((chunk) => [...chunk.terms].map(([term, tf]) => ({ term, chunk_id: chunk.chunkId, tf, doc_length: chunk.docLength })));
      await store.query(sql`
        INSERT INTO postings (build_id, term, chunk_id, tenant_id, corpus_id, tf, doc_length)
        SELECT ${scope.buildId}::uuid, u.term, u.chunk_id, ${scope.tenantId}::uuid, ${scope.corpusId}::uuid, u.tf, u.doc_length
        FROM unnest(${sql.param(old.map((row) => row.term))}::text[], ${sql.param(old.map((row) => row.chunk_id))}::uuid[],
                    ${sql.param(old.map((row) => row.tf))}::int[], ${sql.param(old.map((row) => row.doc_length))}::int[]) AS u(term, chunk_id, tf, doc_length)`);
      const readPostings = () =>
        store.query<{ term: string; chunk_id: string; tf: number; doc_length: number }>(sql`
          SELECT term, chunk_id, tf, doc_length FROM postings WHERE build_id = ${scope.buildId}::uuid ORDER BY term, chunk_id`);
      const oldRows = await readPostings();
      expect(oldRows).toHaveLength(old.length);

      await migrateStore(store);

      // The view gives back exactly the rows the table held.
      expect(await readPostings()).toEqual(oldRows);
      // One block per version, named by it, in every build_chunks row and in the blocks.
      const blocks = await store.query<{ block_id: string; rows: number }>(sql`
        SELECT block_id, count(*)::int AS rows FROM posting_blocks WHERE build_id = ${scope.buildId}::uuid GROUP BY block_id ORDER BY block_id`);
      const versionA = (await store.query<{ version_id: string }>(sql`SELECT version_id FROM chunks WHERE id = ${a[0]!.chunkId}::uuid`))[0]!.version_id;
      const versionB = (await store.query<{ version_id: string }>(sql`SELECT version_id FROM chunks WHERE id = ${b[0]!.chunkId}::uuid`))[0]!.version_id;
      const termsOf = (chunks: typeof analyzed) => new Set(chunks.flatMap((chunk) => [...chunk.terms.keys()])).size;
      const inA = new Set(a.map((chunk) => chunk.chunkId));
      expect(blocks).toEqual(
        [
          { block_id: versionA, rows: termsOf(analyzed.filter((chunk) => inA.has(chunk.chunkId))) },
          { block_id: versionB, rows: termsOf(analyzed.filter((chunk) => !inA.has(chunk.chunkId))) },
        ].sort((left, right) => (left.block_id < right.block_id ? -1 : 1)),
      );
      const unnamed = await store.query<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM build_chunks bc JOIN chunks c ON c.id = bc.chunk_id WHERE bc.block_id <> c.version_id`);
      expect(unnamed[0]!.n).toBe(0);

      // Scores equal those of the same chunks written afresh by the adapter into another build.
      const index = new PostgresBm25Index(store);
      const fresh = { ...scope, buildId: await seedBuild(store, { tenantId: scope.tenantId, corpusId: scope.corpusId, modelId: scope.modelId }) };
      await index.add(fresh, [...a, ...b]);
      for (const query of ['gamma', 'alpha zeta', 'delta epsilon kappa']) {
        expect(await index.search(scope, query, 10)).toEqual(await index.search(fresh, query, 10));
      }

      // A migrated block still leaves with its chunks, and the statistics follow.
      await store.query(sql`DELETE FROM chunks WHERE version_id = ${versionA}::uuid`);
      expect(await store.query(sql`SELECT 1 FROM posting_blocks WHERE block_id = ${versionA}::uuid`)).toHaveLength(0);
      const [stats] = await store.query<{ doc_count: number; total_length: number; recount: number }>(sql`
        SELECT doc_count::int, total_length::int, (SELECT coalesce(sum(tf), 0)::int FROM postings WHERE build_id = ${scope.buildId}::uuid) AS recount
        FROM build_term_stats WHERE build_id = ${scope.buildId}::uuid`);
      expect(stats).toEqual({ doc_count: b.length, total_length: stats!.recount, recount: stats!.recount });
      expect((await index.search(scope, 'gamma', 10)).map((hit) => hit.chunkId)).toEqual([b[0]!.chunkId]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
