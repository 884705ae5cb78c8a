import type { Schemas } from '@qdrant/js-client-rest';
import type { IndexScope } from '../ports';

/**
 * Filters the Qdrant adapter can apply, translated in one place. Every filter
 * starts from the scope's tenant and corpus (both `must`); a condition kind
 * this switch does not handle is a compile error (`never`), because a silently
 * dropped condition is how one tenant's chunks leak into another's results.
 */
export type IndexCondition =
  | { kind: 'tenant'; tenantId: string }
  | { kind: 'corpus'; corpusId: string }
  | { kind: 'document'; documentId: string }
  | { kind: 'version'; versionId: string }
  | { kind: 'chunks'; chunkIds: readonly string[] };

/** Payload keys, with keyword payload indexes created at createBuild. */
export const PAYLOAD_KEYS = {
  tenant: 'tenant_id',
  corpus: 'corpus_id',
  document: 'document_id',
  version: 'version_id',
} as const;

function assertNever(value: never): never {
  throw new Error(`unhandled index condition: ${JSON.stringify(value)}`);
}

function requireValue(kind: string, value: string): string {
  if (value.length === 0) throw new Error(`empty ${kind} in index filter`);
  return value;
}

export function toQdrantCondition(condition: IndexCondition): Schemas['Condition'] {
  switch (condition.kind) {
    case 'tenant':
      return { key: PAYLOAD_KEYS.tenant, match: { value: requireValue('tenant', condition.tenantId) } };
    case 'corpus':
      return { key: PAYLOAD_KEYS.corpus, match: { value: requireValue('corpus', condition.corpusId) } };
    case 'document':
      return { key: PAYLOAD_KEYS.document, match: { value: requireValue('document', condition.documentId) } };
    case 'version':
      return { key: PAYLOAD_KEYS.version, match: { value: requireValue('version', condition.versionId) } };
    case 'chunks':
      return { has_id: [...condition.chunkIds] };
    default:
      return assertNever(condition);
  }
}

/** `must` [tenant, corpus, ...extra]: the scope's conditions are always there, whatever else is asked. */
export function scopeFilter(scope: Pick<IndexScope, 'tenantId' | 'corpusId'>, extra: readonly IndexCondition[] = []): Schemas['Filter'] {
  const conditions: IndexCondition[] = [
    { kind: 'tenant', tenantId: scope.tenantId },
    { kind: 'corpus', corpusId: scope.corpusId },
    ...extra,
  ];
  return { must: conditions.map(toQdrantCondition) };
}
