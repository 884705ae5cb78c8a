import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCorpus } from '../../core/corpora';
import { buildView } from '../../../ingestion/builds';
import { principalOf, requireScope } from '../auth';
import type { AppDeps } from '../deps';

const chunkerSchema = z
  .object({
    targetTokens: z.number().int().min(32).max(4000),
    overlapTokens: z.number().int().min(0).max(1000),
    maxTokens: z.number().int().min(32).max(8000),
  })
  .partial()
  .strict();

export function buildRoutes(app: FastifyInstance, deps: AppDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.post(
    '/v1/corpora/:corpus/builds',
    {
      schema: {
        params: z.object({ corpus: z.string().min(1) }),
        body: z.object({ embeddingModel: z.string().min(1).max(200).optional(), chunker: chunkerSchema.optional() }).strict(),
      },
      preHandler: requireScope(deps.authenticate, 'admin'),
    },
    async (request, reply) => {
      const { tenantId } = principalOf(request);
      const corpus = await getCorpus(deps.store.db, tenantId, request.params.corpus);
      const { build, jobId } = await deps.services.reindex.start(corpus, request.body, request.id);
      return reply.status(202).send({ build: buildView(build), jobId });
    },
  );
  routes.get('/v1/corpora/:corpus/builds', { schema: { params: z.object({ corpus: z.string().min(1) }) }, preHandler: deps.authenticate }, async (request) => {
    const { tenantId } = principalOf(request);
    const corpus = await getCorpus(deps.store.db, tenantId, request.params.corpus);
    const builds = await deps.services.builds.list(corpus.id);
    // Live builds are recounted on read: ingestion does not recount per document.
    for (const build of builds) if (build.status !== 'retired') build.stats = await deps.services.builds.refreshStats(build.id, build.stats.failures);
    return { builds: builds.map(buildView) };
  });
  routes.get('/v1/builds/:id', { schema: { params: z.object({ id: z.string().uuid() }) }, preHandler: deps.authenticate }, async (request) => {
    const { tenantId } = principalOf(request);
    const build = await deps.services.builds.get(request.params.id, tenantId);
    build.stats = await deps.services.builds.refreshStats(build.id, build.stats.failures);
    return buildView(build);
  });
  routes.post(
    '/v1/builds/:id/promote',
    {
      schema: { params: z.object({ id: z.string().uuid() }), querystring: z.object({ force: z.enum(['true', 'false']).optional() }) },
      preHandler: requireScope(deps.authenticate, 'admin'),
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const build = await deps.services.reindex.promote(request.params.id, tenantId, { force: request.query.force === 'true' });
      return buildView(build);
    },
  );
}
