import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { IndexScope } from '../../../indexes/ports';
import { analyzeChunks } from '../../../indexes/postgres/bm25-index';
import { inTransaction, type Executor } from '../../../indexes/postgres/transaction';
import { lexicalTitle } from '../../../ingestion/pipeline';
import { countTokensLinear } from '../../../ingestion/token-count';
import type { Store } from '../../../src/core/db/client';
import type { LocalHashEmbedder } from '../../../src/core/providers/local-hash-embedder';

/**
 * Bench seeding at scale without the per-document ingestion path: writes the
 * same rows ingestion writes for text documents (documents, document_versions
 * with their normalized text, chunks with real token counts and content
 * hashes, build_chunks, postings, chunk_vectors), computed with the same code
 * (the BM25 adapter's analyzeChunks over lexicalTitle + text, the embedder over
 * the chunk text as embedWithCache sends it), but in large multi-row
 * statements, one transaction per batch of chunks. The build_chunks statement
 * triggers fire once per batch and keep build_term_stats (N, total length,
 * version) exactly as ingestion would. Not written: version_blobs (the
 * original bytes, never read by retrieval) and the embedding cache (the local
 * embedder bypasses it).
 *
 * Postings are sorted by (term, chunk) within a batch so the covering primary
 * key is filled in key order; vectors travel as float4 text with 9
 * significant digits (exact for float4, half the bytes of a double's text).
 */

export interface SeedDocument {
  title: string;
  /** The document's chunks, in order. */
  chunks: string[];
}

export interface SeedPhases {
  prepareMs: number;
  rowsMs: number;
  postingsMs: number;
  vectorsMs: number;
  chunks: number;
  postings: number;
}

const CHUNK_ROWS_PER_STATEMENT = 5_000;
const POSTINGS_PER_STATEMENT = 50_000;
const VECTORS_PER_STATEMENT = 2_000;
const SEPARATOR = '\n\n';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** pgvector text of a float4 vector: 9 significant digits round-trip float4 exactly. */
export function float4VectorLiteral(vector: Float32Array): string {
  let text = '[';
  for (let index = 0; index < vector.length; index++) {
    if (index > 0) text += ',';
    const value = vector[index]!;
    text += value === 0 ? '0' : value.toPrecision(9);
  }
  return `${text}]`;
}

interface PreparedBatch {
  documents: { id: string; title: string; matchKey: string; versionId: string; text: string; sha: string; bytes: number }[];
  chunks: { id: string; documentId: string; versionId: string; ordinal: number; text: string; start: number; end: number; tokens: number; hash: string }[];
  buildChunks: { chunkIds: string[]; docLengths: number[] };
  postings: { terms: string[]; chunkIds: string[]; tfs: number[]; docLengths: number[] };
  vectors: { chunkIds: string[]; literals: string[] };
}

