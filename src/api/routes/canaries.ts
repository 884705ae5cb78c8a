import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Cron } from 'croner';
import { z } from 'zod';
import { getCorpus } from '../../core/corpora';
import { AppError } from '../../core/errors';
import { OutboundGuard, OutboundTargetForbidden } from '../../core/net/outbound-guard';
import { canaryView, createCanary, deleteCanary, listCanaries, listRuns, runView } from '../../../evals/canaries/canary-store';
import { proposeCanaries } from '../../../evals/canaries/generate';
import { principalOf, requireScope } from '../auth';
import type { AppDeps } from '../deps';

const corpusParams = z.object({ corpus: z.string().min(1) });
const WEBHOOK_RESOLVE_MS = 2_000;

const settingsBody = z
  .object({
    cron: z.string().min(9).max(100).refine((value) => {
      try {
        new Cron(value, { paused: true }).stop();
        return true;
      } catch {
        return false;
      }
    }, 'not a valid cron pattern'),
    timezone: z.string().min(1).max(64).refine((value) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: value });
        return true;
      } catch {
        return false;
      }
    }, 'not a known IANA time zone'),
    threshold: z.number().min(0).max(1),
    dropDelta: z.number().min(0).max(1),
    gateTolerance: z.number().min(0).max(1),
    // Alerts are POSTed to these: z.string().url() alone also takes file:, javascript: and data: URLs.
    webhooks: z.array(z.string().max(2000).url().refine((value) => /^https?:\/\//iu.test(value), 'webhooks must be http(s) URLs')).max(10),
  })
  .partial()
  .strict();

export function canaryRoutes(app: FastifyInstance, deps: AppDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const admin = requireScope(deps.authenticate, 'admin');
  const outbound = new OutboundGuard({ allowHosts: deps.config.OUTBOUND_ALLOW_HOSTS });
  const operatorUrls = new Set(deps.config.ALERT_WEBHOOK_URL);
  /**
   * A tenant's webhook may not point inside the operator's network (the server would POST there on its behalf).
   * Refused here by its literal address or name, and by what the name resolves to now when it resolves within
   * WEBHOOK_RESOLVE_MS; checked again at every delivery. The operator's own ALERT_WEBHOOK_URL is accepted as is.
   */
  const checkWebhook = async (url: string) => {
    if (operatorUrls.has(url)) return;
    try {
      outbound.checkUrl(url);
      const deadline = new AbortController();
      const unresolved = sleep(WEBHOOK_RESOLVE_MS, undefined, { signal: deadline.signal }).catch(() => undefined);
      // A name that does not resolve now is accepted: delivery resolves it again, and refuses it then if need be.
      const resolved = outbound.resolveTarget(url).catch((error: unknown) => (error instanceof OutboundTargetForbidden ? Promise.reject(error) : undefined));
      await Promise.race([resolved, unresolved]).finally(() => deadline.abort());
    } catch (error) {
      if (!(error instanceof OutboundTargetForbidden)) throw error;
      throw new AppError('WEBHOOK_TARGET_FORBIDDEN', `webhook ${error.host} is refused: ${error.reason}; the operator may allow it with OUTBOUND_ALLOW_HOSTS`, {
        details: { host: error.host, reason: error.reason },
      });
    }
  };
  const corpusOf = async (request: { params: { corpus: string } } & Parameters<typeof principalOf>[0]) =>
    getCorpus(deps.store.db, principalOf(request).tenantId, request.params.corpus);

  routes.post(
    '/v1/corpora/:corpus/canaries',
    {
      schema: {
        params: corpusParams,
        body: z
          .object({
            query: z.string().trim().min(1).max(1000),
            expect: z.object({ documentId: z.string().uuid().optional(), chunkContains: z.string().trim().min(1).max(1000).optional() }).strict(),
            k: z.number().int().min(1).max(100).optional(),
          })
          .strict(),
      },
      preHandler: admin,
    },
    async (request, reply) => {
      const corpus = await corpusOf(request);
      const row = await createCanary(deps.store.db, corpus, request.body);
      return reply.status(201).send(canaryView(row));
    },
  );
  routes.get('/v1/corpora/:corpus/canaries', { schema: { params: corpusParams }, preHandler: deps.authenticate }, async (request) => {
    const corpus = await corpusOf(request);
    return { canaries: (await listCanaries(deps.store.db, corpus.id)).map(canaryView) };
  });
  routes.delete(
    '/v1/corpora/:corpus/canaries/:id',
    { schema: { params: corpusParams.extend({ id: z.string().uuid() }) }, preHandler: admin },
    async (request, reply) => {
      const corpus = await corpusOf(request);
      await deleteCanary(deps.store.db, corpus.tenantId, corpus.id, request.params.id);
      return reply.status(204).send();
    },
  );
  routes.post(
    '/v1/corpora/:corpus/canaries/generate',
    { schema: { params: corpusParams, body: z.object({ count: z.number().int().min(1).max(100).default(10) }).strict().default({ count: 10 }) }, preHandler: admin },
    async (request) => {
      const corpus = await corpusOf(request);
      const build = await deps.services.builds.active(corpus);
      return { proposals: await proposeCanaries(deps.store.db, build, request.body.count) };
    },
  );
  routes.post('/v1/corpora/:corpus/canaries/run', { schema: { params: corpusParams }, preHandler: admin }, async (request) => {
    const corpus = await corpusOf(request);
    const run = await deps.services.canaries.run(corpus.id, 'manual');
    if (!run) throw new AppError('CONFLICT', 'the canary run was not recorded');
    return run;
  });
  routes.get(
    '/v1/corpora/:corpus/canary-runs',
    { schema: { params: corpusParams, querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }) }, preHandler: deps.authenticate },
    async (request) => {
      const corpus = await corpusOf(request);
      return { runs: (await listRuns(deps.store.db, corpus.id, request.query.limit)).map(runView) };
    },
  );
  routes.get('/v1/corpora/:corpus/alerts', { schema: { params: corpusParams }, preHandler: deps.authenticate }, async (request) => {
    const corpus = await corpusOf(request);
    const rows = await deps.services.canaries.openAlerts(corpus.id);
    return { alerts: rows.map((row) => ({ id: row.id, cause: row.cause, status: row.status, runId: row.runId, delivered: row.delivered, createdAt: row.createdAt.toISOString(), text: row.payload.text })) };
  });
  routes.get('/v1/corpora/:corpus/canary-settings', { schema: { params: corpusParams }, preHandler: deps.authenticate }, async (request) => {
    const corpus = await corpusOf(request);
    return deps.services.canaries.settings(corpus);
  });
  routes.patch('/v1/corpora/:corpus/canary-settings', { schema: { params: corpusParams, body: settingsBody }, preHandler: admin }, async (request) => {
    for (const url of request.body.webhooks ?? []) await checkWebhook(url);
    const corpus = await corpusOf(request);
    const settings = await deps.services.canaries.updateSettings(corpus, request.body);
    await deps.services.canarySchedules.upsert(await getCorpus(deps.store.db, corpus.tenantId, corpus.id));
    return settings;
  });
}
