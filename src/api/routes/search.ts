import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, requireScope } from '../auth';
import type { AppDeps } from '../deps';
import { ocrOfPages } from '../../query/citation-pages';

const searchBody = z
  .object({
    query: z.string().trim().min(1).max(2000),
    k: z.number().int().min(1).max(100).default(10),
    mode: z.enum(['hybrid+rerank', 'hybrid', 'bm25', 'vector']).default('hybrid+rerank'),
    filters: z.object({ documentIds: z.array(z.string().uuid()).min(1).max(1000).optional() }).strict().optional(),
  })
  .strict();

/** Results on pages read by OCR, with the pages' (lowest) confidence; page spans are read once per version, and cached. */
async function ocrOfResults(deps: AppDeps, results: readonly { chunkId: string; versionId: string; page: number | null; pageEnd: number | null }[]): Promise<Map<string, { confidence: number }>> {
  const paged = results.filter((item) => item.page !== null);
  const versions = [...new Set(paged.map((item) => item.versionId))];
  const spans = new Map(await Promise.all(versions.map(async (versionId) => [versionId, await deps.services.pages.of(versionId).catch(() => [])] as const)));
  const found = new Map<string, { confidence: number }>();
  for (const item of paged) {
    const ocr = ocrOfPages(spans.get(item.versionId) ?? [], item.page, item.pageEnd);
    if (ocr) found.set(item.chunkId, ocr);
  }
  return found;
}

export function searchRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/corpora/:corpus/search',
    { schema: { params: z.object({ corpus: z.string().min(1) }), body: searchBody }, preHandler: requireScope(deps.authenticate, 'query') },
    async (request) => {
      const { tenantId } = principalOf(request);
      const corpus = await deps.services.corpora.find(tenantId, request.params.corpus);
      const { query, k, mode, filters } = request.body;
      const result = await deps.services.search.search(corpus, query, { k, mode, documentIds: filters?.documentIds });
      const ocr = await ocrOfResults(deps, result.results);
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
          ...(ocr.get(item.chunkId) ? { ocr: ocr.get(item.chunkId) } : {}),
        })),
        timings: result.timings,
      };
    },
  );
}
