import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Store } from '../../src/core/db/client';
import type { IndexedChunk, IndexScope } from '../../indexes/ports';

/**
 * Test data with every foreign key satisfied: tenant → corpus → embedding model
 * → index build, and document → version → chunks. Each call makes fresh rows
 * (random names), so suites sharing a store never see each other's data.
 */

export interface SeededCorpus extends IndexScope {
  modelId: string;
  dimensions: number;
}

export interface SeedCorpusOptions {
  /** Defaults to a random unique name. */
  tenantName?: string;
  /** Reuse an existing tenant instead of creating one. */
  tenantId?: string;
  corpusName?: string;
  /** Embedding dimension of the build's model (default 384, the local hashing embedder's). */
  dimensions?: number;
  /** Defaults to `local-hash` at 384 dimensions and `local-hash@<d>` otherwise (the id is the primary key). */
  modelId?: string;
  /** index_builds.status (default `building`). */
  status?: string;
  analyzerVersion?: string;
}

export const DEFAULT_DIMENSIONS = 384;

function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Inserts (or reuses) the embedding model row; throws if the id exists with another dimension. */
export async function seedEmbeddingModel(store: Store, dimensions = DEFAULT_DIMENSIONS, modelId?: string): Promise<string> {
  const id = modelId ?? (dimensions === DEFAULT_DIMENSIONS ? 'local-hash' : `local-hash@${dimensions}`);
  await store.query(sql`
    INSERT INTO embedding_models (id, provider, model, dimension, fingerprint)
    VALUES (${id}, 'local', 'local-hash', ${dimensions}, ${`local-hash:${dimensions}:test`})
    ON CONFLICT (id) DO NOTHING`);
  const [row] = await store.query<{ dimension: number }>(sql`SELECT dimension FROM embedding_models WHERE id = ${id}`);
  if (row?.dimension !== dimensions) throw new Error(`embedding model ${id} exists with dimension ${row?.dimension}, wanted ${dimensions}`);
  return id;
}

export async function seedTenant(store: Store, name = uniqueName('tenant')): Promise<string> {
  const [row] = await store.query<{ id: string }>(sql`INSERT INTO tenants (name) VALUES (${name}) RETURNING id`);
  if (!row) throw new Error('tenant insert returned no row');
  return row.id;
}

/** A tenant (unless given), a corpus, a model row and a build of that corpus with that model. */
export async function seedCorpus(store: Store, options: SeedCorpusOptions = {}): Promise<SeededCorpus> {
  const dimensions = options.dimensions ?? DEFAULT_DIMENSIONS;
  const tenantId = options.tenantId ?? (await seedTenant(store, options.tenantName));
  const modelId = await seedEmbeddingModel(store, dimensions, options.modelId);
  const [corpus] = await store.query<{ id: string }>(sql`
    INSERT INTO corpora (tenant_id, name) VALUES (${tenantId}, ${options.corpusName ?? uniqueName('corpus')}) RETURNING id`);
  if (!corpus) throw new Error('corpus insert returned no row');
  const buildId = await seedBuild(store, { tenantId, corpusId: corpus.id, modelId, status: options.status, analyzerVersion: options.analyzerVersion });
  return { tenantId, corpusId: corpus.id, buildId, modelId, dimensions };
}

/** Another build of an existing corpus (e.g. a reindex with another model). */
export async function seedBuild(
  store: Store,
  options: { tenantId: string; corpusId: string; modelId: string; status?: string | undefined; analyzerVersion?: string | undefined },
): Promise<string> {
  const [build] = await store.query<{ id: string }>(sql`
    INSERT INTO index_builds (tenant_id, corpus_id, embedding_model_id, chunker, chunker_hash, analyzer_version, status)
    VALUES (${options.tenantId}, ${options.corpusId}, ${options.modelId}, ${JSON.stringify({ maxTokens: 400, overlap: 40 })}::jsonb,
            'test-chunker', ${options.analyzerVersion ?? 'test'}, ${options.status ?? 'building'})
    RETURNING id`);
  if (!build) throw new Error('index build insert returned no row');
  return build.id;
}

export type SeedChunkInput = string | { text: string; title?: string };

export interface SeedChunksOptions {
  /** Title of the document that holds the chunks (default random). */
  documentTitle?: string;
  chunkerHash?: string;
}

/**
 * One document with one version holding the given chunks (in order), under the
 * scope's tenant and corpus. Returns them as the indexes see them.
 */
export async function seedChunks(
  store: Store,
  scope: Pick<IndexScope, 'tenantId' | 'corpusId'>,
  inputs: readonly SeedChunkInput[],
  options: SeedChunksOptions = {},
): Promise<IndexedChunk[]> {
  const title = options.documentTitle ?? uniqueName('document');
  const [document] = await store.query<{ id: string }>(sql`
    INSERT INTO documents (tenant_id, corpus_id, title, match_key) VALUES (${scope.tenantId}, ${scope.corpusId}, ${title}, ${title})
    RETURNING id`);
  if (!document) throw new Error('document insert returned no row');
  const normalized = inputs.map((input) => (typeof input === 'string' ? input : input.text)).join('\n\n');
  const [version] = await store.query<{ id: string }>(sql`
    INSERT INTO document_versions (tenant_id, corpus_id, document_id, content_sha256, bytes, mime, status, normalized_text)
    VALUES (${scope.tenantId}, ${scope.corpusId}, ${document.id}, ${randomUUID()}, ${normalized.length}, 'text/plain', 'ready', ${normalized})
    RETURNING id`);
  if (!version) throw new Error('version insert returned no row');
  if (inputs.length === 0) return [];

  const ids: string[] = [];
  const texts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const headings: string[] = [];
  let offset = 0;
  for (const input of inputs) {
    const text = typeof input === 'string' ? input : input.text;
    ids.push(randomUUID());
    texts.push(text);
    starts.push(offset);
    ends.push(offset + text.length);
    headings.push(typeof input === 'string' ? '' : (input.title ?? ''));
    offset += text.length + 2;
  }
  await store.query(sql`
    INSERT INTO chunks (id, tenant_id, corpus_id, document_id, version_id, chunker_hash, ordinal, text, char_start, char_end,
                        heading_path, token_count, content_hash)
    SELECT u.id, ${scope.tenantId}, ${scope.corpusId}, ${document.id}, ${version.id}, ${options.chunkerHash ?? 'test-chunker'},
           u.ordinal - 1, u.text, u.char_start, u.char_end,
           CASE WHEN u.heading = '' THEN '{}'::text[] ELSE ARRAY[u.heading] END,
           array_length(regexp_split_to_array(u.text, '\\s+'), 1), md5(u.text)
    FROM unnest(${sql.param(ids)}::uuid[], ${sql.param(texts)}::text[], ${sql.param(starts)}::int[], ${sql.param(ends)}::int[],
                ${sql.param(headings)}::text[]) WITH ORDINALITY AS u(id, text, char_start, char_end, heading, ordinal)`);

  return inputs.map((input, index) => {
    const chunk: IndexedChunk = { chunkId: ids[index]!, documentId: document.id, versionId: version.id, text: texts[index]! };
    if (typeof input !== 'string' && input.title !== undefined) chunk.title = input.title;
    return chunk;
  });
}
