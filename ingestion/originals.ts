import { randomUUID } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isUuid } from '../src/core/corpora';
import { AppError } from '../src/core/errors';

/**
 * Original bytes as files, `<dir>/<version id>`, for the embedded default (PGlite with a data directory; see
 * Store.originalsDir). PostgreSQL keeps them in version_blobs, where every worker, on any machine, can read them.
 *
 * Why files here: PGlite writes each byte of a blob twice (WAL, then the table) through its WASM file system, in
 * 2 KB TOAST pieces, on the thread that serves the API. The five bench PDFs (4.3 MB) cost ~65 ms of the main
 * thread per round that way (of ~900 it spends ingesting them); a file costs one write.
 *
 * A file is written (and flushed) before the version row commits, so a committed version always has its bytes;
 * a transaction that fails or finds the bytes already stored removes the file it wrote.
 */

/** Writes through a temporary name, so a crash never leaves a partial file under a version's name. */
export async function writeOriginal(dir: string, versionId: string, bytes: Uint8Array): Promise<void> {
  const target = originalPath(dir, versionId);
  const temporary = `${target}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, bytes, { flush: true });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new AppError('STORE_UNAVAILABLE', `the original bytes could not be written: ${(error as Error).message}`, { cause: error, retryable: true });
  }
}

/** A version's original bytes, or undefined when it has no file (PostgreSQL, or stored before files were used). */
export async function readOriginal(dir: string, versionId: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(originalPath(dir, versionId)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Removes the files of versions whose rows are gone (a deleted document's). Missing files are fine. */
export async function removeOriginals(dir: string, versionIds: readonly string[]): Promise<void> {
  await Promise.all(versionIds.map((versionId) => rm(originalPath(dir, versionId), { force: true })));
}

const TEMPORARY = /^[0-9a-f-]{36}\.[0-9a-f-]{36}\.tmp$/u;

/**
 * Removes the temporary files of writes a crash cut short (an upload killed mid-write). Only at start: while the
 * process serves, a temporary file may be an upload in flight. Returns how many were removed.
 */
export async function removeTemporaryOriginals(dir: string): Promise<number> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => TEMPORARY.test(name));
  await Promise.all(names.map((name) => rm(join(dir, name), { force: true })));
  return names.length;
}

/**
 * Removes the files no version row names (a delete stopped after its rows went, before its files). Only at start,
 * for the same reason: an upload writes its file before its row commits. Returns how many were removed.
 */
export async function removeOrphanOriginals(dir: string, existing: (versionIds: string[]) => Promise<Set<string>>): Promise<number> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => isUuid(name));
  let removed = 0;
  for (let start = 0; start < names.length; start += 1_000) {
    const batch = names.slice(start, start + 1_000);
    const known = await existing(batch);
    const orphans = batch.filter((name) => !known.has(name));
    await removeOriginals(dir, orphans);
    removed += orphans.length;
  }
  return removed;
}

function originalPath(dir: string, versionId: string): string {
  // The name is a path segment: only ever a uuid.
  if (!isUuid(versionId)) throw new AppError('INTERNAL', `not a version id: ${JSON.stringify(versionId)}`);
  return join(dir, versionId);
}
