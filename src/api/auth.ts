import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { hashApiKey, type Scope } from '../core/api-keys';
import type { Db } from '../core/db/client';
import { AppError } from '../core/errors';
import { authenticateKey, touchApiKey, type Principal } from '../core/tenancy';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const TOUCH_INTERVAL_MS = 60_000;

export interface AuthenticatorOptions {
  /**
   * How long a verified key is trusted without asking the database again
   * (default 5 s; 0 asks every time). A key revoked through this process is
   * forgotten at once; revoked elsewhere, it works for at most this long.
   */
  cacheTtlMs?: number;
  now?: () => number;
}

/** Resolves the Bearer key to a principal; the tenant always comes from the key, never the request. */
export function createAuthenticator(db: Db, options: AuthenticatorOptions = {}) {
  const ttl = options.cacheTtlMs ?? 5_000;
  const now = options.now ?? Date.now;
  const lastTouched = new Map<string, number>();
  // Keyed by the raw key's hash, so the cache holds no usable secret.
  const verified = new Map<string, { principal: Principal; at: number }>();
  const lookup = async (key: string): Promise<Principal | undefined> => {
    const hash = hashApiKey(key);
    const cached = verified.get(hash);
    if (cached && now() - cached.at < ttl) return cached.principal;
    const principal = await authenticateKey(db, key);
    if (principal && ttl > 0) {
      // Bounded: a flood of distinct valid keys cannot grow it without limit.
      if (verified.size >= 10_000) verified.clear();
      verified.set(hash, { principal, at: now() });
    } else {
      verified.delete(hash);
    }
    return principal;
  };
  const authenticate = async function authenticate(request: FastifyRequest): Promise<Principal> {
    if (request.principal) return request.principal;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) throw new AppError('UNAUTHORIZED', 'missing or malformed Authorization: Bearer <api key>');
    const principal = await lookup(match[1]);
    if (!principal) throw new AppError('UNAUTHORIZED', 'unknown or revoked API key');
    request.principal = principal;
    const at = now();
    // last_used_at is advisory: write it at most once a minute per key to keep auth cheap.
    if ((lastTouched.get(principal.keyId) ?? 0) + TOUCH_INTERVAL_MS < at) {
      lastTouched.set(principal.keyId, at);
      void touchApiKey(db, principal.keyId).catch(() => undefined);
    }
    return principal;
  };
  /** Drops a revoked key from the cache (the revoking request calls this). */
  const forget = (keyId: string): void => {
    for (const [hash, entry] of verified) if (entry.principal.keyId === keyId) verified.delete(hash);
  };
  return Object.assign(authenticate, { forget });
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

/** The scope a preHandler made by requireScope demands (the OpenAPI document names it per operation). */
const REQUIRED_SCOPE = Symbol('requiredScope');

export function requireScope(authenticate: Authenticator, scope: Scope): preHandlerAsyncHookHandler {
  const handler = async (request: FastifyRequest, _reply: FastifyReply) => {
    const principal = await authenticate(request);
    if (!principal.scopes.includes(scope) && !principal.scopes.includes('admin')) {
      throw new AppError('FORBIDDEN', `this API key lacks the "${scope}" scope`, { details: { required: scope } });
    }
  };
  return Object.assign(handler, { [REQUIRED_SCOPE]: scope });
}

export function requiredScopeOf(handler: unknown): Scope | undefined {
  if (typeof handler !== 'function') return undefined;
  return (handler as { [REQUIRED_SCOPE]?: Scope })[REQUIRED_SCOPE];
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHORIZED', 'not authenticated');
  return request.principal;
}
