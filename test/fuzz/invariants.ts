/**
 * Invariants of the ingestion tables (src/core/db/schema.ts) that no request,
 * however malformed, may break. Each is a query for the rows that violate it,
 * so a failure names them.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../../src/core/db/client';
import { isErrorCode } from '../../src/core/errors';

const VIOLATIONS: Record<string, SQL> = {
  'a document without a version': sql`select d.id from documents d where not exists (select 1 from document_versions v where v.document_id = d.id)`,
  'a version without its stored bytes': sql`select v.id from document_versions v where not exists (select 1 from version_blobs b where b.version_id = v.id)`,
  'stored bytes of another length than the version says': sql`select v.id from document_versions v join version_blobs b on b.version_id = v.id where octet_length(b.content) <> v.bytes`,
  'a pending version with no job': sql`select v.id from document_versions v where v.status = 'pending' and (v.job_id is null or not exists (select 1 from jobs j where j.id = v.job_id))`,
  'a failed version without an error code': sql`select v.id from document_versions v where v.status = 'failed' and v.error_code is null`,
  'a ready version without normalized text': sql`select v.id from document_versions v where v.status = 'ready' and v.normalized_text is null`,
  'a chunk of a version that has no normalized text': sql`select c.id from chunks c join document_versions v on v.id = c.version_id where v.normalized_text is null`,
  'a chunk with negative or inverted offsets': sql`select c.id from chunks c where c.char_start < 0 or c.char_end < c.char_start`,
  'a chunk of another document than its version': sql`select c.id from chunks c join document_versions v on v.id = c.version_id where c.document_id <> v.document_id`,
  'a build_chunks row without its chunk': sql`select bc.chunk_id as id from build_chunks bc where not exists (select 1 from chunks c where c.id = bc.chunk_id)`,
  'a posting without its build_chunks row': sql`select p.chunk_id as id from all_postings p where not exists (select 1 from build_chunks bc where bc.build_id = p.build_id and bc.chunk_id = p.chunk_id)`,
  'a chunk vector without its chunk': sql`select cv.chunk_id as id from chunk_vectors cv where not exists (select 1 from chunks c where c.id = cv.chunk_id)`,
};

/** Only true once the job queue is idle: nothing may be left half-done. */
const SETTLED_VIOLATIONS: Record<string, SQL> = {
  'a version still pending or processing with the queue idle': sql`select v.id from document_versions v where v.status in ('pending', 'processing')`,
  'a job neither completed nor failed with the queue idle': sql`select j.id from jobs j where j.state not in ('completed', 'failed')`,
};

/** Broken invariants, by name, with up to 5 offending ids each; empty when all hold. */
export async function brokenInvariants(store: Store, options: { settled: boolean }): Promise<Record<string, string[]>> {
  const broken: Record<string, string[]> = {};
  const checks = options.settled ? { ...VIOLATIONS, ...SETTLED_VIOLATIONS } : VIOLATIONS;
  for (const [name, query] of Object.entries(checks)) {
    const rows = await store.query<{ id: string }>(sql`${query} limit 5`);
    if (rows.length > 0) broken[name] = rows.map((row) => String(row.id));
  }
  // Failure codes are read by clients: they must be stable, catalogued ones.
  const codes = await store.query<{ id: string; code: string | null }>(
    sql`select id::text as id, error_code as code from document_versions where status = 'failed' union all select id, error->>'code' as code from jobs where state = 'failed'`,
  );
  const uncatalogued = codes.filter((row) => row.code === null || !isErrorCode(row.code)).map((row) => `${row.id}: ${row.code}`);
  if (uncatalogued.length > 0) broken['a failure code outside ERROR_CATALOG'] = uncatalogued.slice(0, 5);
  return broken;
}

/**
 * Citation offsets are JavaScript (UTF-16) indices, which SQL's substr (code
 * points) cannot check: each chunk's text must be exactly its version's
 * normalized text sliced at its offsets.
 */
export async function chunksNotMatchingText(store: Store, versionIds?: string[]): Promise<string[]> {
  const filter = versionIds === undefined ? sql`true` : versionIds.length === 0 ? sql`false` : sql`v.id in (${sql.join(versionIds.map((id) => sql`${id}::uuid`), sql`, `)})`;
  const versions = await store.query<{ id: string; text: string }>(sql`select v.id, v.normalized_text as text from document_versions v where v.normalized_text is not null and ${filter}`);
  const bad: string[] = [];
  for (const version of versions) {
    const rows = await store.query<{ id: string; text: string; start: number; end: number }>(
      sql`select id, text, char_start as start, char_end as "end" from chunks where version_id = ${version.id}::uuid`,
    );
    for (const chunk of rows) {
      if (chunk.end > version.text.length || version.text.slice(chunk.start, chunk.end) !== chunk.text) bad.push(`chunk ${chunk.id} [${chunk.start}, ${chunk.end}) of version ${version.id} (${version.text.length} chars)`);
    }
  }
  return bad;
}

export async function rowCounts(store: Store): Promise<{ documents: number; versions: number; blobs: number }> {
  const [row] = await store.query<{ documents: number; versions: number; blobs: number }>(
    sql`select (select count(*) from documents)::int as documents, (select count(*) from document_versions)::int as versions, (select count(*) from version_blobs)::int as blobs`,
  );
  return { documents: Number(row?.documents), versions: Number(row?.versions), blobs: Number(row?.blobs) };
}
