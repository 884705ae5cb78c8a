import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { SCOPES } from '../../core/api-keys';
import { apiKeys, tenants, type Tenant } from '../../core/db/schema';
import { AppError } from '../../core/errors';
import { createApiKey, createTenant, findTenant } from '../../core/tenancy';
import { principalOf, requireScope } from '../auth';
import type { AppDeps } from '../deps';

/** Limits a tenant may override; names match the config variables. */
export const TENANT_LIMIT_KEYS = ['RATE_LIMIT_QUERY_PER_MINUTE', 'RATE_LIMIT_INGEST_PER_MINUTE', 'RATE_LIMIT_ADMIN_PER_MINUTE', 'TOKENS_PER_MINUTE', 'MAX_CONCURRENT_ANSWERS', 'DAILY_TOKEN_BUDGET'] as const;
const limitsSchema = z.object(Object.fromEntries(TENANT_LIMIT_KEYS.map((key) => [key, z.number().int().min(1).optional()]))).strict();

function tenantView(tenant: Tenant) {
  return { id: tenant.id, name: tenant.name, limits: tenant.limits, createdAt: tenant.createdAt.toISOString() };
}

/**
 * Tenant and key administration. Only an admin key of the `default` tenant (the
 * operator's) manages other tenants; a tenant's own admin key manages its keys.
 */
export function adminRoutes(app: FastifyInstance, deps: AppDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const admin = requireScope(deps.authenticate, 'admin');
  const operatorTenantId = async () => (await findTenant(deps.store.db, 'default'))?.id;
  const requireOperator = async (tenantId: string) => {
    if (tenantId !== (await operatorTenantId())) throw new AppError('FORBIDDEN', 'only the operator (tenant "default") manages tenants');
  };

  routes.post(
    '/v1/admin/tenants',
    { schema: { body: z.object({ name: z.string().trim().min(1).max(100), limits: limitsSchema.optional() }).strict() }, preHandler: admin },
    async (request, reply) => {
      await requireOperator(principalOf(request).tenantId);
      const tenant = await createTenant(deps.store.db, request.body.name);
      if (request.body.limits) await deps.store.db.update(tenants).set({ limits: request.body.limits as Record<string, number> }).where(eq(tenants.id, tenant.id));
      return reply.status(201).send(tenantView({ ...tenant, limits: (request.body.limits ?? {}) as Record<string, number> }));
    },
  );
  routes.get('/v1/admin/tenants', { preHandler: admin }, async (request) => {
    await requireOperator(principalOf(request).tenantId);
    return { tenants: (await deps.store.db.select().from(tenants).orderBy(asc(tenants.createdAt))).map(tenantView) };
  });
  routes.patch(
    '/v1/admin/tenants/:id',
    { schema: { params: z.object({ id: z.string().min(1) }), body: z.object({ limits: limitsSchema }).strict() }, preHandler: admin },
    async (request) => {
      await requireOperator(principalOf(request).tenantId);
      const tenant = await findTenant(deps.store.db, request.params.id);
      if (!tenant) throw new AppError('TENANT_NOT_FOUND', `tenant ${request.params.id} not found`);
      const limits = { ...tenant.limits, ...(request.body.limits as Record<string, number>) };
      await deps.store.db.update(tenants).set({ limits }).where(eq(tenants.id, tenant.id));
      return tenantView({ ...tenant, limits });
    },
  );

  routes.post(
    '/v1/admin/keys',
    {
      schema: {
        body: z.object({ tenant: z.string().min(1).optional(), scopes: z.array(z.enum(SCOPES)).min(1), name: z.string().trim().min(1).max(100) }).strict(),
      },
      preHandler: admin,
    },
    async (request, reply) => {
      const principal = principalOf(request);
      let tenantId = principal.tenantId;
      if (request.body.tenant) {
        const tenant = await findTenant(deps.store.db, request.body.tenant);
        if (!tenant) throw new AppError('TENANT_NOT_FOUND', `tenant ${request.body.tenant} not found`);
        if (tenant.id !== principal.tenantId) await requireOperator(principal.tenantId);
        tenantId = tenant.id;
      }
      const { key, row } = await createApiKey(deps.store.db, { tenantId, name: request.body.name, scopes: request.body.scopes });
      // The only time the key is ever shown.
      return reply.status(201).send({ id: row.id, key, prefix: row.prefix, tenantId, name: row.name, scopes: row.scopes, createdAt: row.createdAt.toISOString() });
    },
  );
  routes.get('/v1/admin/keys', { preHandler: admin }, async (request) => {
    const { tenantId } = principalOf(request);
    const rows = await deps.store.db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(asc(apiKeys.createdAt));
    return {
      keys: rows.map((row) => ({
        id: row.id,
        prefix: row.prefix,
        name: row.name,
        scopes: row.scopes,
        createdAt: row.createdAt.toISOString(),
        lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
        revokedAt: row.revokedAt?.toISOString() ?? null,
      })),
    };
  });
  routes.delete('/v1/admin/keys/:id', { schema: { params: z.object({ id: z.string().uuid() }) }, preHandler: admin }, async (request, reply) => {
    const { tenantId } = principalOf(request);
    const revoked = await deps.store.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, request.params.id), eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    if (revoked.length === 0) throw new AppError('KEY_NOT_FOUND', `key ${request.params.id} not found`);
    deps.authenticate.forget(request.params.id);
    return reply.status(204).send();
  });
}
