import { createHash, randomBytes } from 'node:crypto';

export const SCOPES = ['ingest', 'query', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

const KEY_PREFIX = 'atk_';

/** API keys carry 192 bits of randomness, so a plain SHA-256 is a sufficient at-rest hash. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  return { key, prefix: visiblePrefix(key), hash: hashApiKey(key) };
}

/** The short part shown in listings so a key can be recognised without being revealed. */
export function visiblePrefix(key: string): string {
  return key.slice(0, Math.min(12, Math.max(4, key.length - 8)));
}
