/**
 * How long `npm start` takes to serve (not a test: it prints figures). Starts the server of the embedded default
 * as its own process (`node --import tsx src/server.ts`, as `npm start` does) and times spawn → first 200 from
 * /healthz: first on a new data directory (PGlite's initdb and the migrations), then restarts on that directory.
 *
 *   npm run bench -- startup [--restarts 5] [--fresh 1] [--compare DIR] [--models]
 *
 * --compare DIR alternates every run with the checkout in DIR (its own src/, this node_modules if it has none), so
 * that a change and its base are timed side by side on the same noisy machine. --models keeps MODELS_DIR (the local
 * neural models load at start); without it LOCAL_MODELS=off.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const { values } = parseArgs({
  options: {
    restarts: { type: 'string', default: '5' },
    fresh: { type: 'string', default: '1' },
    compare: { type: 'string' },
    models: { type: 'boolean', default: false },
  },
});
const args = z
  .object({ restarts: z.coerce.number().int().min(0).max(100), fresh: z.coerce.number().int().min(0).max(20), compare: z.string().optional(), models: z.boolean() })
  .parse(values);

interface Checkout {
  label: string;
  root: string;
}
const checkouts: Checkout[] = [{ label: 'this', root: ROOT }];
if (args.compare) {
  const root = path.resolve(args.compare);
  if (!existsSync(path.join(root, 'src/server.ts'))) throw new Error(`--compare ${root}: no src/server.ts there`);
  checkouts.push({ label: path.basename(root), root });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

/** Milliseconds from spawn to the first 200 from /healthz; the server is stopped (SIGTERM) before it returns. */
async function timeStart(checkout: Checkout, dataDir: string): Promise<number> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  if (!args.models) env.LOCAL_MODELS = 'off';
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: checkout.root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    while (!(await healthy(port))) {
      if (gone) throw new Error(`the server (${checkout.label}) exited before serving: ${stderr.slice(-500)}`);
      if (performance.now() - started > 120_000) throw new Error(`the server (${checkout.label}) did not serve within 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return performance.now() - started;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function summary(times: number[]): string {
  if (times.length === 0) return 'no runs';
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
  return `median ${median.toFixed(0)} ms, min ${sorted[0]?.toFixed(0)}, max ${sorted.at(-1)?.toFixed(0)} (${times.map((time) => time.toFixed(0)).join(', ')})`;
}

const dirs = new Map(checkouts.map((checkout) => [checkout.label, mkdtempSync(path.join(tmpdir(), `attest-startup-${checkout.label}-`))]));
const fresh = new Map<string, number[]>(checkouts.map((checkout) => [checkout.label, []]));
const restarts = new Map<string, number[]>(checkouts.map((checkout) => [checkout.label, []]));
console.log(`startup: ${checkouts.map((checkout) => `${checkout.label} = ${checkout.root}`).join('; ')}; ${args.models ? 'local models as MODELS_DIR has them' : 'LOCAL_MODELS=off'}; runs alternate`);
try {
  // Each fresh run gets a new data directory; the last one is what the restarts reuse.
  for (let run = 0; run < Math.max(1, args.fresh); run++) {
    for (const checkout of checkouts) {
      const dir = dirs.get(checkout.label) ?? '';
      rmSync(dir, { recursive: true, force: true });
      const time = await timeStart(checkout, dir);
      if (run < args.fresh) fresh.get(checkout.label)?.push(time);
    }
  }
  for (let run = 0; run < args.restarts; run++) {
    for (const checkout of checkouts) restarts.get(checkout.label)?.push(await timeStart(checkout, dirs.get(checkout.label) ?? ''));
  }
} finally {
  for (const dir of dirs.values()) rmSync(dir, { recursive: true, force: true });
}
for (const checkout of checkouts) {
  console.log(`  ${checkout.label}: new data directory ${summary(fresh.get(checkout.label) ?? [])}`);
  console.log(`  ${checkout.label}: restart ${summary(restarts.get(checkout.label) ?? [])}`);
}
