import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from './ports';

export { freePort };

/**
 * A private, non-persistent redis-server for one suite (the shared one on 6379
 * is left alone): stop() kills it, and start() brings up an empty one on the
 * same port, which is what a restart without persistence looks like to clients.
 */
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

export interface PrivateRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  /** SIGKILL: no shutdown save, every connection drops at once. */
  stop(): Promise<void>;
  running(): boolean;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePing(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data: Buffer) => {
      reply += data.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';
  const redis: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async start() {
      if (redis.running()) return;
      output = '';
      child = spawn(REDIS_SERVER_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
      child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
      const deadline = Date.now() + 10_000;
      while (!(await answersPing(port))) {
        if (!redis.running()) throw new Error(`redis-server on ${port} exited:\n${output}`);
        if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer PING in 10 s:\n${output}`);
        await new Promise((resolveSleep) => setTimeout(resolveSleep, 20));
      }
    },
    async stop() {
      const current = child;
      if (!current || !redis.running()) return;
      const exited = new Promise((settle) => current.once('exit', settle));
      current.kill('SIGKILL');
      await exited;
    },
  };
  await redis.start();
  return redis;
}
