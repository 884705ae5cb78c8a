import type { ChunkRow } from '../src/core/db/schema';
import { BinaryCopyWriter } from '../indexes/postgres/copy-binary';

/** The `chunks` columns chunksCopy writes, in its order (COPY's column list). */
export const CHUNK_COPY_COLUMNS =
  'chunks (id, tenant_id, corpus_id, document_id, version_id, chunker_hash, ordinal, text, char_start, char_end, page_start, page_end, heading_path, token_count, content_hash)';

/** Chunk rows as a binary COPY file (PGlite), for CHUNK_COPY_COLUMNS. */
export function chunksCopy(rows: readonly ChunkRow[]): Uint8Array<ArrayBuffer> {
  const writer = new BinaryCopyWriter(rows.reduce((sum, row) => sum + 300 + 3 * row.text.length, 64));
  for (const row of rows) {
    writer
      .row(15)
      .uuid(row.id)
      .uuid(row.tenantId)
      .uuid(row.corpusId)
      .uuid(row.documentId)
      .uuid(row.versionId)
      .text(row.chunkerHash)
      .int4(row.ordinal)
      .text(row.text)
      .int4(row.charStart)
      .int4(row.charEnd);
    if (row.pageStart === null) writer.null();
    else writer.int4(row.pageStart);
    if (row.pageEnd === null) writer.null();
    else writer.int4(row.pageEnd);
    writer.textArray(row.headingPath).int4(row.tokenCount).text(row.contentHash);
  }
  return writer.finish();
}
