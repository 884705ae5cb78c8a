import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { JobRow } from '../../core/db/schema';
import { principalOf } from '../auth';
import type { AppDeps } from '../deps';

export function jobView(job: JobRow) {
  return {
    id: job.id,
    name: job.name,
    state: job.state,
    progress: job.progress ?? { stage: 'queued', done: 0, total: 0 },
    attempts: job.attempts,
    ...(job.error && job.state === 'failed' ? { error: job.error } : {}),
    ...(job.result ? { result: job.result } : {}),
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
  };
}

export function jobRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/jobs/:id',
    { schema: { params: z.object({ id: z.string().min(1).max(200) }) }, preHandler: deps.authenticate },
    async (request) => {
      const { tenantId } = principalOf(request);
      return jobView(await deps.jobRecords.getForTenant(request.params.id, tenantId));
    },
  );
}
