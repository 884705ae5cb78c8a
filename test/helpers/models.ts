import { homedir } from 'node:os';
import path from 'node:path';
import { BGE_SMALL_EN_V15_Q } from '../../src/core/providers/onnx/catalog';
import { localModelPresent, MODELS_FETCH_COMMAND } from '../../src/core/providers/onnx/model-files';
import { IN_CI } from './services';

/**
 * Where the model suites find the real weights: TEST_MODELS_DIR, else
 * ~/.cache/attest-models (where .ci/run fetches them). Not MODELS_DIR: that one
 * would switch every other suite's containers to the neural embedder.
 */
export const TEST_MODELS_DIR = process.env.TEST_MODELS_DIR ?? path.join(homedir(), '.cache', 'attest-models');

/**
 * Returns true when the models are there. When they are not: throws under CI
 * (the model suites must run on the real weights there), otherwise prints why
 * and returns false so the suite skips.
 */
export function requireModels(suite: string): boolean {
  if (localModelPresent(BGE_SMALL_EN_V15_Q, TEST_MODELS_DIR)) return true;
  const message = `${suite}: ${BGE_SMALL_EN_V15_Q.id} is not in ${TEST_MODELS_DIR} (MODELS_DIR=${TEST_MODELS_DIR} ${MODELS_FETCH_COMMAND} -- --source maven)`;
  if (IN_CI) throw new Error(`${message}; CI=true requires it`);
  console.warn(`SKIPPED ${message}`);
  return false;
}
