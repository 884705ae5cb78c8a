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
export class ChunkRowCache<Row> {
  private readonly rows = new Map<string, Row>();

  constructor(private readonly maxEntries: number) {}

  get(scope: string, chunkId: string): Row | undefined {
    const key = `${scope}:${chunkId}`;
    const row = this.rows.get(key);
    if (row === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks it most recently used.
    this.rows.delete(key);
    this.rows.set(key, row);
    return row;
  }

  set(scope: string, chunkId: string, row: Row): void {
    if (this.maxEntries <= 0) return;
    const key = `${scope}:${chunkId}`;
    this.rows.delete(key);
    this.rows.set(key, row);
    while (this.rows.size > this.maxEntries) {
      const oldest = this.rows.keys().next().value;
      if (oldest === undefined) break;
      this.rows.delete(oldest);
    }
  }

  get size(): number {
    return this.rows.size;
  }
}
