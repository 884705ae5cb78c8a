import { eq } from 'drizzle-orm';
import type { Db } from '../src/core/db/client';
import { embeddingModels, type EmbeddingModelRow } from '../src/core/db/schema';
import { AppError } from '../src/core/errors';
import type { EmbeddingProvider } from '../src/core/providers/ports';

/**
 * The embedding model registry: every configured model is a row with its
 * dimension and fingerprint. A model whose live behaviour no longer matches its
 * row (another dimension, another fingerprint) stops the start: vectors from
 * two different models must never be compared, and a silent reindex is worse.
 */
export class EmbeddingRegistry {
  private readonly providers = new Map<string, EmbeddingProvider>();

  constructor(private readonly db: Db) {}

  /** Registers and verifies a provider under its model id (probe embedding, dimension check). */
  async register(provider: EmbeddingProvider, params: Record<string, unknown> = {}): Promise<EmbeddingModelRow> {
    const id = provider.modelId;
    const [probe] = await provider.embed(['attest registry probe'], { inputType: 'document' });
    if (!probe || probe.length !== provider.dimensions) {
      throw new AppError('EMBEDDING_MODEL_MISMATCH', `embedding model ${id} returned ${probe?.length ?? 0} dimensions, configured ${provider.dimensions}`);
    }
    const [existing] = await this.db.select().from(embeddingModels).where(eq(embeddingModels.id, id));
    if (existing) {
      if (existing.dimension !== provider.dimensions || existing.fingerprint !== provider.fingerprint) {
        throw new AppError(
          'EMBEDDING_MODEL_MISMATCH',
          `embedding model ${id} is registered with dimension ${existing.dimension} (${existing.fingerprint}) but is configured as ${provider.dimensions} (${provider.fingerprint}); create a new index build under a new model id instead`,
          { details: { registeredFingerprint: existing.fingerprint, registeredDimension: existing.dimension } },
        );
      }
      this.providers.set(id, provider);
      return existing;
    }
    const [row] = await this.db
      .insert(embeddingModels)
      .values({ id, provider: provider.provider, model: provider.modelId, dimension: provider.dimensions, fingerprint: provider.fingerprint, params })
      .onConflictDoNothing()
      .returning();
    this.providers.set(id, provider);
    return row ?? (await this.row(id));
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
