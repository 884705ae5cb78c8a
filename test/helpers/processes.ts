import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Child processes that tests start and kill: the ingestion worker
 * (`ingestion/worker-main.ts`) and the API server (`src/server.ts`), each in its
 * own process group so that a signal reaches everything it spawned.
 */
export const TSX_CLI = resolve(process.cwd(), 'node_modules/tsx/dist/cli.mjs');
export const WORKER_SCRIPT = resolve(process.cwd(), 'ingestion/worker-main.ts');
export const SERVER_SCRIPT = resolve(process.cwd(), 'src/server.ts');

export interface ChildHandle {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output: () => string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** Entries override the test process's environment; an undefined entry removes the variable. */
export type ChildEnv = Record<string, string | undefined>;

export interface StartOptions {
  env: ChildEnv;
  /** Ready once the output contains this text, or once this probe resolves true. */
  ready: string | (() => Promise<boolean>);
  what: string;
  timeoutMs?: number;
}

/** Spawns `node <args>` detached (its own process group) and waits until it is ready; rejects if it exits first. */
export function startProcess(args: string[], options: StartOptions): Promise<ChildHandle> {
  const child = spawn(process.execPath, args, {
    cwd: process.cwd(),
    env: Object.fromEntries(Object.entries({ ...process.env, ...options.env }).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<number | null>((onExit) => child.once('exit', (code) => onExit(code)));
  const handle: ChildHandle = { child, output: () => output, exited };
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolveReady, rejectReady) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(probe);
      child.stdout!.off('data', onData);
      if (error) {
        killGroup(handle, 'SIGKILL');
        rejectReady(error);
      } else resolveReady(handle);
    };
    const deadline = setTimeout(() => finish(new Error(`${options.what} did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const ready = options.ready;
    const onData = () => {
      if (typeof ready === 'string' && output.includes(ready)) finish();
    };
    child.stdout!.on('data', onData);
    let probing = false;
    const probe = setInterval(() => {
      if (typeof ready === 'string' || probing || settled) return;
      probing = true;
      ready()
        .then((ok) => ok && finish())
        .catch(() => undefined)
        .finally(() => (probing = false));
    }, 50);
    void exited.then((code) => finish(new Error(`${options.what} exited (${code}) before it was ready:\n${output}`)));
  });
}

/** `tsx ingestion/worker-main.ts` (tsx runs the script in a child node process, hence the process group). */
export function startWorker(env: ChildEnv): Promise<ChildHandle> {
  return startProcess([TSX_CLI, WORKER_SCRIPT], { env, ready: 'attest worker ready', what: 'worker' });
}

/** `node --import tsx src/server.ts`: one process, so SIGTERM reaches the server's own shutdown handler. */
export function startServer(env: ChildEnv, baseUrl: string): Promise<ChildHandle> {
  const healthy = async () => (await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok;
  return startProcess(['--import', 'tsx', SERVER_SCRIPT], { env, ready: healthy, what: 'server', timeoutMs: 60_000 });
}

export function isRunning(handle: ChildHandle | undefined): handle is ChildHandle {
  return handle?.child.pid !== undefined && handle.child.exitCode === null && handle.child.signalCode === null;
}

/** Signals the process's whole group (a launcher and what it runs). */
export function killGroup(handle: ChildHandle | undefined, signal: NodeJS.Signals): void {
  if (!isRunning(handle)) return;
  try {
    process.kill(-handle.child.pid!, signal);
  } catch {
    // already gone
  }
}

/** SIGKILLs each still-running process and waits (bounded) for it to be gone: for afterAll. */
export async function killAll(handles: Iterable<ChildHandle>): Promise<void> {
  for (const handle of handles) {
    killGroup(handle, 'SIGKILL');
    await Promise.race([handle.exited, new Promise((resolveWait) => setTimeout(resolveWait, 5_000))]);
  }
}
