import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/db/client';

describe('PGlite data directory on first start', () => {
  const dirs: string[] = [];
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-pglite-dir-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is created (initdb in a child process, staged and moved into place), keeps what is written, and is reused as is', async () => {
    const dataDir = scratch();
    // A staging directory left by a start killed mid-initdb.
    mkdirSync(join(dataDir, 'pglite.init-99999-1'));
    writeFileSync(join(dataDir, 'pglite.init-99999-1', 'PG_VERSION'), '17\n');

    const first = await openStore({ dataDir });
    await first.query(sql`CREATE TABLE kept (id int)`);
    await first.query(sql`INSERT INTO kept VALUES (7)`);
    const [extension] = await first.query<{ extname: string }>(sql`SELECT extname FROM pg_extension WHERE extname = 'vector'`);
    expect(extension?.extname).toBe('vector');
    await first.close();
    // The stale staging directory is gone; beside the data directory, the one for uploads' original bytes.
    expect(readdirSync(dataDir).sort()).toEqual(['originals', 'pglite']);
    expect(readdirSync(join(dataDir, 'pglite'))).toContain('PG_VERSION');

    const second = await openStore({ dataDir });
    expect(await second.query<{ id: number }>(sql`SELECT id FROM kept`)).toEqual([{ id: 7 }]);
    await second.close();
  });

  it('leaves a non-empty directory that is not a data directory to PGlite, untouched', async () => {
    const dataDir = scratch();
    mkdirSync(join(dataDir, 'pglite'));
    writeFileSync(join(dataDir, 'pglite', 'notes.txt'), 'not a database');
    // Whatever PGlite makes of it (it initialises around the file), the file that was there is still there.
    await openStore({ dataDir }).then(
      (store) => store.close(),
      () => undefined,
    );
    expect(readdirSync(join(dataDir, 'pglite'))).toContain('notes.txt');
  });
});
