import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { conversationView } from '../../conversations/service';
import { principalOf, requireScope } from '../auth';
import type { AppDeps } from '../deps';
import type { AnswerResponder } from './answers';

const idParams = z.object({ id: z.string().uuid() });
const titleSchema = z.string().trim().min(1).max(200);

/**
 * Conversations: follow-up questions over one corpus, each turn rewritten into a standalone question and
 * answered exactly as a single answer (JSON or SSE, same admission, limits and verification). Every route is
 * the tenant's own: another tenant's conversation is 404.
 */
export function conversationRoutes(app: FastifyInstance, deps: AppDeps, responder: AnswerResponder): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const query = requireScope(deps.authenticate, 'query');
  const conversations = deps.services.conversations;

  routes.post(
    '/v1/conversations',
    { schema: { body: z.object({ corpus: z.string().min(1).max(100), title: titleSchema.optional() }).strict() }, preHandler: query },
    async (request, reply) => {
      const { tenantId, keyId } = principalOf(request);
      const corpus = await deps.services.corpora.find(tenantId, request.body.corpus);
      const row = await conversations.create(tenantId, corpus, { title: request.body.title, apiKeyId: keyId });
      return reply.status(201).send({ ...conversationView(row), messages: [] });
    },
  );

  routes.get(
    '/v1/conversations',
    {
      schema: {
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0), corpus: z.string().min(1).max(100).optional() }),
      },
      preHandler: query,
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const corpusId = request.query.corpus ? (await deps.services.corpora.find(tenantId, request.query.corpus)).id : undefined;
      const rows = await conversations.list(tenantId, { limit: request.query.limit, offset: request.query.offset, corpusId });
      return { conversations: rows.map(conversationView) };
    },
  );

  routes.get('/v1/conversations/:id', { schema: { params: idParams }, preHandler: query }, async (request) => {
    const { tenantId } = principalOf(request);
    const row = await conversations.get(tenantId, request.params.id);
    return { ...conversationView(row), messages: await conversations.messages(row) };
  });

  routes.patch('/v1/conversations/:id', { schema: { params: idParams, body: z.object({ title: titleSchema }).strict() }, preHandler: query }, async (request) => {
    const { tenantId } = principalOf(request);
    return conversationView(await conversations.rename(tenantId, request.params.id, request.body.title));
  });

  routes.delete('/v1/conversations/:id', { schema: { params: idParams }, preHandler: query }, async (request, reply) => {
    const { tenantId } = principalOf(request);
    await conversations.delete(tenantId, request.params.id);
    return reply.status(204).send();
  });

  routes.post(
    '/v1/conversations/:id/messages',
    {
      schema: {
        params: idParams,
        body: z
          .object({
            question: z.string().trim().min(1).max(4000),
            regenerate: z.boolean().default(false).describe('Answer the last turn again (with this question: the same, or edited) and replace it, instead of adding a turn'),
          })
          .strict(),
      },
      onRequest: responder.admit,
      preHandler: query,
    },
    async (request, reply) => {
      const { tenantId } = principalOf(request);
      // Unknown or another tenant's: 404 before anything is admitted or streamed.
      await conversations.get(tenantId, request.params.id);
      deps.services.answers.checkBudget(request.body.question, tenantId);
      return responder.respond(request, reply, tenantId, request.body.question, (context) =>
        conversations.ask(tenantId, request.params.id, (row) => deps.services.corpora.find(tenantId, row.corpusId), request.body.question, context, { regenerate: request.body.regenerate }),
      );
    },
  );
}
