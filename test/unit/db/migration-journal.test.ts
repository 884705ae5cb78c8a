import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const dir = fileURLToPath(new URL('../../../src/core/db/migrations/', import.meta.url));
const Journal = z.object({ entries: z.array(z.object({ idx: z.number(), when: z.number(), tag: z.string() })) });
const journal = Journal.parse(JSON.parse(readFileSync(`${dir}meta/_journal.json`, 'utf8')));

/**
 * drizzle's migrator runs a migration only when its journal time is later than the last applied one's: a
 * migration numbered after an existing one but timed before it is skipped on every database that is
 * already past it (it happened once: a branch's 0011 timed before the released 0013).
 */
describe('migration journal', () => {
  it('lists every migration file once, in file order', () => {
    const files = readdirSync(dir).filter((name) => name.endsWith('.sql')).map((name) => name.replace(/\.sql$/u, '')).sort();
    expect(journal.entries.map((entry) => entry.tag)).toEqual(files);
    for (const entry of journal.entries) expect(entry.tag.startsWith(String(entry.idx).padStart(4, '0'))).toBe(true);
  });

  it('times each migration after the one before it', () => {
    const times = journal.entries.map((entry) => entry.when);
    for (let index = 1; index < times.length; index++) expect(times[index], journal.entries[index]!.tag).toBeGreaterThan(times[index - 1]!);
  });
});
