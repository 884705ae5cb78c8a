import { createHash } from 'node:crypto';
import { readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import type { components } from '../client';
import { apiErrorLine, type CliConfig } from './config';
import type { Output } from './ask';

type UploadResult = components['schemas']['UploadResult'];

/**
 * What earlier runs uploaded, by absolute path: the hash of the bytes sent and where they went. A file
 * whose hash is unchanged is skipped; the file is rewritten after every upload, so an interrupted run
 * resumes where it stopped.
 */
const stateSchema = z.object({
  version: z.literal(1),
  corpus: z.string(),
  url: z.string(),
  files: z.record(z.string(), z.object({ sha256: z.string(), documentId: z.string(), versionId: z.string(), uploadedAt: z.string() })),
});
type IngestState = z.infer<typeof stateSchema>;

export interface IngestOptions {
  paths: string[];
  corpus: string;
  concurrency: number;
  statePath?: string | undefined;
  /** Wait for each upload's ingestion job and count failed ones. */
  wait: boolean;
  /** Progress on stderr: a bar on a terminal, nothing otherwise. */
  progress: boolean;
}

export interface IngestSummary {
  files: number;
  uploaded: number;
  unchanged: number;
  deduplicated: number;
  failed: { path: string; error: string }[];
}

/** Files under the given paths, recursively, skipping hidden files and folders (".git", ".DS_Store"). */
export async function walk(paths: string[]): Promise<string[]> {
  const found: string[] = [];
  const visit = async (path: string) => {
    const info = await stat(path);
    if (info.isDirectory()) {
      const entries = (await readdir(path)).filter((name) => !name.startsWith('.')).sort();
      for (const entry of entries) await visit(join(path, entry));
    } else if (info.isFile()) found.push(resolve(path));
  };
  for (const path of paths) await visit(path);
  return [...new Set(found)];
}

export function defaultStatePath(corpus: string): string {
  return resolve(`.attest-ingest-${corpus.replace(/[^\p{L}\p{N}._-]+/gu, '_')}.json`);
}

async function loadState(path: string, corpus: string, url: string): Promise<IngestState> {
  const fresh: IngestState = { version: 1, corpus, url, files: {} };
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return fresh;
  const parsed = stateSchema.safeParse(JSON.parse(text));
  // Another server or corpus: its uploads say nothing about this one.
  if (!parsed.success || parsed.data.corpus !== corpus || parsed.data.url !== url) return fresh;
  return parsed.data;
}

async function saveState(path: string, state: IngestState): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 1)}\n`);
  await rename(temporary, path);
}

function progressBar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

async function upload(config: CliConfig, corpus: string, path: string, bytes: Uint8Array): Promise<UploadResult> {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), basename(path));
  const response = await fetch(`${config.url}/v1/corpora/${encodeURIComponent(corpus)}/documents`, { method: 'POST', headers: { authorization: `Bearer ${config.apiKey}` }, body: form });
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (response.status !== 202) throw new Error(apiErrorLine(body, response.status));
  return body as UploadResult;
}

/** Job states after which nothing more happens to it. */
const FINISHED = new Set(['completed', 'failed', 'cancelled']);

async function waitForJob(config: CliConfig, jobId: string): Promise<string | undefined> {
  // Small files are ingested in well under a second: poll soon, then back off to once a second.
  for (let delay = 100; ; delay = Math.min(1_000, delay * 2)) {
    const response = await fetch(`${config.url}/v1/jobs/${encodeURIComponent(jobId)}`, { headers: { authorization: `Bearer ${config.apiKey}` } });
    const job = (await response.json()) as components['schemas']['Job'];
    if (response.status !== 200) return apiErrorLine(job, response.status);
    if (job.state === 'completed') return undefined;
    if (FINISHED.has(job.state)) return job.error ? `${job.error.code}: ${job.error.message}` : `ingestion ${job.state}`;
    await new Promise((done) => setTimeout(done, delay));
  }
}

/** Uploads every new or changed file with bounded concurrency; unchanged files (same hash) are skipped. */
export async function ingest(config: CliConfig, options: IngestOptions, io: Output): Promise<IngestSummary> {
  const files = await walk(options.paths);
  const statePath = options.statePath ?? defaultStatePath(options.corpus);
  const state = await loadState(statePath, options.corpus, config.url);
  const summary: IngestSummary = { files: files.length, uploaded: 0, unchanged: 0, deduplicated: 0, failed: [] };
  let done = 0;
  let saving = Promise.resolve();
  const tick = () => {
    done++;
    if (options.progress) io.err(`\r${progressBar(done, files.length)}`);
  };
  const queue = [...files];
  const worker = async () => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      try {
        const bytes = new Uint8Array(await readFile(path));
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        if (state.files[path]?.sha256 === sha256) {
          summary.unchanged++;
          continue;
        }
        const result = await upload(config, options.corpus, path, bytes);
        if (options.wait && result.jobId) {
          const failure = await waitForJob(config, result.jobId);
          if (failure) throw new Error(failure);
        }
        if (result.deduplicated) summary.deduplicated++;
        else summary.uploaded++;
        state.files[path] = { sha256, documentId: result.documentId, versionId: result.versionId, uploadedAt: new Date().toISOString() };
        // One write at a time, in order: the file always holds a complete state.
        saving = saving.then(() => saveState(statePath, state));
        await saving;
      } catch (error) {
        summary.failed.push({ path, error: error instanceof Error ? error.message : String(error) });
      } finally {
        tick();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, files.length)) }, worker));
  if (options.progress && files.length > 0) io.err('\n');
  return summary;
}

export function formatSummary(summary: IngestSummary): string {
  const lines = [`${summary.files} files: ${summary.uploaded} uploaded, ${summary.deduplicated} already stored, ${summary.unchanged} unchanged, ${summary.failed.length} failed`];
  for (const failure of summary.failed) lines.push(`  FAILED ${failure.path}: ${failure.error}`);
  return `${lines.join('\n')}\n`;
}
