import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config';
import { defaultEmbeddingModel, openLocalModels, type LocalModels } from '../../../src/core/providers/onnx/local-models';
import { defaultModelsDir } from '../../../src/core/providers/onnx/model-files';

describe('local models: where they are read from and what new builds use', () => {
  it('reads MODELS_DIR, else DATA_DIR/models, else ./data/models', () => {
    expect(defaultModelsDir({ MODELS_DIR: '/srv/models', DATA_DIR: '/var/attest' })).toBe('/srv/models');
    expect(defaultModelsDir({ DATA_DIR: '/var/attest' })).toBe(path.join('/var/attest', 'models'));
    expect(defaultModelsDir({ MODELS_DIR: ' ', DATA_DIR: '' })).toBe(path.join('./data', 'models'));
  });

  it('defaults new builds to the neural model only when it is loaded, and EMBEDDING_MODEL always wins', () => {
    const loaded = { state: 'loaded', embedder: { modelId: 'bge-small-en-v1.5-q' } } as unknown as LocalModels;
    const missing = { state: 'missing', embedder: undefined } as unknown as LocalModels;
    expect(defaultEmbeddingModel(loadConfig({}), loaded)).toBe('bge-small-en-v1.5-q');
    expect(defaultEmbeddingModel(loadConfig({}), missing)).toBe('local-hash');
    expect(defaultEmbeddingModel(loadConfig({ EMBEDDING_MODEL: 'local-hash' }), loaded)).toBe('local-hash');
  });

  it('with LOCAL_MODELS=off ignores MODELS_DIR, and without the files says so in one line with the fetch command', async () => {
    const off = await openLocalModels(loadConfig({ LOCAL_MODELS: 'off', MODELS_DIR: '/nonexistent' }));
    expect(off).toMatchObject({ state: 'off', embedder: undefined, notice: undefined });
    const missing = await openLocalModels(loadConfig({ MODELS_DIR: '/nonexistent/models' }));
    expect(missing.state).toBe('missing');
    expect(missing.notice).toBe('local neural models not found in /nonexistent/models: using lexical retrieval (local-hash); run `npm run models:fetch` to get bge-small-en-v1.5-q');
    expect(() => loadConfig({ LOCAL_MODELS: 'always' })).toThrow(/LOCAL_MODELS/);
  });
});
