import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

// The PGlite thread may be terminated (the process exits while it starts, or a close that never returns), and on
// Node 20 terminating a worker thread while it constructs a zlib handle aborts the whole process (node_zlib.cc:285
// "close before init"). PGlite inflates pgvector's bundle with zlib's createGunzip as it starts; the thread swaps in
// a JavaScript one (src/core/threads/gunzip-in-js.mjs). The real thread script runs here behind
// test/fixtures/workers/zlib-guard.mjs, which reports any zlib handle the thread creates.

interface Reply {
  type?: string;
  zlibHandle?: string;
  id?: number;
  ok?: boolean;
  value?: { rows: unknown[][] };
  error?: { message: string };
}

describe('the PGlite thread creates no zlib handle', () => {
  it('starts with pgvector loaded, answers a vector query and closes, and the guard saw no zlib handle', async () => {
    const worker = new Worker(new URL('../../fixtures/workers/guarded-pglite-worker.mjs', import.meta.url), {
      workerData: { dataDir: 'memory://', startParams: [], liftoffOnly: true },
    });
    const zlibHandles: string[] = [];
    const replies = new Map<number, (reply: Reply) => void>();
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: Reply) => {
        if (message.zlibHandle) zlibHandles.push(message.zlibHandle);
        else if (message.type === 'ready') resolve();
        else if (message.type === 'init-error') reject(new Error(message.error?.message));
        else if (message.id !== undefined) replies.get(message.id)?.(message);
      });
    });
    const call = (id: number, message: Record<string, unknown>) =>
      new Promise<Reply>((resolve) => {
        replies.set(id, resolve);
        worker.postMessage({ id, ...message });
      });
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    await ready;
    expect((await call(1, { op: 'exec', text: 'CREATE EXTENSION IF NOT EXISTS vector' })).ok).toBe(true);
    const distance = await call(2, { op: 'query', text: "SELECT '[1,2,3]'::vector <-> '[1,2,5]'::vector AS d", rowMode: 'array' });
    expect(distance.ok).toBe(true);
    expect(distance.value?.rows[0]?.[0]).toBe(2);
    await call(3, { op: 'close' });
    expect(await exited).toBe(0);
    expect(zlibHandles).toEqual([]);
  }, 60_000);
});
