import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languagePackage, prepareOcrLanguages } from '../../../ingestion/parse/ocr';
import { AppError } from '../../../src/core/errors';

describe('OCR language files', () => {
  it('live by default in a per-user directory under the temporary directory, one per set of package versions', async () => {
    const directory = await prepareOcrLanguages([languagePackage('eng')]);
    expect(directory.startsWith(join(tmpdir(), 'attest-tessdata-'))).toBe(true);
    expect(statSync(join(directory, 'eng.traineddata')).size).toBeGreaterThan(0);
  });

  it('are inflated once and kept between processes, and a damaged one is inflated again', async () => {
    // A base of its own: the shared one may be read by OCR in other test processes meanwhile.
    const base = mkdtempSync(join(tmpdir(), 'ocr-languages-test-'));
    const eng = languagePackage('eng');
    const directory = await prepareOcrLanguages([eng], base);
    const file = join(directory, 'eng.traineddata');
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(statSync(eng.source).size);
    // Another process (no in-memory memo here) finds it and leaves it as it is.
    const written = statSync(file).mtimeMs;
    expect(await prepareOcrLanguages([eng], base)).toBe(directory);
    expect(statSync(file).mtimeMs).toBe(written);
    truncateSync(file, 1000);
    await prepareOcrLanguages([eng], base);
    expect(statSync(file).size).toBe(size);
    rmSync(base, { recursive: true, force: true });
  });

  it('a language without its package is CONFIG_INVALID', () => {
    let error: unknown;
    try {
      languagePackage('xyz');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
  });
});
