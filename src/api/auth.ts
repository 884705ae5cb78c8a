import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Scope } from '../core/api-keys';
import type { Db } from '../core/db/client';
import { AppError } from '../core/errors';
import { authenticateKey, touchApiKey, type Principal } from '../core/tenancy';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const TOUCH_INTERVAL_MS = 60_000;

/** Resolves the Bearer key to a principal; the tenant always comes from the key, never the request. */
export function createAuthenticator(db: Db) {
  const lastTouched = new Map<string, number>();
  return async function authenticate(request: FastifyRequest): Promise<Principal> {
    if (request.principal) return request.principal;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) throw new AppError('UNAUTHORIZED', 'missing or malformed Authorization: Bearer <api key>');
    const principal = await authenticateKey(db, match[1]);
    if (!principal) throw new AppError('UNAUTHORIZED', 'unknown or revoked API key');
    request.principal = principal;
    const now = Date.now();
    // last_used_at is advisory: write it at most once a minute per key to keep auth cheap.
    if ((lastTouched.get(principal.keyId) ?? 0) + TOUCH_INTERVAL_MS < now) {
      lastTouched.set(principal.keyId, now);
      void touchApiKey(db, principal.keyId).catch(() => undefined);
    }
    return principal;
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

export function requireScope(authenticate: Authenticator, scope: Scope): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const principal = await authenticate(request);
    if (!principal.scopes.includes(scope) && !principal.scopes.includes('admin')) {
      throw new AppError('FORBIDDEN', `this API key lacks the "${scope}" scope`, { details: { required: scope } });
    }
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHORIZED', 'not authenticated');
  return request.principal;
}
