import { LRUCache } from 'lru-cache';

/**
 * Hydrated chunk rows kept in memory between queries, least recently used
 * evicted first. A chunk row never changes once written (a new version makes
 * new chunks); the document title beside it can, but only with an upload that
 * also bumps the corpus generation when it goes live, so entries are keyed by
 * (corpus, generation): a bump makes every older entry a miss. Rows of deleted
 * chunks are never asked for again, because searches only return live ids.
 *
 * Why: reading ~30 rows by primary key costs about 3 ms of CPU per query on
 * PGlite (whose engine runs on the API's thread), a tenth of an answer's
 * service time at 10K chunks, for rows that repeat across questions.
 */
export class ChunkRowCache<Row extends NonNullable<unknown>> {
  private readonly rows: LRUCache<string, Row> | undefined;

  constructor(maxEntries: number) {
    this.rows = maxEntries > 0 ? new LRUCache<string, Row>({ max: maxEntries }) : undefined;
  }

  get(scope: string, chunkId: string): Row | undefined {
    return this.rows?.get(`${scope}:${chunkId}`);
  }

  set(scope: string, chunkId: string, row: Row): void {
    this.rows?.set(`${scope}:${chunkId}`, row);
  }

  get size(): number {
    return this.rows?.size ?? 0;
  }
}
