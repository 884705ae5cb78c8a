import { describe, expect, it } from 'vitest';
import { MemoryFrontedAnswerCache, type AnswerCache } from '../../../src/query/answer-cache';

/** A shared cache that counts its reads (what the memory front is there to save). */
function sharedCache(): AnswerCache & { reads: number; rows: Map<string, { tenantId: string; body: Record<string, unknown> }> } {
  const rows = new Map<string, { tenantId: string; body: Record<string, unknown> }>();
  return {
    rows,
    reads: 0,
    async get(key, tenantId) {
      this.reads++;
      const row = rows.get(key);
      return row && row.tenantId === tenantId ? row.body : undefined;
    },
    async set(key, tenantId, body) {
      rows.set(key, { tenantId, body });
    },
  };
}

describe('MemoryFrontedAnswerCache', () => {
  it('answers a repeated key from memory, and writes through to the shared cache', async () => {
    const shared = sharedCache();
    const cache = new MemoryFrontedAnswerCache(shared, { maxEntries: 10, defaultTtlSeconds: 60 });
    await cache.set('k1', 't1', { answer: 'a' }, 60);
    expect(shared.rows.get('k1')?.body).toEqual({ answer: 'a' });
    expect(await cache.get('k1', 't1')).toEqual({ answer: 'a' });
    expect(shared.reads).toBe(0);
  });

  it('peek answers from memory only: what this process wrote, never a shared-cache read', async () => {
    const shared = sharedCache();
    await shared.set('elsewhere', 't1', { answer: 'b' }, 60);
    const cache = new MemoryFrontedAnswerCache(shared, { maxEntries: 10, defaultTtlSeconds: 60 });
    expect(cache.peek('elsewhere', 't1')).toBeUndefined();
    await cache.set('here', 't1', { answer: 'a' }, 60);
    expect(cache.peek('here', 't1')).toEqual({ answer: 'a' });
    expect(cache.peek('here', 't2')).toBeUndefined();
    expect(shared.reads).toBe(0);
  });

  it('fills from the shared cache on a miss (another process wrote it), then serves from memory', async () => {
    const shared = sharedCache();
    await shared.set('k1', 't1', { answer: 'elsewhere' }, 60);
    const cache = new MemoryFrontedAnswerCache(shared, { maxEntries: 10, defaultTtlSeconds: 60 });
    expect(await cache.get('k1', 't1')).toEqual({ answer: 'elsewhere' });
    expect(await cache.get('k1', 't1')).toEqual({ answer: 'elsewhere' });
    expect(shared.reads).toBe(1);
    expect(await cache.get('missing', 't1')).toBeUndefined();
    expect(shared.reads).toBe(2);
  });

  it('never serves an entry to another tenant, and forgets entries after their TTL', async () => {
    const shared = sharedCache();
    let now = 0;
    const cache = new MemoryFrontedAnswerCache(shared, { maxEntries: 10, defaultTtlSeconds: 60, now: () => now });
    await cache.set('k1', 't1', { answer: 'a' }, 10);
    expect(await cache.get('k1', 't2')).toBeUndefined();
    shared.rows.clear();
    now += 9_999;
    expect(await cache.get('k1', 't1')).toEqual({ answer: 'a' });
    now += 2;
    expect(await cache.get('k1', 't1')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the least recently used; 0 keeps nothing', async () => {
    const shared = sharedCache();
    const cache = new MemoryFrontedAnswerCache(shared, { maxEntries: 2, defaultTtlSeconds: 60 });
    await cache.set('a', 't', { n: 1 }, 60);
    await cache.set('b', 't', { n: 2 }, 60);
    await cache.get('a', 't'); // a is now the most recent
    await cache.set('c', 't', { n: 3 }, 60);
    shared.rows.clear();
    expect(await cache.get('a', 't')).toEqual({ n: 1 });
    expect(await cache.get('c', 't')).toEqual({ n: 3 });
    expect(await cache.get('b', 't')).toBeUndefined();

    const off = new MemoryFrontedAnswerCache(shared, { maxEntries: 0, defaultTtlSeconds: 60 });
    await off.set('x', 't', { n: 4 }, 60);
    shared.rows.clear();
    expect(await off.get('x', 't')).toBeUndefined();
  });

  describe('write-behind', () => {
    /** A shared cache whose writes finish only when the test lets them (or fail when it says so). */
    function gatedShared() {
      const base = sharedCache();
      const gates: { open: () => void; fail: (error: Error) => void }[] = [];
      return Object.assign(base, {
        gates,
        async set(key: string, tenantId: string, body: Record<string, unknown>) {
          await new Promise<void>((resolve, reject) => gates.push({ open: resolve, fail: reject }));
          base.rows.set(key, { tenantId, body });
        },
      });
    }

    it('answers from memory at once; the shared write lands in the background and flush waits for it', async () => {
      const shared = gatedShared();
      const cache = new MemoryFrontedAnswerCache(shared, { maxEntries: 10, defaultTtlSeconds: 60, writeBehind: true, writeDelayMs: 10_000 });
      await cache.set('k1', 't1', { answer: 'a' }, 60);
      // Queued for the next batch, not written yet.
      expect(shared.gates).toHaveLength(0);
      expect(shared.rows.has('k1')).toBe(false);
      expect(cache.peek('k1', 't1')).toEqual({ answer: 'a' });
      expect(await cache.get('k1', 't1')).toEqual({ answer: 'a' });
      let flushed = false;
      const flushing = cache.flush().then(() => (flushed = true));
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(shared.gates).toHaveLength(1);
      expect(flushed).toBe(false);
      shared.gates[0]!.open();
      await flushing;
      expect(shared.rows.get('k1')?.body).toEqual({ answer: 'a' });
    });

    it('writes the entries set within the delay as one batch through setMany', async () => {
      const shared = sharedCache();
      const batches: string[][] = [];
      const batching = Object.assign(shared, {
        async setMany(entries: readonly { key: string; tenantId: string; body: Record<string, unknown> }[]) {
          batches.push(entries.map((entry) => entry.key));
          for (const entry of entries) shared.rows.set(entry.key, { tenantId: entry.tenantId, body: entry.body });
        },
      });
      const cache = new MemoryFrontedAnswerCache(batching, { maxEntries: 10, defaultTtlSeconds: 60, writeBehind: true, writeDelayMs: 20 });
      for (const key of ['k1', 'k2', 'k3']) await cache.set(key, 't1', { answer: key }, 60);
      expect(batches).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(batches).toEqual([['k1', 'k2', 'k3']]);
      expect(shared.rows.get('k2')?.body).toEqual({ answer: 'k2' });
    });

    it('a failed shared write is reported, never thrown or unhandled, and the entry still answers from memory', async () => {
      const shared = gatedShared();
      const errors: unknown[] = [];
      const cache = new MemoryFrontedAnswerCache(shared, { maxEntries: 10, defaultTtlSeconds: 60, writeBehind: true, onWriteError: (error) => errors.push(error) });
      await cache.set('k1', 't1', { answer: 'a' }, 60);
      const flushing = cache.flush();
      await new Promise((resolve) => setTimeout(resolve, 5));
      shared.gates[0]!.fail(new Error('connection lost'));
      await flushing;
      expect(errors).toEqual([new Error('connection lost')]);
      expect(shared.rows.has('k1')).toBe(false);
      expect(await cache.get('k1', 't1')).toEqual({ answer: 'a' });
    });

    it('without a memory tier (maxEntries 0), set waits for the shared write: nothing else would hold the entry', async () => {
      const shared = gatedShared();
      const cache = new MemoryFrontedAnswerCache(shared, { maxEntries: 0, defaultTtlSeconds: 60, writeBehind: true });
      let done = false;
      const setting = cache.set('k1', 't1', { answer: 'a' }, 60).then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(done).toBe(false);
      shared.gates[0]!.open();
      await setting;
      expect(shared.rows.get('k1')?.body).toEqual({ answer: 'a' });
    });
  });

  describe('sole writer (the embedded PGlite: one process owns the shared cache)', () => {
    /** A shared cache that lists its live keys, as the Postgres one does. */
    function listingCache(keys: string[]) {
      const shared = sharedCache();
      for (const key of keys) shared.rows.set(key, { tenantId: 't1', body: { answer: key } });
      let listed: (value: string[] | undefined) => void = () => undefined;
      const listing = new Promise<string[] | undefined>((resolve) => (listed = resolve));
      return { shared: Object.assign(shared, { liveKeys: () => listing }), list: (value: string[] | undefined) => listed(value) };
    }
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    it('misses without a read for a key it never wrote, and reads a key it did (evicted from memory) or found at start', async () => {
      const { shared, list } = listingCache(['from-before']);
      const cache = new MemoryFrontedAnswerCache(shared, { maxEntries: 1, defaultTtlSeconds: 60, soleWriter: true });
      list(['from-before']);
      await settle();
      expect(await cache.get('never-written', 't1')).toBeUndefined();
      expect(shared.reads).toBe(0);
      expect(await cache.get('from-before', 't1')).toEqual({ answer: 'from-before' });
      expect(shared.reads).toBe(1);
      await cache.set('mine', 't1', { answer: 'mine' }, 60);
      await cache.set('pushes-mine-out', 't1', { answer: 'x' }, 60);
      expect(await cache.get('mine', 't1')).toEqual({ answer: 'mine' });
      expect(shared.reads).toBe(2);
    });

    it('reads on every miss until the keys are listed, and keeps keys set meanwhile', async () => {
      const { shared, list } = listingCache([]);
      const cache = new MemoryFrontedAnswerCache(shared, { maxEntries: 0, defaultTtlSeconds: 60, soleWriter: true });
      expect(await cache.get('unknown', 't1')).toBeUndefined();
      expect(shared.reads).toBe(1);
      await cache.set('written-during-listing', 't1', { answer: 'w' }, 60);
      list([]);
      await settle();
      expect(await cache.get('written-during-listing', 't1')).toEqual({ answer: 'w' });
      expect(await cache.get('unknown', 't1')).toBeUndefined();
      expect(shared.reads).toBe(2);
    });

    it('with more keys than it keeps, reads on every miss', async () => {
      const { shared, list } = listingCache(['a']);
      const cache = new MemoryFrontedAnswerCache(shared, { maxEntries: 10, defaultTtlSeconds: 60, soleWriter: true, maxSharedKeys: 2 });
      list(['a']);
      await settle();
      expect(await cache.get('unknown', 't1')).toBeUndefined();
      expect(shared.reads).toBe(0);
      await cache.set('b', 't1', { answer: 'b' }, 60);
      await cache.set('c', 't1', { answer: 'c' }, 60);
      expect(await cache.get('unknown', 't1')).toBeUndefined();
      expect(shared.reads).toBe(1);
    });

    it('a listing that is too long (undefined) leaves every miss to a read', async () => {
      const { shared, list } = listingCache([]);
      const cache = new MemoryFrontedAnswerCache(shared, { maxEntries: 10, defaultTtlSeconds: 60, soleWriter: true });
      list(undefined);
      await settle();
      expect(await cache.get('unknown', 't1')).toBeUndefined();
      expect(shared.reads).toBe(1);
    });
  });
});
