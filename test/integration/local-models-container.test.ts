import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config';
import { openStore } from '../../src/core/db/client';
import { createContainer, type Container } from '../../src/container';
import { ensureTenant } from '../../src/core/tenancy';
import { InlineJobQueue } from '../../src/jobs/inline-queue';
import { BGE_SMALL_EN_V15_Q, MODEL_FILE, TOKENIZER_FILE } from '../../src/core/providers/onnx/catalog';
import { localModelFingerprint, ModelFileError, openLocalModel } from '../../src/core/providers/onnx/model-files';
import { OnnxEmbedder } from '../../src/core/providers/onnx/onnx-embedder';
import { requireModels, TEST_MODELS_DIR } from '../helpers/models';
import { memoryStore, seedDataDir } from '../helpers/stores';

const available = requireModels('local-models-container');
const scratch: string[] = [];
const containers: Container[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** A private copy of the real model files, to damage without touching the shared ones. */
function copyModels(): { modelsDir: string; modelFile: string; tokenizerFile: string } {
  const modelsDir = tempDir('attest-models-');
  const dir = path.join(modelsDir, BGE_SMALL_EN_V15_Q.dir);
  mkdirSync(dir, { recursive: true });
  for (const file of [MODEL_FILE, TOKENIZER_FILE]) copyFileSync(path.join(TEST_MODELS_DIR, BGE_SMALL_EN_V15_Q.dir, file), path.join(dir, file));
  return { modelsDir, modelFile: path.join(dir, MODEL_FILE), tokenizerFile: path.join(dir, TOKENIZER_FILE) };
}

/** persistent: a store on disk in DATA_DIR (to reopen it), else in memory (faster). */
async function openContainer(env: Record<string, string>, persistent = false): Promise<Container> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  // A new DATA_DIR gets a migrated database copied in (what a first start makes; not under test here).
  if (persistent && !existsSync(path.join(config.DATA_DIR, 'pglite'))) await seedDataDir(config.DATA_DIR);
  const store = persistent ? await openStore({ dataDir: config.DATA_DIR }) : await memoryStore();
  try {
    const container = await createContainer(config, { store });
    containers.push(container);
    return container;
  } catch (error) {
    await store.close();
    throw error;
  }
}

