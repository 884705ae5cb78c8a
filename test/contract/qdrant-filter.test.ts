import { describe, expect, it } from 'vitest';
import { scopeFilter, toQdrantCondition, type IndexCondition } from '../../indexes/qdrant/qdrant-filter';

const scope = { tenantId: 'tenant-a', corpusId: 'corpus-a' };

describe('qdrant filter builder', () => {
  it('always requires the tenant and the corpus', () => {
    expect(scopeFilter(scope)).toEqual({
      must: [
        { key: 'tenant_id', match: { value: 'tenant-a' } },
        { key: 'corpus_id', match: { value: 'corpus-a' } },
      ],
    });
  });

  it('adds further conditions after the scope, never instead of it', () => {
    const filter = scopeFilter(scope, [
      { kind: 'document', documentId: 'doc-1' },
      { kind: 'version', versionId: 'ver-1' },
      { kind: 'chunks', chunkIds: ['c-1', 'c-2'] },
      { kind: 'tenant', tenantId: 'tenant-b' },
    ]);
    expect(filter.must).toEqual([
      { key: 'tenant_id', match: { value: 'tenant-a' } },
      { key: 'corpus_id', match: { value: 'corpus-a' } },
      { key: 'document_id', match: { value: 'doc-1' } },
      { key: 'version_id', match: { value: 'ver-1' } },
      { has_id: ['c-1', 'c-2'] },
      // A second tenant condition can only narrow (must = AND): tenant-a AND tenant-b matches nothing.
      { key: 'tenant_id', match: { value: 'tenant-b' } },
    ]);
    expect(filter.should).toBeUndefined();
    expect(filter.must_not).toBeUndefined();
  });

  it('refuses an empty tenant or corpus instead of matching everything', () => {
    expect(() => scopeFilter({ tenantId: '', corpusId: 'corpus-a' })).toThrow(/empty tenant/);
    expect(() => scopeFilter({ tenantId: 'tenant-a', corpusId: '' })).toThrow(/empty corpus/);
  });

  it('throws on a condition kind it does not know (the switch is exhaustive at compile time too)', () => {
    const unknown = { kind: 'owner', ownerId: 'x' } as unknown as IndexCondition;
    expect(() => toQdrantCondition(unknown)).toThrow(/unhandled index condition/);
  });
});
