import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { corpusView, getCorpus, listCorpora } from '../../core/corpora';
import { principalOf, requireScope } from '../auth';
import type { AppDeps } from '../deps';

export const corpusNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'letters, digits, space, dot, underscore and dash; starting with a letter or digit');

export function corporaRoutes(app: FastifyInstance, deps: AppDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.post(
    '/v1/corpora',
    { schema: { body: z.object({ name: corpusNameSchema }).strict() }, preHandler: requireScope(deps.authenticate, 'admin') },
    async (request, reply) => {
      const { tenantId } = principalOf(request);
      const corpus = await deps.services.corpora.create(tenantId, request.body.name);
      return reply.status(201).send(corpusView(corpus));
    },
  );
  routes.get('/v1/corpora', { preHandler: deps.authenticate }, async (request) => {
    const { tenantId } = principalOf(request);
    const rows = await listCorpora(deps.store.db, tenantId);
    return { corpora: rows.map(corpusView) };
  });
  routes.get(
    '/v1/corpora/:corpus',
    { schema: { params: z.object({ corpus: z.string().min(1) }) }, preHandler: deps.authenticate },
    async (request) => {
      const { tenantId } = principalOf(request);
      return corpusView(await getCorpus(deps.store.db, tenantId, request.params.corpus));
    },
  );
}
