import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getCorpus } from '../../core/corpora';
import { principalOf, requireScope } from '../auth';
import type { AppDeps } from '../deps';

const glob = z.string().trim().min(1).max(300).describe('URL path glob; `*` is any run of characters');
const createBody = z
  .object({
    type: z.literal('sitemap'),
    // Checked by the service (SOURCE_URL_INVALID, SOURCE_URL_FORBIDDEN): an http(s) URL of a public host.
    url: z.string().trim().min(1).max(2000).describe('The sitemap (or sitemap index) URL'),
    include: z.array(glob).max(50).optional(),
    exclude: z.array(glob).max(50).optional(),
    schedule: z.string().trim().min(1).max(100).nullable().optional().describe('Cron pattern (UTC) of scheduled re-syncs, at most every 5 minutes'),
  })
  .strict();
const idParams = z.object({ id: z.string().uuid() });

/** Help-center sources: a sitemap crawled into the corpus, re-synced on demand and on a schedule. */
export function sourceRoutes(app: FastifyInstance, deps: AppDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const ingest = requireScope(deps.authenticate, 'ingest');
  const sources = deps.services.sources;

  routes.post('/v1/corpora/:corpus/sources', { schema: { params: z.object({ corpus: z.string().min(1) }), body: createBody }, preHandler: ingest }, async (request, reply) => {
    const corpus = await getCorpus(deps.store.db, principalOf(request).tenantId, request.params.corpus);
    return reply.status(201).send(await sources.create(corpus, request.body, request.id));
  });

  routes.get('/v1/corpora/:corpus/sources', { schema: { params: z.object({ corpus: z.string().min(1) }) }, preHandler: deps.authenticate }, async (request) => {
    const corpus = await getCorpus(deps.store.db, principalOf(request).tenantId, request.params.corpus);
    return { sources: await sources.list(corpus) };
  });

  routes.get('/v1/sources/:id', { schema: { params: idParams }, preHandler: deps.authenticate }, async (request) => sources.get(principalOf(request).tenantId, request.params.id));

  routes.post('/v1/sources/:id/sync', { schema: { params: idParams }, preHandler: ingest }, async (request, reply) =>
    reply.status(202).send(await sources.sync(principalOf(request).tenantId, request.params.id, request.id)),
  );

  routes.delete('/v1/sources/:id', { schema: { params: idParams }, preHandler: ingest }, async (request) => sources.delete(principalOf(request).tenantId, request.params.id));
}
