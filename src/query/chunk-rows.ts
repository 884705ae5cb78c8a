import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { AdaptivePage } from '../core/db/adaptive-page';
import type { Db } from '../core/db/client';
import { buildChunks, chunks, documents } from '../core/db/schema';
import type { HydratedRow } from './retrieve';

/** What a search reads rows for: its corpus at one generation, through one build. */
export interface ChunkRowScope {
  tenantId: string;
  corpusId: string;
  generation: number;
  buildId: string;
}

type StoredRow = Omit<HydratedRow, 'title'>;

const rowColumns = {
  chunkId: chunks.id,
  documentId: chunks.documentId,
  versionId: chunks.versionId,
  text: chunks.text,
  ordinal: chunks.ordinal,
  charStart: chunks.charStart,
  charEnd: chunks.charEnd,
  page: chunks.pageStart,
  pageEnd: chunks.pageEnd,
  headingPath: chunks.headingPath,
  tokenCount: chunks.tokenCount,
};
const titleOfChunk = sql<string>`coalesce((SELECT ${documents.title} FROM ${documents} WHERE ${documents.id} = ${chunks.documentId}), '')`;

/** Reads the rows of `chunkIds`, with their document titles, from the database: what ChunkRows reads on a miss. */
export async function readChunkRows(db: Db, scope: Pick<ChunkRowScope, 'tenantId' | 'corpusId'>, chunkIds: readonly string[]): Promise<Map<string, HydratedRow>> {
  if (chunkIds.length === 0) return new Map();
  // Only the columns a result carries, and the title by primary key per row: joined, the planner (with
  // stale estimates) hashed the whole documents table for a few dozen rows (PGlite, 11.5K chunks: 5.0 → 3.8 ms p50).
  const rows = await db
    .select({ ...rowColumns, title: titleOfChunk })
    .from(chunks)
    // Ids come from searches of this corpus; the scope makes a stray id read nothing rather than another tenant's row.
    .where(and(inArray(chunks.id, [...chunkIds]), eq(chunks.tenantId, scope.tenantId), eq(chunks.corpusId, scope.corpusId)));
  return new Map(rows.map((row) => [row.chunkId, row]));
}

export interface ChunkRowsOptions {
  /** Rows held across corpora, least recently used evicted first; 0 holds none and preloads nothing. */
  maxRows: number;
  /** Copy a build's rows in the background when it has at most this many chunks (0: never). */
  preloadUpTo: number;
  /** Minimum time between two background loads for one corpus (a bulk upload moves the generation often). */
  minReloadIntervalMs: number;
  onError?: (error: unknown) => void;
}

/** Rows per page while copying a build, steered to ~15 ms a statement (see AdaptivePage): answers' statements wait behind each page on PGlite. */
const PRELOAD_PAGES = { initial: 250, min: 25, max: 1_000 };

/**
 * Chunk rows kept in memory between searches, with the build's rows copied in
 * the background when it is small enough to hold whole.
 *
 * A chunk row never changes once written (a new version makes new chunks), so
 * a row is kept by (tenant, corpus, chunk id) for as long as it fits. The document title
 * beside it can change, but only with an upload that also bumps the corpus
 * generation when it goes live, so titles are kept by (tenant, corpus,
 * generation, document): after a bump, a search whose rows are all held reads only the
 * titles it lacks, and the next background load reads them all again. Rows of
 * deleted chunks are never asked for again, because searches return only live ids.
 *
 * Why: reading ~30 rows by primary key cost 2–5 ms per question on PGlite
 * (whose engine runs on the API's thread), a third of an answer's service time
 * at 11.5K chunks; questions on fresh topics hit rows an LRU filled by earlier
 * questions has not seen. Held whole, the 11.5K SciFact chunks of that bench are 7.8M characters
 * of text, roughly 12 MB with their row objects and keys.
 */
export class ChunkRows {
  private readonly rows: LRUCache<string, StoredRow> | undefined;
  private readonly titles: LRUCache<string, string> | undefined;
  /**
   * Per corpus: the build whose rows were copied and how many chunks it had then, the generation whose
   * titles were, and when the last load began.
   */
  private readonly loads = new Map<string, { buildId?: string; copiedChunks?: number; generation?: number; startedAt: number; running?: Promise<void> }>();

  constructor(
    private readonly db: Db,
    private readonly options: ChunkRowsOptions,
  ) {
    if (options.maxRows > 0) {
      this.rows = new LRUCache({ max: options.maxRows });
      this.titles = new LRUCache({ max: options.maxRows });
    }
  }