/** Lets pending database replies through while a batch is prepared, so preparing the next batch overlaps writing this one. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function prepare(documents: readonly SeedDocument[], offset: number, embedder: LocalHashEmbedder): Promise<PreparedBatch> {
  const batch: PreparedBatch = {
    documents: [],
    chunks: [],
    buildChunks: { chunkIds: [], docLengths: [] },
    postings: { terms: [], chunkIds: [], tfs: [], docLengths: [] },
    vectors: { chunkIds: [], literals: [] },
  };
  const lexical: { chunkId: string; documentId: string; versionId: string; text: string; title: string }[] = [];
  for (const [index, document] of documents.entries()) {
    if (index % 20 === 19) await yieldToEventLoop();
    const documentId = randomUUID();
    const versionId = randomUUID();
    const text = document.chunks.join(SEPARATOR);
    batch.documents.push({ id: documentId, title: document.title, matchKey: `external:bench-${offset + index}`, versionId, text, sha: sha256(text), bytes: Buffer.byteLength(text) });
    let start = 0;
    for (const [ordinal, chunkText] of document.chunks.entries()) {
      const chunkId = randomUUID();
      batch.chunks.push({ id: chunkId, documentId, versionId, ordinal, text: chunkText, start, end: start + chunkText.length, tokens: countTokensLinear(chunkText), hash: sha256(chunkText) });
      start += chunkText.length + SEPARATOR.length;
      lexical.push({ chunkId, documentId, versionId, text: chunkText, title: lexicalTitle(document.title, []) });
      batch.vectors.chunkIds.push(chunkId);
      batch.vectors.literals.push(float4VectorLiteral(embedder.embedOne(chunkText)));
    }
  }
  await yieldToEventLoop();
  const analyzed = await analyzeChunks(lexical);
  await yieldToEventLoop();
  const postings: { term: string; chunkId: string; tf: number; docLength: number }[] = [];
  for (const chunk of analyzed) {
    batch.buildChunks.chunkIds.push(chunk.chunkId);
    batch.buildChunks.docLengths.push(chunk.docLength);
    for (const [term, tf] of chunk.terms) postings.push({ term, chunkId: chunk.chunkId, tf, docLength: chunk.docLength });
  }
  await yieldToEventLoop();
  postings.sort((left, right) => (left.term < right.term ? -1 : left.term > right.term ? 1 : left.chunkId < right.chunkId ? -1 : left.chunkId > right.chunkId ? 1 : 0));
  for (const posting of postings) {
    batch.postings.terms.push(posting.term);
    batch.postings.chunkIds.push(posting.chunkId);
    batch.postings.tfs.push(posting.tf);
    batch.postings.docLengths.push(posting.docLength);
  }
  return batch;
}

async function timedPhase(phases: SeedPhases, key: 'rowsMs' | 'postingsMs' | 'vectorsMs', work: () => Promise<unknown>): Promise<void> {
  const start = performance.now();
  await work();
  phases[key] += performance.now() - start;
}

async function write(executor: Executor, scope: IndexScope, chunkerHash: string, dimensions: number, modelId: string, batch: PreparedBatch, phases: SeedPhases): Promise<void> {
  const tenant = sql`${scope.tenantId}::uuid`;
  const corpus = sql`${scope.corpusId}::uuid`;
  await timedPhase(phases, 'rowsMs', async () => {
    const docs = batch.documents;
    await executor(sql`
      INSERT INTO documents (id, tenant_id, corpus_id, title, external_id, match_key)
      SELECT u.id, ${tenant}, ${corpus}, u.title, substr(u.match_key, 10), u.match_key
      FROM unnest(${sql.param(docs.map((doc) => doc.id))}::uuid[], ${sql.param(docs.map((doc) => doc.title))}::text[],
                  ${sql.param(docs.map((doc) => doc.matchKey))}::text[]) AS u(id, title, match_key)`);
    await executor(sql`
      INSERT INTO document_versions (id, tenant_id, corpus_id, document_id, content_sha256, bytes, mime, status, normalized_text)
      SELECT u.id, ${tenant}, ${corpus}, u.document_id, u.sha, u.bytes, 'text/plain', 'ready', u.text
      FROM unnest(${sql.param(docs.map((doc) => doc.versionId))}::uuid[], ${sql.param(docs.map((doc) => doc.id))}::uuid[],
                  ${sql.param(docs.map((doc) => doc.sha))}::text[], ${sql.param(docs.map((doc) => doc.bytes))}::int[],
                  ${sql.param(docs.map((doc) => doc.text))}::text[]) AS u(id, document_id, sha, bytes, text)`);
    for (let start = 0; start < batch.chunks.length; start += CHUNK_ROWS_PER_STATEMENT) {
      const rows = batch.chunks.slice(start, start + CHUNK_ROWS_PER_STATEMENT);
      await executor(sql`
        INSERT INTO chunks (id, tenant_id, corpus_id, document_id, version_id, chunker_hash, ordinal, text, char_start, char_end, token_count, content_hash)
        SELECT u.id, ${tenant}, ${corpus}, u.document_id, u.version_id, ${chunkerHash}, u.ordinal, u.text, u.char_start, u.char_end, u.token_count, u.content_hash
        FROM unnest(${sql.param(rows.map((row) => row.id))}::uuid[], ${sql.param(rows.map((row) => row.documentId))}::uuid[],
                    ${sql.param(rows.map((row) => row.versionId))}::uuid[], ${sql.param(rows.map((row) => row.ordinal))}::int[],
                    ${sql.param(rows.map((row) => row.text))}::text[], ${sql.param(rows.map((row) => row.start))}::int[],
                    ${sql.param(rows.map((row) => row.end))}::int[], ${sql.param(rows.map((row) => row.tokens))}::int[],
                    ${sql.param(rows.map((row) => row.hash))}::text[])
             AS u(id, document_id, version_id, ordinal, text, char_start, char_end, token_count, content_hash)`);
    }
  });
  await timedPhase(phases, 'postingsMs', async () => {
    // One statement: the statement-level trigger adds the batch to build_term_stats once.
    await executor(sql`
      INSERT INTO build_chunks (build_id, chunk_id, tenant_id, corpus_id, doc_length)
      SELECT ${scope.buildId}::uuid, u.chunk_id, ${tenant}, ${corpus}, u.doc_length
      FROM unnest(${sql.param(batch.buildChunks.chunkIds)}::uuid[], ${sql.param(batch.buildChunks.docLengths)}::int[]) AS u(chunk_id, doc_length)`);
    const { terms, chunkIds, tfs, docLengths } = batch.postings;
    for (let start = 0; start < terms.length; start += POSTINGS_PER_STATEMENT) {
      const end = start + POSTINGS_PER_STATEMENT;
      await executor(sql`
        INSERT INTO postings (build_id, term, chunk_id, tenant_id, corpus_id, tf, doc_length)
        SELECT ${scope.buildId}::uuid, u.term, u.chunk_id, ${tenant}, ${corpus}, u.tf, u.doc_length
        FROM unnest(${sql.param(terms.slice(start, end))}::text[], ${sql.param(chunkIds.slice(start, end))}::uuid[],
                    ${sql.param(tfs.slice(start, end))}::int[], ${sql.param(docLengths.slice(start, end))}::int[]) AS u(term, chunk_id, tf, doc_length)`);
    }
  });
  await timedPhase(phases, 'vectorsMs', async () => {
    const cast = sql.raw(`::vector(${dimensions})`);
    for (let start = 0; start < batch.vectors.chunkIds.length; start += VECTORS_PER_STATEMENT) {
      const end = start + VECTORS_PER_STATEMENT;
      await executor(sql`
        INSERT INTO chunk_vectors (build_id, chunk_id, tenant_id, corpus_id, model_id, embedding)
        SELECT ${scope.buildId}::uuid, u.chunk_id, ${tenant}, ${corpus}, ${modelId}, u.embedding${cast}
        FROM unnest(${sql.param(batch.vectors.chunkIds.slice(start, end))}::uuid[], ${sql.param(batch.vectors.literals.slice(start, end))}::text[]) AS u(chunk_id, embedding)`);
    }
  });
}

/**
 * Writes the documents into the build, `chunksPerTransaction` chunks per
 * transaction. Returns the time spent per phase.
 */
