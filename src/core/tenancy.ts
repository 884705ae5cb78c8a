import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from './db/client';
import { apiKeys, tenants, type ApiKey, type Tenant } from './db/schema';
import { generateApiKey, hashApiKey, visiblePrefix, type Scope } from './api-keys';
import { AppError } from './errors';

export const DEFAULT_TENANT = 'default';

export interface Principal {
  tenantId: string;
  keyId: string;
  scopes: Scope[];
}

export async function ensureTenant(db: Db, name: string): Promise<Tenant> {
  await db.insert(tenants).values({ name }).onConflictDoNothing({ target: tenants.name });
  const [tenant] = await db.select().from(tenants).where(eq(tenants.name, name));
  if (!tenant) throw new AppError('INTERNAL', `tenant ${name} could not be created`);
  return tenant;
}

export async function createTenant(db: Db, name: string): Promise<Tenant> {
  const [tenant] = await db.insert(tenants).values({ name }).onConflictDoNothing({ target: tenants.name }).returning();
  if (!tenant) throw new AppError('CONFLICT', `a tenant named "${name}" already exists`);
  return tenant;
}

export async function findTenant(db: Db, idOrName: string): Promise<Tenant | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  const [tenant] = await db
    .select()
    .from(tenants)
    .where(isUuid ? eq(tenants.id, idOrName) : eq(tenants.name, idOrName));
  return tenant;
}

export async function createApiKey(
  db: Db,
  input: { tenantId: string; name: string; scopes: Scope[] },
): Promise<{ key: string; row: ApiKey }> {
  const generated = generateApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({ tenantId: input.tenantId, name: input.name, scopes: input.scopes, prefix: generated.prefix, hash: generated.hash })
    .returning();
  if (!row) throw new AppError('INTERNAL', 'api key could not be stored');
  return { key: generated.key, row };
}

/** Makes sure a given plaintext key exists as an admin key of `tenantName` (BOOTSTRAP_API_KEY). */
export async function ensureApiKey(db: Db, tenantName: string, key: string, scopes: Scope[]): Promise<Tenant> {
  const tenant = await ensureTenant(db, tenantName);
  await db
    .insert(apiKeys)
    .values({ tenantId: tenant.id, name: 'bootstrap', scopes, prefix: visiblePrefix(key), hash: hashApiKey(key) })
    .onConflictDoNothing({ target: apiKeys.hash });
  return tenant;
}

export async function tenantHasKeys(db: Db, tenantId: string): Promise<boolean> {
  const rows = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
    .limit(1);
  return rows.length > 0;
}

export async function authenticateKey(db: Db, key: string): Promise<Principal | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hashApiKey(key)), isNull(apiKeys.revokedAt)));
  if (!row) return undefined;
  return { tenantId: row.tenantId, keyId: row.id, scopes: row.scopes as Scope[] };
}

export async function touchApiKey(db: Db, keyId: string): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, keyId));
}