afterEach(async () => {
  for (const container of containers.splice(0)) await container.close();
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('local models missing', () => {
  it('gives one line with the fetch command and keeps the lexical embedder for new corpora', async () => {
    const dataDir = tempDir('attest-data-');
    const container = await openContainer({ DATA_DIR: dataDir });
    expect(container.localModels.state).toBe('missing');
    expect(container.localModels.notice).toContain('npm run models:fetch');
    expect(container.localModels.notice).toContain(path.join(path.resolve(dataDir), 'models'));
    expect(container.localModels.notice).not.toContain('\n');
    expect(container.relevance).toBeUndefined();
    const tenant = await ensureTenant(container.store.db, 'models-missing');
    const corpus = await container.services.corpora.create(tenant.id, 'c');
    const build = await container.services.builds.active(corpus);
    expect(build.embeddingModelId).toBe('local-hash');
  });
});

describe.skipIf(!available)('local models present (real weights)', () => {
  it('new corpora use the neural embedder, and a paraphrased question finds its document by vector', async () => {
    const { modelsDir } = copyModels();
    const container = await openContainer({ DATA_DIR: tempDir('attest-data-'), MODELS_DIR: modelsDir, ONNX_WORKERS: '1' });
    expect(container.localModels.state).toBe('loaded');
    await container.jobs.startWorker();
    const tenant = await ensureTenant(container.store.db, 'models-present');
    const corpus = await container.services.corpora.create(tenant.id, 'c');
    const build = await container.services.builds.active(corpus);
    expect(build.embeddingModelId).toBe(BGE_SMALL_EN_V15_Q.id);
    const texts = ['The device fails to power up even when the adapter is plugged in.', 'Our office relocated to a larger building downtown last spring.'];
    for (const [index, text] of texts.entries()) {
      await container.services.ingestion.upload({ corpus, bytes: new TextEncoder().encode(text), mime: 'text/plain', title: `doc ${index}` });
    }
    expect(container.jobs).toBeInstanceOf(InlineJobQueue);
    await (container.jobs as InlineJobQueue).idle();
    const result = await container.services.search.search(corpus, 'my router will not turn on', { mode: 'vector', k: 2 });
    expect(result.results[0]?.text).toContain('power up');
  }, 120_000);

  it('a changed model file changes the fingerprint and is refused, naming the file, by a store whose builds used the old one', async () => {
    const { modelsDir, modelFile } = copyModels();
    const before = localModelFingerprint(openLocalModel(BGE_SMALL_EN_V15_Q, modelsDir));
    const dataDir = tempDir('attest-data-');
    const first = await openContainer({ DATA_DIR: dataDir, MODELS_DIR: modelsDir, ONNX_WORKERS: '1' }, true);
    const tenant = await ensureTenant(first.store.db, 'models-changed');
    await first.services.corpora.create(tenant.id, 'c');
    await first.close();
    containers.splice(containers.indexOf(first), 1);

    // One bit in the middle of the weights: the file still loads, it is just another model.
    const bytes = readFileSync(modelFile);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(modelFile, bytes);
    const after = localModelFingerprint(openLocalModel(BGE_SMALL_EN_V15_Q, modelsDir));
    expect(after).not.toBe(before);

    const refused = await openContainer({ DATA_DIR: dataDir, MODELS_DIR: modelsDir, ONNX_WORKERS: '1' }, true).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ModelFileError);
    const message = (refused as Error).message;
    expect(message.startsWith(`${modelFile}:`)).toBe(true);
    expect(message).toContain(before);
    expect(message).not.toContain('\n');
  }, 240_000);

  it('a truncated model file is one line naming it, at load', async () => {
    const { modelsDir, modelFile } = copyModels();
    writeFileSync(modelFile, readFileSync(modelFile).subarray(0, 1_000_000));
    const error = await OnnxEmbedder.open(BGE_SMALL_EN_V15_Q, modelsDir, { workers: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message.startsWith(`${modelFile}:`)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  }, 60_000);

  it('a tokenizer of another model, or not a tokenizer at all, is one line naming tokenizer.json', async () => {
    const { modelsDir, tokenizerFile } = copyModels();
    const json = JSON.parse(readFileSync(tokenizerFile, 'utf8')) as { model: { vocab: Record<string, number> } };
    // A smaller vocabulary (as a cased or multilingual BERT's differs): ids would silently mean other words.
    const vocab = Object.fromEntries(Object.entries(json.model.vocab).slice(0, 28_996));
    writeFileSync(tokenizerFile, JSON.stringify({ ...json, model: { ...json.model, vocab } }));
    const mismatched = await OnnxEmbedder.open(BGE_SMALL_EN_V15_Q, modelsDir, { workers: 1 }).catch((caught: unknown) => caught);
    expect(mismatched).toBeInstanceOf(ModelFileError);
    expect((mismatched as Error).message).toMatch(new RegExp(`^${tokenizerFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: does not match ${BGE_SMALL_EN_V15_Q.id}`));

    writeFileSync(tokenizerFile, '{"model": ');
    const corrupt = await OnnxEmbedder.open(BGE_SMALL_EN_V15_Q, modelsDir, { workers: 1 }).catch((caught: unknown) => caught);
    expect((corrupt as Error).message.startsWith(`${tokenizerFile}: not valid JSON`)).toBe(true);
  }, 60_000);

  it('a model whose output dimension is not the registered one is refused naming the model file', async () => {
    const error = await OnnxEmbedder.open({ ...BGE_SMALL_EN_V15_Q, dimensions: 768 }, TEST_MODELS_DIR, { workers: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toContain('produces 384-dimensional vectors');
    expect((error as Error).message).toContain(MODEL_FILE);
  }, 60_000);
});