  /** `preload`: the scope's build is the corpus's active one, worth copying whole (not a candidate a canary scores). */
  async read(scope: ChunkRowScope, chunkIds: readonly string[], preload = true): Promise<Map<string, HydratedRow>> {
    const { rows, titles } = this;
    if (!rows || !titles) return readChunkRows(this.db, scope, chunkIds);
    if (preload) this.preloadInBackground(scope);
    const found = new Map<string, HydratedRow>();
    const missing: string[] = [];
    const untitled: StoredRow[] = [];
    for (const chunkId of chunkIds) {
      const row = rows.get(rowKey(scope, chunkId));
      if (!row) {
        missing.push(chunkId);
        continue;
      }
      const title = titles.get(titleKey(scope, row.documentId));
      if (title === undefined) untitled.push(row);
      else found.set(chunkId, { ...row, title });
    }
    for (const [chunkId, row] of await readChunkRows(this.db, scope, missing)) {
      this.remember(scope, row);
      found.set(chunkId, row);
    }
    const lacking = [...new Set(untitled.map((row) => row.documentId).filter((id) => titles.get(titleKey(scope, id)) === undefined))];
    if (lacking.length > 0) {
      const read = await this.db
        .select({ id: documents.id, title: documents.title })
        .from(documents)
        .where(and(inArray(documents.id, lacking), eq(documents.tenantId, scope.tenantId), eq(documents.corpusId, scope.corpusId)));
      for (const { id, title } of read) titles.set(titleKey(scope, id), title);
    }
    for (const row of untitled) found.set(row.chunkId, { ...row, title: titles.get(titleKey(scope, row.documentId)) ?? '' });
    return found;
  }

  /**
   * Copies the build's rows and the generation's titles, now: what the background load does. The rows are
   * copied again only when the build has grown by more than a tenth since the last copy (a corpus first
   * searched while empty, or filling up), so a bulk upload costs a few copies, not one per generation. A
   * build or corpus too large to hold is not copied.
   */
  async preload(scope: ChunkRowScope): Promise<void> {
    const state = this.loads.get(scope.corpusId) ?? { startedAt: 0 };
    this.loads.set(scope.corpusId, state);
    state.startedAt = performance.now();
    if (state.buildId !== scope.buildId) {
      state.buildId = scope.buildId;
      delete state.copiedChunks;
    }
    const inBuild = await this.countBuildChunks(scope);
    if (state.copiedChunks === undefined || inBuild > state.copiedChunks * 1.1) {
      if (inBuild <= Math.min(this.options.preloadUpTo, this.options.maxRows)) await this.copyRows(scope);
      state.copiedChunks = inBuild;
    }
    if (state.generation !== scope.generation) {
      await this.copyTitles(scope);
      state.generation = scope.generation;
    }
  }

  private preloadInBackground(scope: ChunkRowScope): void {
    if (this.options.preloadUpTo <= 0) return;
    const state = this.loads.get(scope.corpusId);
    if (state && (state.running || (state.buildId === scope.buildId && state.generation === scope.generation))) return;
    if (state && performance.now() - state.startedAt < this.options.minReloadIntervalMs) return;
    const running = this.preload(scope)
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        const current = this.loads.get(scope.corpusId);
        if (current) delete current.running;
      });
    const current = this.loads.get(scope.corpusId);
    if (current) current.running = running;
  }

  private async countBuildChunks(scope: ChunkRowScope): Promise<number> {
    const [count] = await this.db.select({ n: sql<number>`count(*)::int` }).from(buildChunks).where(inBuildOf(scope));
    return count?.n ?? 0;
  }

  private async copyRows(scope: ChunkRowScope): Promise<void> {
    const inBuild = inBuildOf(scope);
    const pages = new AdaptivePage(PRELOAD_PAGES).pages(
      (limit, after: string | undefined) =>
        this.db
          .select({ ...rowColumns, title: titleOfChunk })
          .from(buildChunks)
          .innerJoin(chunks, eq(chunks.id, buildChunks.chunkId))
          .where(after ? and(inBuild, gt(buildChunks.chunkId, after)) : inBuild)
          .orderBy(buildChunks.chunkId)
          .limit(limit),
      (last) => last.chunkId,
    );
    for await (const page of pages) for (const row of page) this.remember(scope, row);
  }

  private async copyTitles(scope: ChunkRowScope): Promise<void> {
    const inCorpus = and(eq(documents.tenantId, scope.tenantId), eq(documents.corpusId, scope.corpusId));
    const [count] = await this.db.select({ n: sql<number>`count(*)::int` }).from(documents).where(inCorpus);
    if (!count || count.n > Math.min(this.options.preloadUpTo, this.options.maxRows)) return;
    const read = await this.db.select({ id: documents.id, title: documents.title }).from(documents).where(inCorpus);
    for (const { id, title } of read) this.titles?.set(titleKey(scope, id), title);
  }

  private remember(scope: ChunkRowScope, { title, ...row }: HydratedRow): void {
    this.rows?.set(rowKey(scope, row.chunkId), row);
    this.titles?.set(titleKey(scope, row.documentId), title);
  }

  /** Rows held (diagnostics, tests). */
  get size(): number {
    return this.rows?.size ?? 0;
  }
}

const inBuildOf = (scope: ChunkRowScope) =>
  and(eq(buildChunks.buildId, scope.buildId), eq(buildChunks.tenantId, scope.tenantId), eq(buildChunks.corpusId, scope.corpusId));
const rowKey = (scope: ChunkRowScope, chunkId: string) => `${scope.tenantId}:${scope.corpusId}:${chunkId}`;
const titleKey = (scope: ChunkRowScope, documentId: string) => `${scope.tenantId}:${scope.corpusId}:${scope.generation}:${documentId}`;
