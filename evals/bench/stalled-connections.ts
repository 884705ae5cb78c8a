/**
 * How many stalled uploads the API process holds and still answers /healthz, and how soon it lets them go.
 *
 *   npm run bench -- stalled-connections [--max 16000] [--idle-ms 600000]
 *
 * Starts the server (embedded store, a scratch DATA_DIR) as its own process and opens connections that each send
 * the headers of an unauthenticated JSON POST announcing 100 bytes and then 9 of them, in steps that double. After
 * each step it times 20 /healthz requests on fresh connections and reads the server's RSS. Phase 1 runs with
 * HTTP_BODY_IDLE_TIMEOUT_MS at --idle-ms (long, so nothing is closed while it counts); phase 2 starts a server with
 * the defaults, stalls 1,000 connections and times how long until the server has closed every one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { max: { type: 'string', default: '16000' }, 'idle-ms': { type: 'string', default: '600000' } } });
const MAX = Number(values.max);
const STALL = 'POST /v1/corpora HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function healthz(port: number, timeoutMs = 5_000): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${response.statusCode}`))));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'attest-stall-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, BOOTSTRAP_API_KEY: 'bench-admin-key-0123456789', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (await healthz(port, 1_000).then(() => true, () => false)) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('the server did not start');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    child,
    port,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function stall(port: number, closedAt: Map<Socket, number>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(STALL);
      resolve(socket);
    });
    socket.on('error', reject);
    // Read what the server sends (its 408): an unread socket never emits 'close'.
    socket.resume();
    socket.on('close', () => closedAt.set(socket, Date.now()));
  });
}

async function openStalled(port: number, count: number, into: Socket[], closedAt: Map<Socket, number>): Promise<void> {
  for (let opened = 0; opened < count; opened += 200) {
    into.push(...(await Promise.all(Array.from({ length: Math.min(200, count - opened) }, () => stall(port, closedAt)))));
  }
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/u.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
}

async function phaseOne(): Promise<void> {
  const server = await startServer({ HTTP_BODY_IDLE_TIMEOUT_MS: values['idle-ms'], HTTP_REQUEST_TIMEOUT_MS: '0' });
  const sockets: Socket[] = [];
  const closedAt = new Map<Socket, number>();
  console.log(`phase 1: stalled connections held (HTTP_BODY_IDLE_TIMEOUT_MS=${values['idle-ms']}, HTTP_REQUEST_TIMEOUT_MS=0)`);
  console.log('stalled  healthz p50 ms  healthz max ms  server RSS MiB');
  try {
    for (let level = 500; level <= MAX; level *= 2) {
      try {
        await openStalled(server.port, level - sockets.length, sockets, closedAt);
      } catch (error) {
        console.log(`${level}: could not open more connections (${error instanceof Error ? error.message : String(error)})`);
        break;
      }
      const times: number[] = [];
      let failed: string | undefined;
      for (let index = 0; index < 20 && !failed; index++) times.push(await healthz(server.port).catch((error: Error) => ((failed = error.message), Number.NaN)));
      times.sort((a, b) => a - b);
      const open = sockets.length - closedAt.size;
      console.log(`${String(open).padStart(7)}  ${failed ? 'FAILED: ' + failed : times[10]!.toFixed(1).padStart(14)}  ${failed ? '' : times.at(-1)!.toFixed(1).padStart(14)}  ${String(rssMiB(server.child.pid!)).padStart(14)}`);
      if (failed) break;
    }
  } finally {
    for (const socket of sockets) socket.destroy();
    await server.stop();
  }
}

async function phaseTwo(): Promise<void> {
  const server = await startServer({});
  const sockets: Socket[] = [];
  const closedAt = new Map<Socket, number>();
  try {
    const started = Date.now();
    await openStalled(server.port, 1_000, sockets, closedAt);
    const health = await healthz(server.port);
    while (closedAt.size < sockets.length && Date.now() - started < 120_000) await new Promise((resolve) => setTimeout(resolve, 250));
    const waits = [...closedAt.values()].map((at) => (at - started) / 1000).sort((a, b) => a - b);
    console.log(`phase 2 (defaults): 1000 stalled; /healthz meanwhile ${health.toFixed(1)} ms; closed by the server: ${closedAt.size}/1000, first after ${waits[0]?.toFixed(1)} s, last after ${waits.at(-1)?.toFixed(1)} s`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await server.stop();
  }
}

await phaseOne();
await phaseTwo();
