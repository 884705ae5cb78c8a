import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../src/core/db/client';
import { embeddingCache } from '../src/core/db/schema';
import type { EmbeddingProvider } from '../src/core/providers/ports';
import { combineParts, planEmbedding, type EmbedPart } from './embed-plan';

export interface EmbedItem {
  contentHash: string;
  text: string;
}

export interface EmbedOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((done: number, total: number) => Promise<void> | void) | undefined;
}

/** Splits work into provider-sized batches; one place for batching, not every adapter. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += Math.max(1, size)) out.push(items.slice(start, start + Math.max(1, size)));
  return out;
}

/**
 * Embeds chunk texts, reusing vectors cached by (model fingerprint, content
 * hash) so an unchanged chunk is never sent to a provider twice. The local
 * hashing embedder is cheaper to recompute than to cache, so it bypasses the cache.
 */
export async function embedWithCache(db: Db, provider: EmbeddingProvider, items: readonly EmbedItem[], options: EmbedOptions = {}): Promise<number[][]> {
  const useCache = provider.provider !== 'local';
  const unique = new Map<string, string>();
  for (const item of items) unique.set(item.contentHash, item.text);
  const vectors = new Map<string, number[]>();
  if (useCache && unique.size > 0) {
    for (const hashes of batches([...unique.keys()], 500)) {
      const rows = await db
        .select()
        .from(embeddingCache)
        .where(and(eq(embeddingCache.fingerprint, provider.fingerprint), inArray(embeddingCache.contentHash, hashes)));
      for (const row of rows) vectors.set(row.contentHash, row.embedding);
    }
  }
  const missing = [...unique.entries()].filter(([hash]) => !vectors.has(hash));
  let done = unique.size - missing.length;
  await options.onProgress?.(done, unique.size);
  // Calls sized by the provider's limits (texts, tokens per call, tokens per input); see embed-plan.ts.
  const plan = planEmbedding(
    missing.map(([, text]) => text),
    provider,
  );
  const partVectors = plan.partsOf.map((parts) => new Array<number[]>(parts.length));
  const partsLeft = plan.partsOf.map((parts) => parts.length);
  const partIndex = new Map<EmbedPart, number>();
  plan.partsOf.forEach((parts) => parts.forEach((part, index) => partIndex.set(part, index)));
  for (const call of plan.calls) {
    options.signal?.throwIfAborted();
    const embedded = await provider.embed(
      call.map((part) => part.text),
      { inputType: 'document', ...(options.signal ? { signal: options.signal } : {}) },
    );
    const finished: [string, number[]][] = [];
    call.forEach((part, index) => {
      const slots = partVectors[part.item]!;
      const vector = embedded[index];
      if (!vector) return;
      slots[partIndex.get(part)!] = vector;
      partsLeft[part.item]! -= 1;
      // A text's vector is written once its last part is back (a split text's parts can span calls).
      if (partsLeft[part.item] === 0) {
        const parts = plan.partsOf[part.item]!;
        finished.push([missing[part.item]![0], combineParts(slots, parts.map((each) => each.tokens))]);
      }
    });
    for (const [hash, vector] of finished) vectors.set(hash, vector);
    if (useCache && finished.length > 0) {
      await db
        .insert(embeddingCache)
        .values(finished.map(([hash, vector]) => ({ fingerprint: provider.fingerprint, contentHash: hash, embedding: vector })))
        .onConflictDoNothing();
    }
    done += finished.length;
    await options.onProgress?.(done, unique.size);
  }
  return items.map((item) => {
    const vector = vectors.get(item.contentHash);
    if (!vector) throw new Error(`no embedding for chunk ${item.contentHash}`);
    return vector;
  });
}
