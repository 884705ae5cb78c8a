import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, requireScope } from '../auth';
import type { AppDeps } from '../deps';

const searchBody = z
  .object({
    query: z.string().trim().min(1).max(2000),
    k: z.number().int().min(1).max(100).default(10),
    mode: z.enum(['hybrid+rerank', 'hybrid', 'bm25', 'vector']).default('hybrid+rerank'),
    filters: z.object({ documentIds: z.array(z.string().uuid()).min(1).max(1000).optional() }).strict().optional(),
  })
  .strict();

export function searchRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/corpora/:corpus/search',
    { schema: { params: z.object({ corpus: z.string().min(1) }), body: searchBody }, preHandler: requireScope(deps.authenticate, 'query') },
    async (request) => {
      const { tenantId } = principalOf(request);
      const corpus = await deps.services.corpora.find(tenantId, request.params.corpus);
      const { query, k, mode, filters } = request.body;
      const result = await deps.services.search.search(corpus, query, { k, mode, documentIds: filters?.documentIds });
      return {
        query,
        buildId: result.build.id,
        empty: result.empty,
        ...(result.reason ? { reason: result.reason } : {}),
        results: result.results.map((item) => ({
          chunkId: item.chunkId,
          documentId: item.documentId,
          versionId: item.versionId,
          title: item.title,
          page: item.page,
          pageEnd: item.pageEnd,
          headingPath: item.headingPath,
          start: item.charStart,
          end: item.charEnd,
          text: item.text,
          score: item.score,
          scores: item.scores,
          ranks: item.ranks,
        })),
        timings: result.timings,
      };
    },
  );
}
