import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, Store } from './db/client';
import { corpora, type Corpus } from './db/schema';
import { AppError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export async function insertCorpus(db: Db, tenantId: string, name: string): Promise<Corpus> {
  const [row] = await db.insert(corpora).values({ tenantId, name }).onConflictDoNothing().returning();
  if (!row) throw new AppError('CORPUS_EXISTS', `a corpus named "${name}" already exists`, { details: { name } });
  return row;
}

export async function listCorpora(db: Db, tenantId: string): Promise<Corpus[]> {
  return db.select().from(corpora).where(eq(corpora.tenantId, tenantId)).orderBy(asc(corpora.createdAt), asc(corpora.name));
}

/** Resolves a corpus by id or name within the tenant; another tenant's corpus is simply not found. */
export async function getCorpus(db: Db, tenantId: string, idOrName: string): Promise<Corpus> {
  const [row] = await db
    .select()
    .from(corpora)
    .where(and(eq(corpora.tenantId, tenantId), isUuid(idOrName) ? eq(corpora.id, idOrName) : eq(corpora.name, idOrName)));
  if (!row) throw new AppError('CORPUS_NOT_FOUND', `corpus "${idOrName}" not found`);
  return row;
}

/**
 * getCorpus, remembered behind the store's write fence (PGlite: see Store.writeFence): a corpus read
 * while the fence stood where it stands now is still the corpus (its generation and active build
 * included), so the question path does not read it again between writes. Without a fence (PostgreSQL,
 * shared with other processes) every lookup reads the database.
 */
export class CorpusLookup {
  private readonly known = new Map<string, { fence: number; corpus: Corpus }>();

  constructor(private readonly store: Pick<Store, 'db' | 'writeFence'>) {}

  async find(tenantId: string, idOrName: string): Promise<Corpus> {
    const fence = this.store.writeFence?.();
    if (fence === undefined) return getCorpus(this.store.db, tenantId, idOrName);
    const key = `${tenantId}\u0000${idOrName}`;
    const known = this.known.get(key);
    // A copy: a caller changing its corpus must not change the next caller's.
    if (known?.fence === fence) return { ...known.corpus };
    const corpus = await getCorpus(this.store.db, tenantId, idOrName);
    if (this.known.size >= 10_000) this.known.clear();
    this.known.set(key, { fence, corpus: { ...corpus } });
    return corpus;
  }
}

export async function getCorpusById(db: Db, corpusId: string): Promise<Corpus | undefined> {
  const [row] = await db.select().from(corpora).where(eq(corpora.id, corpusId));
  return row;
}

/** Any change that can alter retrieval bumps the generation, so answer caches keyed on it miss. */
export async function bumpGeneration(db: Db, corpusId: string): Promise<number> {
  const [row] = await db
    .update(corpora)
    .set({ generation: sql`${corpora.generation} + 1` })
    .where(eq(corpora.id, corpusId))
    .returning({ generation: corpora.generation });
  return row?.generation ?? 0;
}

export function corpusView(corpus: Corpus): { id: string; name: string; activeBuildId: string | null; generation: number; createdAt: string } {
  return {
    id: corpus.id,
    name: corpus.name,
    activeBuildId: corpus.activeBuildId,
    generation: corpus.generation,
    createdAt: corpus.createdAt.toISOString(),
  };
}
