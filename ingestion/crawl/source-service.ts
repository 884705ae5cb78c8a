import { Cron } from 'croner';
import type { Db } from '../../src/core/db/client';
import { getCorpusById } from '../../src/core/corpora';
import type { Corpus, SourceRow, SourceSyncRow } from '../../src/core/db/schema';
import { AppError, isAppError } from '../../src/core/errors';
import { OutboundTargetForbidden, type OutboundGuard } from '../../src/core/net/outbound-guard';
import type { JobContext, JobQueue, Scheduler } from '../../src/jobs/ports';
import type { CrawlOptions } from './fetcher';
import { EMPTY_COUNTS, SourceStore } from './source-store';
import { runSync, SyncFailure, type DocumentSink } from './sync';

export const SOURCE_SYNC_JOB = 'source-sync';
/** Scheduled syncs of one source start at least this far apart. */
const MIN_SCHEDULE_INTERVAL_MS = 5 * 60_000;

export interface SourceInput {
  type: 'sitemap';
  url: string;
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  schedule?: string | null | undefined;
}

export function scheduleId(sourceId: string): string {
  return `source-${sourceId}`;
}

/** A cron pattern (UTC) a source may be re-synced on: valid, and not more often than every five minutes. */
export function checkSchedule(pattern: string): void {
  let runs: Date[];
  try {
    const cron = new Cron(pattern, { paused: true, timezone: 'UTC' });
    runs = cron.nextRuns(3);
    cron.stop();
  } catch (error) {
    throw new AppError('SCHEDULE_INVALID', `schedule: not a valid cron pattern (${error instanceof Error ? error.message.slice(0, 200) : 'unreadable'})`);
  }
  if (runs.length === 0) throw new AppError('SCHEDULE_INVALID', 'schedule: the pattern never fires');
  for (let index = 1; index < runs.length; index += 1) {
    if (runs[index]!.getTime() - runs[index - 1]!.getTime() < MIN_SCHEDULE_INTERVAL_MS) throw new AppError('SCHEDULE_INVALID', 'schedule: a source may be re-synced at most every 5 minutes');
  }
}

export function syncView(sync: SourceSyncRow) {
  return {
    id: sync.id,
    trigger: sync.trigger,
    status: sync.status,
    jobId: sync.jobId,
    counts: { ...EMPTY_COUNTS, ...sync.counts },
    errors: sync.errors,
    error: sync.errorCode ? { code: sync.errorCode, message: sync.errorMessage ?? '' } : null,
    createdAt: sync.createdAt.toISOString(),
    startedAt: sync.startedAt?.toISOString() ?? null,
    finishedAt: sync.finishedAt?.toISOString() ?? null,
  };
}

export function sourceView(source: SourceRow, pages: number, lastSync: SourceSyncRow | undefined) {
  return {
    id: source.id,
    corpusId: source.corpusId,
    type: source.type,
    url: source.url,
    include: source.include,
    exclude: source.exclude,
    schedule: source.schedule,
    pages,
    createdAt: source.createdAt.toISOString(),
    lastSync: lastSync ? syncView(lastSync) : null,
  };
}

/** Help-center sources: creating, listing, syncing (as jobs, on demand and on their schedule) and deleting them. */
export class SourceService {
  readonly store: SourceStore;

  constructor(
    private readonly deps: { db: Db; queue: JobQueue; scheduler: Scheduler; documents: DocumentSink; guard: OutboundGuard; options: CrawlOptions },
  ) {
    this.store = new SourceStore(deps.db);
  }

  registerHandlers(queue: JobQueue = this.deps.queue): void {
    queue.register<{ sourceId: string; syncId?: string }>(SOURCE_SYNC_JOB, (data, context) => this.runJob(data, context));
  }

  async create(corpus: Corpus, input: SourceInput, requestId?: string) {
    const url = this.checkTarget(input.url);
    if (input.schedule) checkSchedule(input.schedule);
    const source = await this.store.insert({
      tenantId: corpus.tenantId,
      corpusId: corpus.id,
      type: input.type,
      url: url.href,
      include: input.include ?? [],
      exclude: input.exclude ?? [],
      schedule: input.schedule ?? null,
    });
    await this.schedule(source);
    const sync = await this.startSync(source, 'create', requestId);
    return sourceView(source, 0, sync);
  }

  async list(corpus: Corpus) {
    const rows = await this.store.list(corpus.tenantId, corpus.id);
    const ids = rows.map((row) => row.id);
    const [pages, syncs] = await Promise.all([this.store.pageCount(ids), this.store.latestSyncs(ids)]);
    return rows.map((row) => sourceView(row, pages.get(row.id) ?? 0, syncs.get(row.id)));
  }

  async get(tenantId: string, id: string) {
    const source = await this.store.get(tenantId, id);
    const [pages, syncs] = await Promise.all([this.store.pageCount([id]), this.store.latestSyncs([id])]);
    return sourceView(source, pages.get(id) ?? 0, syncs.get(id));
  }

  /** Starts a sync now, or returns the one already queued or running. */
  async sync(tenantId: string, id: string, requestId?: string) {
    const source = await this.store.get(tenantId, id);
    return syncView(await this.startSync(source, 'manual', requestId));
  }

