import type { VectorRecord } from '../../indexes/ports';

/** Vector test data and exact references, free of vitest so scripts can use them too. */

/** Deterministic standard normals (mulberry32 + Box–Muller). */
export function gaussianSource(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

export function randomUnitVectors(count: number, dimensions: number, seed: number): number[][] {
  const gaussian = gaussianSource(seed);
  return Array.from({ length: count }, () => normalize(Array.from({ length: dimensions }, gaussian)));
}

export function normalize(vector: readonly number[]): number[] {
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

export function cosine(left: readonly number[], right: readonly number[]): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  left.forEach((value, index) => {
    const other = right[index]!;
    dot += value * other;
    leftNorm += value * value;
    rightNorm += other * other;
  });
  return dot / Math.sqrt(leftNorm * rightNorm);
}

/** Exact top-k chunk ids by cosine similarity. */
export function exactNeighbours(records: readonly VectorRecord[], query: readonly number[], k: number): string[] {
  return records
    .map((record) => ({ chunkId: record.chunkId, similarity: cosine(record.vector, query) }))
    .sort((left, right) => right.similarity - left.similarity)
    .slice(0, k)
    .map((hit) => hit.chunkId);
}
