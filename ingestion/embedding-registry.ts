import { eq } from 'drizzle-orm';
import type { Db } from '../src/core/db/client';
import { embeddingModels, type EmbeddingModelRow } from '../src/core/db/schema';
import { AppError } from '../src/core/errors';
import type { EmbeddingProvider } from '../src/core/providers/ports';

/** What /readyz knows of a provider: the outcome of its latest call (or probe). */
export interface EmbedderHealth {
  state: 'unchecked' | 'ok' | 'failing';
  error?: unknown;
  /** Date.now() of that outcome. */
  at: number;
}

/** A failing provider is probed again by /readyz at most this often (each probe is a paid call). */
const RECHECK_AFTER_MS = 30_000;

/**
 * The embedding model registry: every configured model is a row with its
 * dimension and fingerprint. A model configured unlike its row (another
 * dimension, another fingerprint) stops the start: vectors from two different
 * models must never be compared, and a silent reindex is worse.
 *
 * The provider itself is never called at start: an embedding API that is down,
 * or a key that may only chat, must not keep the service from starting (BM25,
 * the UI, cached answers and the jobs API work without it). Its live behaviour
 * is checked on every call instead: vectors of another dimension fail that call
 * with EMBEDDING_MODEL_MISMATCH, and each outcome is kept for /readyz (check()).
 */
export class EmbeddingRegistry {
  private readonly providers = new Map<string, EmbeddingProvider>();
  private readonly health = new Map<string, EmbedderHealth>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Registers a provider under its model id; checks its row, does not call it. */
  async register(provider: EmbeddingProvider, params: Record<string, unknown> = {}): Promise<EmbeddingModelRow> {
    const id = provider.modelId;
    const [existing] = await this.db.select().from(embeddingModels).where(eq(embeddingModels.id, id));
    if (existing) {
      if (existing.dimension !== provider.dimensions || existing.fingerprint !== provider.fingerprint) {
        throw new AppError(
          'EMBEDDING_MODEL_MISMATCH',
          `embedding model ${id} is registered with dimension ${existing.dimension} (${existing.fingerprint}) but is configured as ${provider.dimensions} (${provider.fingerprint}); create a new index build under a new model id instead`,
          { details: { registeredFingerprint: existing.fingerprint, registeredDimension: existing.dimension } },
        );
      }
      this.add(provider);
      return existing;
    }
    const [row] = await this.db
      .insert(embeddingModels)
      .values({ id, provider: provider.provider, model: provider.modelId, dimension: provider.dimensions, fingerprint: provider.fingerprint, params })
      .onConflictDoNothing()
      .returning();
    this.add(provider);
    return row ?? (await this.row(id));
  }

  private add(provider: EmbeddingProvider): void {
    this.providers.set(provider.modelId, this.observed(provider));
    // The local embedder is code in this process: nothing to be down.
    this.health.set(provider.modelId, { state: provider.provider === 'local' ? 'ok' : 'unchecked', at: this.now() });
  }

  /**
   * The provider as the rest of the service sees it: every answer checked for
   * the registered dimension, every outcome recorded. A Proxy rather than a
   * wrapper class, so whatever else an adapter exposes reads through unchanged.
   */
  private observed(provider: EmbeddingProvider): EmbeddingProvider {
    const id = provider.modelId;
    const embed: EmbeddingProvider['embed'] = async (texts, options) => {
      try {
        const vectors = await provider.embed(texts, options);
        const wrong = vectors.find((vector) => vector.length !== provider.dimensions);
        if (wrong) {
          throw new AppError('EMBEDDING_MODEL_MISMATCH', `embedding model ${id} returned ${wrong.length} dimensions, configured ${provider.dimensions}`);
        }
        this.health.set(id, { state: 'ok', at: this.now() });
        return vectors;
      } catch (error) {
        // A call the caller gave up on says nothing about the provider.
        if (!options.signal?.aborted) this.health.set(id, { state: 'failing', error, at: this.now() });
        throw error;
      }
    };
    return new Proxy(provider, { get: (target, property) => (property === 'embed' ? embed : Reflect.get(target, property, target)) });
  }

  /**
   * For /readyz: resolves when the model's provider answered its latest call;
   * rejects with that call's error while it is failing. A provider never called
   * yet, or failing for longer than RECHECK_AFTER_MS, is probed with one tiny call.
   */
  async check(id: string): Promise<void> {
    const health = this.health.get(id);
    if (!health) throw new AppError('EMBEDDING_MODEL_UNKNOWN', `embedding model "${id}" is not configured in this process`);
    if (health.state === 'ok') return;
    if (health.state === 'failing' && this.now() - health.at < RECHECK_AFTER_MS) throw health.error;
    await this.provider(id).embed(['attest readiness probe'], { inputType: 'query' });
  }

  healthOf(id: string): EmbedderHealth | undefined {
    return this.health.get(id);
  }

  async row(id: string): Promise<EmbeddingModelRow> {
    const [row] = await this.db.select().from(embeddingModels).where(eq(embeddingModels.id, id));
    if (!row) throw new AppError('EMBEDDING_MODEL_UNKNOWN', `embedding model "${id}" is not registered`);
    return row;
  }

  provider(id: string): EmbeddingProvider {
    const provider = this.providers.get(id);
    if (!provider) {
      throw new AppError('EMBEDDING_MODEL_UNKNOWN', `embedding model "${id}" is not configured in this process`, {
        details: { configured: [...this.providers.keys()] },
      });
    }
    return provider;
  }

  configured(): string[] {
    return [...this.providers.keys()];
  }
}
