import type { IndexScope } from '../ports';

/**
 * In-memory copies of per-build index data (BM25 postings, vectors), each
 * valid for exactly one version of its build. The database stays the only
 * truth: a caller reads the build's current version (one primary-key read),
 * and is handed the copy only when it was taken at that version, for the same
 * tenant and corpus. Otherwise the caller answers from SQL and a (re)load runs
 * in the background, at most once per `minReloadIntervalMs` per build, so a
 * bulk upload does not turn every query into a reload. A writer that saw its
 * own transaction take the build from one version to the next can bring the
 * copy along instead (`advance`). Copies are held under one size budget, least
 * recently used evicted first.
 */

export interface BuildSnapshot {
  tenantId: string;
  corpusId: string;
  /** The build's version when the copy was taken. */
  version: number;
  /** What the copy holds, in the budget's unit (postings, vectors). */
  size: number;
  lastUsed: number;
}

export interface BuildSnapshotsOptions {
  /** Budget across all builds in the copy's unit; 0 turns copies off. */
  maxSize: number;
  /** Minimum time between two loads of one build. */
  minReloadIntervalMs: number;
  /**
   * Await the (re)load of a stale build and answer from memory, instead of
   * answering from SQL while it loads in the background (small builds, and the
   * contract suites, which then exercise the in-memory path).
   */
  waitForLoad?: boolean;
  /** Called when a background load fails (the query path has already answered from SQL), or a committed write could not be applied to the copy. */
  onError?: (error: unknown, buildId: string) => void;
}

export interface SnapshotCounters {
  memoryHits: number;
  sqlFallbacks: number;
  loads: number;
  loadFailures: number;
  /** Writes a copy took in place of a reload (see `advance`). */
  advances: number;
}

/** What the database says of a build now: its version and its size in the budget's unit. */
export interface BuildState {
  version: number;
  size: number;
}

export class BuildSnapshots<S extends BuildSnapshot> {
  private readonly snapshots = new Map<string, S>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly lastLoadStarted = new Map<string, number>();
  private readonly stats: SnapshotCounters = { memoryHits: 0, sqlFallbacks: 0, loads: 0, loadFailures: 0, advances: 0 };

  /** `read` takes a consistent copy of the build (or undefined when there is nothing to hold, or it changed meanwhile). */
  constructor(
    private readonly read: (scope: IndexScope) => Promise<S | undefined>,
    private readonly options: BuildSnapshotsOptions,
  ) {}

  get enabled(): boolean {
    return this.options.maxSize > 0;
  }

  counters(): Readonly<SnapshotCounters> {
    return { ...this.stats };
  }

  /**
   * The copy to answer from, or undefined: answer from SQL (counted as a
   * fallback). `current` is the build's state read by the caller for this query.
   */
  async current(scope: IndexScope, current: BuildState | undefined): Promise<S | undefined> {
    if (this.enabled && current) {
      const snapshot = this.snapshots.get(scope.buildId);
      if (snapshot && snapshot.version === current.version && owns(snapshot, scope)) return this.hit(snapshot);
      if (current.size > 0 && current.size <= this.options.maxSize) {
        if (this.options.waitForLoad) {
          // A load already running may predate the write this query must see: versions only grow, so wait for one at least as new.
          for (let attempt = 0; attempt < 3; attempt++) {
            await this.warm(scope);
            const loaded = this.snapshots.get(scope.buildId);
            if (loaded && owns(loaded, scope) && loaded.version >= current.version) return this.hit(loaded);
          }
        } else {
          this.scheduleLoad(scope);
        }
      }
    }
    this.stats.sqlFallbacks++;
    return undefined;
  }

  /** Loads (or reloads) a build's copy now; resolves when it is in place. For warm-up and tests. */
  async warm(scope: IndexScope): Promise<void> {
    await (this.loading.get(scope.buildId) ?? this.load(scope));
  }

  /**
   * A write the caller committed took the build from `write.before` (undefined: no statistics row yet) to version
   * `write.after`. `apply` brings the copy taken at the version before to the one after, in place or as a new
   * object; when the build held nothing before (no row, or size 0) it is given undefined and makes the copy from
   * the write alone. A write that replaced rows the copy may hold (`replaced` > 0), or one from a version the copy
   * is not at, leaves it alone: stale, it reloads as before. The copy advanced is kept only if it fits beside the
   * others: a build being written does not evict one being asked (it loads when asked). Never throws (a write has
   * committed).
   */
  advance(scope: IndexScope, write: { before: BuildState | undefined; after: number; replaced: number }, apply: (held: S | undefined) => S): void {
    if (!this.enabled || write.replaced > 0) return;
    const from = write.before && write.before.size > 0 ? write.before.version : undefined;
    const to = write.after;
    const held = this.snapshots.get(scope.buildId);
    if (from !== undefined && !(held && held.version === from && owns(held, scope))) return;
    // A copy already past this write (a load that finished first) stays.
    if (from === undefined && held && owns(held, scope) && held.version >= to) return;
    this.snapshots.delete(scope.buildId);
    let next: S;
    try {
      next = apply(from === undefined ? undefined : held);
    } catch (error) {
      this.options.onError?.(error, scope.buildId);
      return;
    }
    const others = [...this.snapshots.values()].reduce((sum, other) => sum + other.size, 0);
    if (others + next.size > this.options.maxSize) return;
    next.version = to;
    this.snapshots.set(scope.buildId, next);
    this.stats.advances++;
  }

  private hit(snapshot: S): S {
    this.stats.memoryHits++;
    snapshot.lastUsed = performance.now();
    return snapshot;
  }

  private scheduleLoad(scope: IndexScope): void {
    if (this.loading.has(scope.buildId)) return;
    const last = this.lastLoadStarted.get(scope.buildId);
    if (last !== undefined && performance.now() - last < this.options.minReloadIntervalMs) return;
    void this.load(scope).catch((error: unknown) => {
      this.stats.loadFailures++;
      this.options.onError?.(error, scope.buildId);
    });
  }

  private load(scope: IndexScope): Promise<void> {
    this.lastLoadStarted.set(scope.buildId, performance.now());
    const loading = this.read(scope)
      .then((snapshot) => {
        // A write may have advanced the copy past the version this load read.
        const held = this.snapshots.get(scope.buildId);
        if (snapshot && !(held && held.version > snapshot.version && owns(held, scope))) this.keep(scope.buildId, snapshot);
      })
      .finally(() => this.loading.delete(scope.buildId));
    this.loading.set(scope.buildId, loading);
    this.stats.loads++;
    return loading;
  }

  /** Keeps the copy, evicting the least recently used others to stay under the budget. */
  private keep(buildId: string, snapshot: S): void {
    this.snapshots.delete(buildId);
    if (snapshot.size > this.options.maxSize) return;
    let held = [...this.snapshots.values()].reduce((sum, other) => sum + other.size, 0);
    const byAge = [...this.snapshots.entries()].sort((left, right) => left[1].lastUsed - right[1].lastUsed);
    for (const [otherId, other] of byAge) {
      if (held + snapshot.size <= this.options.maxSize) break;
      this.snapshots.delete(otherId);
      held -= other.size;
    }
    this.snapshots.set(buildId, snapshot);
  }
}

function owns(snapshot: BuildSnapshot, scope: IndexScope): boolean {
  return snapshot.tenantId === scope.tenantId && snapshot.corpusId === scope.corpusId;
}
