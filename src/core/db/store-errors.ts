import { isSocketErrorCode } from '../socket-errors';

/**
 * Tells a lost or refused database connection apart from a bug, so the API can
 * answer 503 STORE_UNAVAILABLE (retry later) instead of 500. node-postgres
 * reports socket failures as plain Errors with a message or a system error
 * code; the server reports shutdowns and refusals with SQLSTATE codes; drizzle
 * wraps either in DrizzleQueryError with the original as `cause`.
 */
// Class 08: connection exception; 57P01-57P03: admin/crash shutdown, cannot connect now; 53300: too many connections.
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-3]|53300)$/u;
const MESSAGES = [
  /connection terminated/iu,
  /timeout exceeded when trying to connect/iu,
  // pg's query_timeout: the server (or the network to it) did not answer in time.
  /query read timeout/iu,
  /client has encountered a connection error/iu,
  /cannot use a pool after calling end/iu,
  /pglite is closed/iu,
  // The embedded database's worker thread died (src/core/db/pglite-worker.ts).
  /pglite worker (?:stopped|failed to start)/iu,
];

export function isStoreUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (isSocketErrorCode(code) || (typeof code === 'string' && SQLSTATE.test(code))) return true;
    if (MESSAGES.some((pattern) => pattern.test(current instanceof Error ? current.message : ''))) return true;
    current = current.cause;
  }
  return false;
}
