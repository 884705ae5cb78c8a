import path from 'node:path';
import type { Config } from '../../config';
import { BGE_SMALL_EN_V15_Q } from './catalog';
import { defaultModelsDir, localModelPresent, MODELS_FETCH_COMMAND } from './model-files';
import { OnnxEmbedder } from './onnx-embedder';

export interface LocalModels {
  /** loaded: the neural embedder is in use; missing: not in MODELS_DIR; off: LOCAL_MODELS=off. */
  state: 'loaded' | 'missing' | 'off';
  modelsDir: string;
  embedder: OnnxEmbedder | undefined;
  /** The one line `npm start` prints when the models are missing. */
  notice: string | undefined;
}

/**
 * The embedded default's neural models: loaded from MODELS_DIR when they are
 * there (a bad file stops the start with one ModelFileError line), otherwise
 * the service runs lexical as before and says how to fetch them. Never
 * downloads: only `npm run models:fetch` does.
 */
export async function openLocalModels(config: Config): Promise<LocalModels> {
  const modelsDir = path.resolve(defaultModelsDir(config));
  const spec = BGE_SMALL_EN_V15_Q;
  if (config.LOCAL_MODELS === 'off') return { state: 'off', modelsDir, embedder: undefined, notice: undefined };
  if (!localModelPresent(spec, modelsDir)) {
    return {
      state: 'missing',
      modelsDir,
      embedder: undefined,
      notice: `local neural models not found in ${modelsDir}: using lexical retrieval (local-hash); run \`${MODELS_FETCH_COMMAND}\` to get ${spec.id}`,
    };
  }
  const embedder = await OnnxEmbedder.open(spec, modelsDir, { workers: config.ONNX_WORKERS, queryLanes: config.ONNX_QUERY_LANES });
  return { state: 'loaded', modelsDir, embedder, notice: undefined };
}

/** EMBEDDING_MODEL when set; otherwise the neural model when loaded, else local-hash. */
export function defaultEmbeddingModel(config: Config, local: LocalModels): string {
  return config.EMBEDDING_MODEL ?? local.embedder?.modelId ?? 'local-hash';
}
