import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { MODEL_FILE, TOKENIZER_FILE, type LocalEmbeddingModelSpec } from './catalog';

/** MODELS_DIR, else DATA_DIR/models (DATA_DIR defaulting as the config does). */
export function defaultModelsDir(env: { MODELS_DIR?: string | undefined; DATA_DIR?: string | undefined }): string {
  return env.MODELS_DIR && env.MODELS_DIR.trim() !== '' ? env.MODELS_DIR : path.join(env.DATA_DIR && env.DATA_DIR.trim() !== '' ? env.DATA_DIR : './data', 'models');
}

export const MODELS_FETCH_COMMAND = 'npm run models:fetch';

/** A model file that cannot be used: the message is one line and names the file. */
export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ModelFileError';
  }
}

export interface LocalModelFiles {
  spec: LocalEmbeddingModelSpec;
  modelPath: string;
  tokenizerPath: string;
  /** sha256 of the files as found (not as pinned): the fingerprint is over what is actually loaded. */
  modelSha256: string;
  tokenizerSha256: string;
  /** True when both files are the pinned versions. */
  pinned: boolean;
}

const tokenizerJsonSchema = z.object({
  model: z.object({ type: z.string(), vocab: z.record(z.string(), z.number().int().nonnegative()) }),
  added_tokens: z.array(z.object({ id: z.number().int(), content: z.string() })).optional(),
});

/** Whether both files are in the folder (they may still be unusable: see openLocalModel). */
export function localModelPresent(spec: LocalEmbeddingModelSpec, modelsDir: string): boolean {
  const dir = path.join(modelsDir, spec.dir);
  return existsSync(path.join(dir, MODEL_FILE)) && existsSync(path.join(dir, TOKENIZER_FILE));
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads and checks a model's files before any inference: the tokenizer must be
 * valid JSON of the tokenizer.json shape and agree with the model's vocabulary
 * and special tokens (a tokenizer from another model would produce ids the
 * embedding table reads as other words, silently). The ONNX file itself is
 * checked by loading it (see OnnxEmbedder.open).
 */
export function openLocalModel(spec: LocalEmbeddingModelSpec, modelsDir: string): LocalModelFiles {
  const dir = path.join(modelsDir, spec.dir);
  const modelPath = path.join(dir, MODEL_FILE);
  const tokenizerPath = path.join(dir, TOKENIZER_FILE);
  for (const file of [modelPath, tokenizerPath]) {
    if (!existsSync(file)) throw new ModelFileError(file, `missing; run \`${MODELS_FETCH_COMMAND}\``);
    if (statSync(file).size === 0) throw new ModelFileError(file, 'is empty (a truncated download?)');
  }
  const modelBytes = readFileSync(modelPath);
  const tokenizerBytes = readFileSync(tokenizerPath);
  let parsed: z.infer<typeof tokenizerJsonSchema>;
  try {
    parsed = tokenizerJsonSchema.parse(JSON.parse(tokenizerBytes.toString('utf8')));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `not valid JSON (${error.message})` : 'not a tokenizer.json (no model.vocab)';
    throw new ModelFileError(tokenizerPath, `${reason}`);
  }
  const expected = spec.tokenizer;
  const vocab = parsed.model.vocab;
  const vocabSize = Object.keys(vocab).length;
  if (parsed.model.type !== 'WordPiece' || vocabSize !== expected.vocabSize || vocab['[CLS]'] !== expected.cls || vocab['[SEP]'] !== expected.sep || vocab['[PAD]'] !== expected.pad) {
    throw new ModelFileError(
      tokenizerPath,
      `does not match ${spec.id} (${parsed.model.type}, ${vocabSize} tokens, [CLS]=${vocab['[CLS]']}, [SEP]=${vocab['[SEP]']}; expected WordPiece, ${expected.vocabSize} tokens, [CLS]=${expected.cls}, [SEP]=${expected.sep})`,
    );
  }
  const modelSha256 = sha256(modelBytes);
  const tokenizerSha256 = sha256(tokenizerBytes);
  return { spec, modelPath, tokenizerPath, modelSha256, tokenizerSha256, pinned: modelSha256 === spec.sha256.model && tokenizerSha256 === spec.sha256.tokenizer };
}

/** Identity of (model bytes, tokenizer bytes, pooling settings): vectors compare only within one. */
export function localModelFingerprint(files: LocalModelFiles): string {
  const { spec } = files;
  const settings = { pooling: spec.pooling, normalize: spec.normalize, queryPrefix: spec.queryPrefix, maxTokens: spec.maxTokens, dimensions: spec.dimensions };
  const digest = createHash('sha256')
    .update(files.modelSha256)
    .update('\0')
    .update(files.tokenizerSha256)
    .update('\0')
    .update(JSON.stringify(settings))
    .digest('hex');
  return `local:${spec.id}:${digest.slice(0, 16)}`;
}