export async function bulkSeed(
  store: Store,
  scope: IndexScope,
  options: { chunkerHash: string; modelId: string; embedder: LocalHashEmbedder; chunksPerTransaction: number; log?: (line: string) => void },
  documents: readonly SeedDocument[],
): Promise<SeedPhases> {
  const phases: SeedPhases = { prepareMs: 0, rowsMs: 0, postingsMs: 0, vectorsMs: 0, chunks: 0, postings: 0 };
  const slices: [number, number][] = [];
  for (let start = 0; start < documents.length; ) {
    let end = start;
    let chunks = 0;
    while (end < documents.length && chunks < options.chunksPerTransaction) chunks += documents[end++]!.chunks.length;
    slices.push([start, end]);
    start = end;
  }
  const prepareSlice = async (index: number): Promise<PreparedBatch | undefined> => {
    const slice = slices[index];
    if (!slice) return undefined;
    const start = performance.now();
    const prepared = await prepare(documents.slice(slice[0], slice[1]), slice[0], options.embedder);
    phases.prepareMs += performance.now() - start;
    return prepared;
  };
  let next = await prepareSlice(0);
  for (let index = 0; next; index++) {
    const batch = next;
    // Write this batch while the next one is prepared (the preparation yields to let replies through).
    [, next] = await Promise.all([
      inTransaction(store, async (executor) => {
        // A bench load: losing it in a crash costs nothing, so do not wait for the WAL flush at commit.
        if (store.driver === 'pg') await executor(sql`SET LOCAL synchronous_commit = off`);
        await write(executor, scope, options.chunkerHash, options.embedder.dimensions, options.modelId, batch, phases);
      }),
      prepareSlice(index + 1),
    ]);
    phases.chunks += batch.chunks.length;
    phases.postings += batch.postings.terms.length;
    options.log?.(`  seeded ${phases.chunks} chunks (${phases.postings} postings)`);
  }
  return phases;
}
