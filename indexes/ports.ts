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
  /**
   * How many chunks of the build hold each of these analyzed terms, and how many chunks it has: what the
   * answerability gate asks before refusing a question about things the documents never mention.
   * Optional: an index that cannot count (Qdrant's sparse vectors) leaves the gate to relevance alone.
   */
  termStatistics?(scope: IndexScope, terms: readonly string[]): Promise<TermStatistics>;
}

export interface TermStatistics {
  documents: number;
  frequencies: Map<string, number>;
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
