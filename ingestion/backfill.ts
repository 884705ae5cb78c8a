import { and, asc, eq } from 'drizzle-orm';
import { documentVersions, documents, type IndexBuild } from '../src/core/db/schema';
import type { JobContext } from '../src/jobs/ports';
import type { ChunkerConfig } from './chunk';
import type { NormalizedDocument } from './normalize';
import { indexIntoBuild, saveChunks, type PipelineDeps } from './pipeline';
import { inlineTextStages } from './text-stages';

export const BACKFILL_JOB = 'backfill-build';

/** What happens once a backfilled build is ready: the canary gate decides on promotion. */
export type BuildReadyHook = (build: IndexBuild) => Promise<void>;

/**
 * Fills a new build from every ready version of its corpus. Versions are
 * re-chunked from their stored normalized text and structure, never re-parsed;
 * embeddings come from the cache where the model has seen the text before.
 */
export async function backfillBuild(
  deps: PipelineDeps,
  buildId: string,
  context: Pick<JobContext, 'progress' | 'signal'>,
  onReady?: BuildReadyHook,
): Promise<Record<string, unknown>> {
  const build = await deps.builds.get(buildId);
  if (build.status !== 'building') return { skipped: `build is ${build.status}` };
  const versions = await deps.db
    .select({ version: documentVersions, title: documents.title })
    .from(documentVersions)
    .innerJoin(documents, eq(documents.id, documentVersions.documentId))
    .where(and(eq(documentVersions.corpusId, build.corpusId), eq(documentVersions.status, 'ready')))
    .orderBy(asc(documentVersions.createdAt));
  let failures = 0;
  let done = 0;
  for (const { version, title } of versions) {
    context.signal.throwIfAborted();
    try {
      const structure = version.structure as { pages: NormalizedDocument['pages']; blocks: NormalizedDocument['blocks'] } | null;
      if (!structure || version.normalizedText === null) throw new Error('version has no stored structure');
      const normalized: NormalizedDocument = { text: version.normalizedText, pages: structure.pages, blocks: structure.blocks };
      const drafts = await (deps.textStages ?? inlineTextStages).chunk(normalized, build.chunker as unknown as ChunkerConfig);
      const rows = await saveChunks(deps.db, version, build.chunkerHash, drafts, deps.driver);
      await indexIntoBuild(deps, build, title, rows, undefined, context.signal);
    } catch {
      failures += 1;
    }
    done += 1;
    await context.progress({ stage: 'index', done, total: versions.length });
  }
  const stats = await deps.builds.refreshStats(build.id, failures);
  const previous = await deps.builds.activeOf(build.corpusId);
  const previousChunks = previous ? (await deps.builds.refreshStats(previous.id, previous.stats.failures)).chunks : 0;
  const warning =
    previousChunks > 0 && stats.chunks < previousChunks * 0.9 ? `chunk count ${stats.chunks} is more than 10% below the active build's ${previousChunks}` : null;
  await deps.builds.setStatus(build.id, 'ready', { warning });
  const ready = await deps.builds.get(build.id);
  await onReady?.(ready);
  return { buildId: build.id, versions: versions.length, failures, chunks: stats.chunks };
}