  /**
   * Deletes the source and the documents of its pages (each the normal, resumable way: a tombstone the recovery
   * sweep finishes after a crash). A delete that stopped part-way is finished by the same DELETE sent again.
   */
  async delete(tenantId: string, id: string): Promise<{ deletedDocuments: number }> {
    const source = await this.store.get(tenantId, id);
    await this.deps.scheduler.remove(scheduleId(source.id));
    let deletedDocuments = 0;
    for (const page of await this.store.pages(source.id)) {
      if (!page.documentId) continue;
      try {
        await this.deps.documents.delete(tenantId, page.documentId);
        deletedDocuments += 1;
      } catch (error) {
        if (!(isAppError(error) && error.code === 'DOCUMENT_NOT_FOUND')) throw error;
      }
    }
    await this.store.remove(source.id);
    return { deletedDocuments };
  }

  /** Puts every scheduled source in the scheduler (at start). */
  async scheduleAll(): Promise<void> {
    for (const source of await this.store.withSchedule()) await this.schedule(source);
  }

  private async schedule(source: SourceRow): Promise<void> {
    if (!source.schedule) return;
    await this.deps.scheduler.upsert({ id: scheduleId(source.id), cron: source.schedule, timezone: 'UTC', jobName: SOURCE_SYNC_JOB, data: { sourceId: source.id } });
  }

  private checkTarget(target: string): URL {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new AppError('SOURCE_URL_INVALID', 'url: not an absolute URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('SOURCE_URL_INVALID', `url: only http and https sitemaps are read, not ${url.protocol}`);
    if (url.username || url.password) throw new AppError('SOURCE_URL_INVALID', 'url: credentials in the URL are not accepted');
    try {
      return this.deps.guard.checkUrl(target);
    } catch (error) {
      if (!(error instanceof OutboundTargetForbidden)) throw error;
      throw new AppError('SOURCE_URL_FORBIDDEN', `source ${error.host} is refused: ${error.reason}; the operator may allow it with OUTBOUND_ALLOW_HOSTS`, {
        details: { host: error.host, reason: error.reason },
      });
    }
  }

  private async startSync(source: SourceRow, trigger: 'create' | 'manual' | 'schedule', requestId?: string): Promise<SourceSyncRow> {
    const active = await this.store.activeSync(source.id);
    if (active) {
      const live = active.jobId ? await this.deps.queue.isLive(active.jobId).catch(() => true) : false;
      if (live) return active;
      // Its job is gone (a crash, a lost Redis job): the sync can never finish, so it is closed and a new one starts.
      await this.store.finished(active.id, { error: { code: 'SYNC_ABANDONED', message: 'the sync job was lost before it finished' } });
    }
    const sync = await this.store.createSync(source, trigger);
    const jobId = `source-sync-${sync.id}`;
    await this.store.setSyncJob(sync.id, jobId);
    try {
      await this.deps.queue.enqueue(SOURCE_SYNC_JOB, { sourceId: source.id, syncId: sync.id }, { tenantId: source.tenantId, jobId, maxAttempts: 1, requestId });
    } catch (error) {
      await this.store.finished(sync.id, { error: { code: 'QUEUE_UNAVAILABLE', message: 'the sync could not be queued' } });
      throw new AppError('QUEUE_UNAVAILABLE', 'the sync could not be queued; retry later', { cause: error, retryAfterMs: 5_000 });
    }
    return { ...sync, jobId };
  }

  private async runJob(data: { sourceId: string; syncId?: string }, context: JobContext): Promise<Record<string, unknown>> {
    const source = await this.store.find(data.sourceId);
    if (!source) {
      // Its corpus was deleted (the rows cascade) while its schedule lived on: the schedule goes too.
      await this.deps.scheduler.remove(scheduleId(data.sourceId));
      return { skipped: 'source deleted' };
    }
    let syncId = data.syncId;
    if (!syncId) {
      // A scheduled tick: skipped while another sync of the source is queued or running.
      if (await this.store.activeSync(source.id)) return { skipped: 'a sync is already running' };
      syncId = (await this.store.createSync(source, 'schedule', context.jobId)).id;
    }
    const corpus = await getCorpusById(this.deps.db, source.corpusId);
    if (!corpus) return { skipped: 'corpus deleted' };
    await this.store.started(syncId);
    try {
      const report = await runSync({ store: this.store, documents: this.deps.documents, guard: this.deps.guard, options: this.deps.options }, source, corpus, {
        signal: context.signal,
        onProgress: async (progress) => {
          await this.store.progress(syncId, progress.counts, progress.errors);
          await context.progress({ stage: 'crawl', done: progress.counts.fetched + progress.counts.failed, total: progress.counts.found });
        },
      });
      await this.store.finished(syncId, report);
      return { syncId, ...report.counts };
    } catch (error) {
      const failure = error instanceof SyncFailure || isAppError(error) ? { code: error.code, message: error.message } : { code: 'SYNC_FAILED', message: error instanceof Error ? error.message.slice(0, 300) : 'the sync failed' };
      await this.store.finished(syncId, { error: failure }).catch(() => undefined);
      return { syncId, failed: failure.code };
    }
  }
}
