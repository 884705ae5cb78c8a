import { describe, expect, it } from 'vitest';
import { BuildSnapshots, type BuildSnapshot } from '../../../indexes/postgres/build-snapshots';
import type { IndexScope } from '../../../indexes/ports';

interface Copy extends BuildSnapshot {
  rows: string[];
}

const scopeOf = (buildId: string): IndexScope => ({ tenantId: 't', corpusId: 'c', buildId });
/** A committed write from version `from` (undefined: the build held nothing) to `to`, replacing nothing. */
const write = (from: number | undefined, to: number) => ({ before: from === undefined ? undefined : { version: from, size: 1 }, after: to, replaced: 0 });
const copy = (version: number, rows: string[]): Copy => ({ tenantId: 't', corpusId: 'c', version, size: rows.length, rows, lastUsed: performance.now() });

/** Copies whose loads read `database` (version and rows by build), resolved when the test says so. */
function harness(maxSize = 10) {
  const database = new Map<string, { version: number; rows: string[] }>();
  const pending: (() => void)[] = [];
  const errors: unknown[] = [];
  const snapshots = new BuildSnapshots<Copy>(
    (scope) => {
      const taken = database.get(scope.buildId);
      const result = taken ? copy(taken.version, [...taken.rows]) : undefined;
      return new Promise((resolve) => pending.push(() => resolve(result)));
    },
    { maxSize, minReloadIntervalMs: 0, onError: (error) => errors.push(error) },
  );
  const releaseLoads = async () => {
    for (const release of pending.splice(0)) release();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { database, snapshots, errors, releaseLoads };
}

describe('BuildSnapshots.advance', () => {
  it('brings the copy held at the write\'s first version to its last, and leaves any other copy stale', async () => {
    const { database, snapshots, releaseLoads } = harness();
    const scope = scopeOf('b1');
    database.set('b1', { version: 1, rows: ['a'] });
    const warming = snapshots.warm(scope);
    await releaseLoads();
    await warming;
    snapshots.advance(scope, write(1, 3), (held) => ({ ...held!, rows: [...held!.rows, 'b'], size: 2 }));
    expect((await snapshots.current(scope, { version: 3, size: 2 }))?.rows).toEqual(['a', 'b']);
    // A write that started from a version the copy does not hold: not applied, the copy stays at 3.
    snapshots.advance(scope, write(4, 5), () => copy(0, ['never']));
    expect(await snapshots.current(scope, { version: 5, size: 3 })).toBeUndefined();
    expect(snapshots.counters()).toMatchObject({ advances: 1, memoryHits: 1, sqlFallbacks: 1 });
  });

  it('makes the copy from the write alone when the build was empty, and a load that read an older version does not replace it', async () => {
    const { database, snapshots, releaseLoads } = harness();
    const scope = scopeOf('b2');
    database.set('b2', { version: 1, rows: ['old'] });
    expect(await snapshots.current(scope, { version: 1, size: 1 })).toBeUndefined(); // a load starts, reading version 1
    snapshots.advance(scope, write(undefined, 2), (held) => {
      expect(held).toBeUndefined();
      return copy(0, ['x', 'y']);
    });
    await releaseLoads();
    expect((await snapshots.current(scope, { version: 2, size: 2 }))?.rows).toEqual(['x', 'y']);
    // An empty-build write reported after the copy moved past it leaves the newer copy in place.
    snapshots.advance(scope, write(undefined, 1), () => copy(0, ['stale']));
    expect((await snapshots.current(scope, { version: 2, size: 2 }))?.rows).toEqual(['x', 'y']);
  });

  it('keeps an advanced copy only beside the others: a build being written never evicts one being asked', async () => {
    const { database, snapshots, releaseLoads } = harness(5);
    database.set('asked', { version: 1, rows: ['1', '2', '3'] });
    const warming = snapshots.warm(scopeOf('asked'));
    await releaseLoads();
    await warming;
    snapshots.advance(scopeOf('written'), write(undefined, 1), () => copy(0, ['a', 'b', 'c']));
    expect(await snapshots.current(scopeOf('written'), { version: 1, size: 3 })).toBeUndefined();
    expect((await snapshots.current(scopeOf('asked'), { version: 1, size: 3 }))?.rows).toEqual(['1', '2', '3']);
    snapshots.advance(scopeOf('written'), write(undefined, 2), () => copy(0, ['a', 'b']));
    expect((await snapshots.current(scopeOf('written'), { version: 2, size: 2 }))?.rows).toEqual(['a', 'b']);
  });

  it('drops the copy and reports, without throwing, when the write cannot be applied', async () => {
    const { database, snapshots, errors, releaseLoads } = harness();
    const scope = scopeOf('b3');
    database.set('b3', { version: 1, rows: ['a'] });
    const warming = snapshots.warm(scope);
    await releaseLoads();
    await warming;
    expect(() =>
      snapshots.advance(scope, write(1, 2), () => {
        throw new RangeError('Array buffer allocation failed');
      }),
    ).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(await snapshots.current(scope, { version: 1, size: 1 })).toBeUndefined();
  });
});
