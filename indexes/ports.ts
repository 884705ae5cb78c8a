/**
 * Index ports. Every query names its tenant and corpus and the adapter filters
 * on them inside the index, never after.
 */

export interface IndexScope {
  tenantId: string;
  corpusId: string;
  buildId: string;
}

/** A chunk as the indexes see it. */
export interface IndexedChunk {
  chunkId: string;
  documentId: string;
  versionId: string;
  text: string;
  /** Title and heading path, indexed with the text for lexical matching. */
  title?: string;
}

export interface ScoredChunk {
  chunkId: string;
  score: number;
}

export interface LexicalIndex {
  /** Adds chunks; idempotent per chunkId (re-adding replaces). */
  add(scope: IndexScope, chunks: readonly IndexedChunk[]): Promise<void>;
  removeChunks(scope: IndexScope, chunkIds: readonly string[]): Promise<void>;
  search(scope: IndexScope, query: string, limit: number): Promise<ScoredChunk[]>;
}

export interface VectorRecord {
  chunkId: string;
  documentId: string;
  versionId: string;
  vector: number[];
}

export interface VectorIndex {
  /** Creates the per-build structures explicitly (never lazily on first write). */
  createBuild(scope: IndexScope, model: { id: string; dimensions: number }): Promise<void>;
  dropBuild(scope: IndexScope): Promise<void>;
  upsert(scope: IndexScope, modelId: string, records: readonly VectorRecord[]): Promise<void>;
  removeChunks(scope: IndexScope, chunkIds: readonly string[]): Promise<void>;
  /** Rejects a vector of another model with EMBEDDING_MODEL_MISMATCH. */
  search(scope: IndexScope, modelId: string, vector: readonly number[], limit: number): Promise<ScoredChunk[]>;
}
