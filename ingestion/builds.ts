import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../src/core/db/client';
import { buildTermStats, corpora, indexBuilds, type Corpus, type IndexBuild } from '../src/core/db/schema';
import { AppError } from '../src/core/errors';
import { ANALYZER_VERSION } from '../indexes/analyzer';
import type { IndexScope, VectorIndex } from '../indexes/ports';
import { chunkerConfigHash, type ChunkerConfig } from './chunk';
import type { EmbeddingRegistry } from './embedding-registry';

export type BuildStatus = 'building' | 'ready' | 'active' | 'retired' | 'failed';

/** Builds that receive new documents: everything not retired or failed. */
export const LIVE_BUILD_STATUSES: BuildStatus[] = ['active', 'building', 'ready'];

export function buildScope(build: Pick<IndexBuild, 'id' | 'tenantId' | 'corpusId'>): IndexScope {
  return { tenantId: build.tenantId, corpusId: build.corpusId, buildId: build.id };
}

export class BuildStore {
  constructor(
    private readonly db: Db,
    private readonly vectors: VectorIndex,
    private readonly registry: EmbeddingRegistry,
  ) {}

  /** Creates a build and its index structures explicitly (never lazily on first write). */
  async create(corpus: Corpus, input: { embeddingModel: string; chunker: ChunkerConfig; status: 'active' | 'building' }): Promise<IndexBuild> {
    const model = await this.registry.row(input.embeddingModel);
    const [build] = await this.db
      .insert(indexBuilds)
      .values({
        tenantId: corpus.tenantId,
        corpusId: corpus.id,
        embeddingModelId: model.id,
        chunker: { ...input.chunker },
        chunkerHash: chunkerConfigHash(input.chunker),
        analyzerVersion: ANALYZER_VERSION,
        status: input.status,
        promotedAt: input.status === 'active' ? new Date() : null,
      })
      .returning();
    if (!build) throw new AppError('INTERNAL', 'index build could not be created');
    await this.db.insert(buildTermStats).values({ buildId: build.id }).onConflictDoNothing();
    await this.vectors.createBuild(buildScope(build), { id: model.id, dimensions: model.dimension });
    if (input.status === 'active') {
      await this.db.update(corpora).set({ activeBuildId: build.id }).where(eq(corpora.id, corpus.id));
    }
    return build;
  }

  async get(buildId: string, tenantId?: string): Promise<IndexBuild> {
    const [build] = await this.db
      .select()
      .from(indexBuilds)
      .where(tenantId ? and(eq(indexBuilds.id, buildId), eq(indexBuilds.tenantId, tenantId)) : eq(indexBuilds.id, buildId));
    if (!build) throw new AppError('BUILD_NOT_FOUND', `index build ${buildId} not found`);
    return build;
  }

  async live(corpusId: string): Promise<IndexBuild[]> {
    return this.db
      .select()
      .from(indexBuilds)
      .where(and(eq(indexBuilds.corpusId, corpusId), inArray(indexBuilds.status, LIVE_BUILD_STATUSES)))
      .orderBy(asc(indexBuilds.createdAt));
  }

  async list(corpusId: string): Promise<IndexBuild[]> {
    return this.db.select().from(indexBuilds).where(eq(indexBuilds.corpusId, corpusId)).orderBy(desc(indexBuilds.createdAt));
  }

  async activeOf(corpusId: string): Promise<IndexBuild | undefined> {
    const [build] = await this.db
      .select()
      .from(indexBuilds)
      .where(and(eq(indexBuilds.corpusId, corpusId), eq(indexBuilds.status, 'active')));
    return build;
  }

  async active(corpus: Corpus): Promise<IndexBuild> {
    if (!corpus.activeBuildId) throw new AppError('BUILD_NOT_FOUND', `corpus ${corpus.name} has no active index build`);
    return this.get(corpus.activeBuildId);
  }

  async setStatus(buildId: string, status: BuildStatus, patch: Partial<Pick<IndexBuild, 'warning' | 'canaryReport' | 'stats'>> = {}): Promise<void> {
    await this.db.update(indexBuilds).set({ status, ...patch }).where(eq(indexBuilds.id, buildId));
  }

  /** Recounts documents and chunks from the index itself, so stats never drift from what is searchable. */
  async refreshStats(buildId: string, failures = 0): Promise<IndexBuild['stats']> {
    const [row] = await queryRows<{ documents: number; chunks: number }>(
      this.db,
      sql`SELECT count(DISTINCT c.document_id)::int AS documents, count(*)::int AS chunks
          FROM build_chunks bc JOIN chunks c ON c.id = bc.chunk_id WHERE bc.build_id = ${buildId}`,
    );
    const stats = { documents: Number(row?.documents ?? 0), chunks: Number(row?.chunks ?? 0), failures };
    await this.db.update(indexBuilds).set({ stats }).where(eq(indexBuilds.id, buildId));
    return stats;
  }

  /**
   * Switches the corpus to `buildId` atomically; the previous active build
   * stays `ready` (still fed new documents) so a rollback is one promote away.
   */
  async promote(buildId: string, tenantId: string): Promise<IndexBuild> {
    const build = await this.get(buildId, tenantId);
    if (build.status === 'active') return build;
    if (build.status !== 'ready') {
      throw new AppError('BUILD_NOT_PROMOTABLE', `build ${buildId} is ${build.status}; only a ready build can be promoted`, { details: { status: build.status } });
    }
    await this.db.transaction(async (tx) => {
      await tx
        .update(indexBuilds)
        .set({ status: 'ready' })
        .where(and(eq(indexBuilds.corpusId, build.corpusId), eq(indexBuilds.status, 'active')));
      await tx.update(indexBuilds).set({ status: 'active', promotedAt: new Date() }).where(eq(indexBuilds.id, buildId));
      await tx
        .update(corpora)
        .set({ activeBuildId: buildId, generation: sql`${corpora.generation} + 1` })
        .where(eq(corpora.id, build.corpusId));
    });
    return this.get(buildId);
  }
}

export function buildView(build: IndexBuild) {
  return {
    id: build.id,
    corpusId: build.corpusId,
    status: build.status,
    embeddingModel: build.embeddingModelId,
    chunker: build.chunker,
    chunkerHash: build.chunkerHash,
    analyzerVersion: build.analyzerVersion,
    stats: build.stats,
    warning: build.warning,
    canaryReport: build.canaryReport ?? null,
    createdAt: build.createdAt.toISOString(),
    promotedAt: build.promotedAt?.toISOString() ?? null,
  };
}
