/** System error codes of a connection that failed or went away: the peer is unreachable now, not a bug. */
const SOCKET_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

export function isSocketErrorCode(code: unknown): boolean {
  return typeof code === 'string' && SOCKET_ERROR_CODES.has(code);
}
