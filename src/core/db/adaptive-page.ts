/**
 * Page size for a long read split into keyset pages, steered so that each page's statement holds the database
 * for about `targetMs`.
 *
 * Why: the embedded PGlite has one connection, so while a background copy (an index snapshot, the chunk-row
 * preload) reads a page, every answer's statements wait behind it. Fixed row counts were tuned for an idle
 * machine: during a large PDF's ingestion a 1,000-row page of posting blocks took 60-80 ms, and an answer whose
 * three statements each queued behind one waited 200+ ms. Halving when a page runs long and doubling when it
 * runs short keeps those waits near the target on PGlite, while on PostgreSQL, where pages are quick, the size
 * grows to `max` and the copy takes no more statements than before.
 */
export interface AdaptivePageOptions {
  /** The first page's rows. */
  initial: number;
  min: number;
  max: number;
  /** The time one page's statement should take (default 15 ms). */
  targetMs?: number | undefined;
}

export class AdaptivePage {
  private current: number;
  private readonly targetMs: number;

  constructor(private readonly options: AdaptivePageOptions) {
    this.current = clamp(options.initial, options.min, options.max);
    this.targetMs = options.targetMs ?? 15;
  }

  /** Rows to ask for in the next page. */
  get size(): number {
    return this.current;
  }

  /** Steers the next page by how long the last one took (ms, measured around its statement). */
  record(elapsedMs: number): void {
    if (elapsedMs > this.targetMs * 1.5) this.current = clamp(Math.floor(this.current / 2), this.options.min, this.options.max);
    else if (elapsedMs < this.targetMs / 2) this.current = clamp(this.current * 2, this.options.min, this.options.max);
  }

  /**
   * A keyset read, page by page: `query` gets the page size and the cursor of the previous page's last row
   * (undefined for the first), each page's time steers the next, and the read ends on a short page.
   */
  async *pages<T, C>(query: (limit: number, after: C | undefined) => PromiseLike<T[]>, cursorOf: (last: T) => C): AsyncGenerator<T[]> {
    for (let after: C | undefined; ; ) {
      const limit = this.current;
      const started = performance.now();
      const rows = await query(limit, after);
      this.record(performance.now() - started);
      if (rows.length > 0) yield rows;
      const last = rows.at(-1);
      if (last === undefined || rows.length < limit) return;
      after = cursorOf(last);
      // A turn of the event loop between pages. PGlite on the main thread (PGLITE_WORKER=off) answers in
      // microtasks, so without it a whole copy ran as one task: 0.6–1.4 s of event loop held after a PDF's
      // postings were written, against 0.23 s with one block per version.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
