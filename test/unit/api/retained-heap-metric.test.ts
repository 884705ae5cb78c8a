import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/api/metrics';

// A full GC on demand, without starting the test process with --expose-gc.
setFlagsFromString('--expose-gc');
const fullGc = runInNewContext('gc') as () => void;

async function retainedAfterFullGc(metrics: Metrics): Promise<number> {
  fullGc();
  // The GC observer's callback is queued after the collection.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const metric = await metrics.registry.getSingleMetric('attest_nodejs_heap_retained_after_full_gc_bytes')?.get();
  return metric?.values[0]?.value ?? Number.NaN;
}

describe('attest_nodejs_heap_retained_after_full_gc_bytes', () => {
  it('reports what the old generation keeps after a full GC, not the garbage', async () => {
    const metrics = new Metrics({ defaultMetrics: true });
    const before = await retainedAfterFullGc(metrics);
    expect(before).toBeGreaterThan(0);

    // ~40 MB kept alive across the collection…
    let kept: string[][] | undefined = Array.from({ length: 200 }, (_, row) => Array.from({ length: 5_000 }, (_, column) => `${row}:${column}:kept`));
    const whileKept = await retainedAfterFullGc(metrics);
    expect(whileKept - before).toBeGreaterThan(20 * 1024 * 1024);
    expect(kept.length).toBe(200);

    // …and ~40 MB of garbage made after it, which a scrape-time heap sample would count.
    kept = undefined;
    let garbage = 0;
    for (let row = 0; row < 200; row++) garbage += Array.from({ length: 5_000 }, (_, column) => `${row}:${column}:garbage`).length;
    expect(garbage).toBe(1_000_000);
    const released = await retainedAfterFullGc(metrics);
    expect(whileKept - released).toBeGreaterThan(20 * 1024 * 1024);
    expect(Math.abs(released - before)).toBeLessThan(10 * 1024 * 1024);

    // A second registry (another app in the process) reads the same figure.
    const other = new Metrics({ defaultMetrics: true });
    const [first, second] = [await retainedAfterFullGc(metrics), await retainedAfterFullGc(other)];
    expect(second).toBeGreaterThan(0);
    expect(Math.abs(second - first)).toBeLessThan(5 * 1024 * 1024);
  });
});
