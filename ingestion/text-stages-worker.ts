import { parentPort } from 'node:worker_threads';
import { chunkDocument } from './chunk';
import { normalizeDocument } from './normalize';
import { prepareCopies, type PreparedCopies } from '../indexes/postgres/bm25-index';
import { toStageFailure, type StageValue, type TextStagesReply, type TextStagesRequest } from './text-stages';

// The worker side of WorkerTextStages (started through src/core/threads/typescript-worker.mjs).
const port = parentPort;
if (!port) throw new Error('text-stages-worker runs as a worker thread');

async function run(request: TextStagesRequest): Promise<StageValue> {
  if (request.op === 'normalize') return normalizeDocument(request.parsed);
  if (request.op === 'chunk') return chunkDocument(request.doc, request.config);
  return prepareCopies(request.scope, request.chunks);
}

port.on('message', (request: TextStagesRequest) => {
  run(request).then(
    (value) => {
      // COPY payloads move to the main thread without a copy.
      const transfer = request.op === 'bm25Copies' ? payloadBuffers(value as PreparedCopies) : [];
      port.postMessage({ id: request.id, ok: true, value } as TextStagesReply, transfer);
    },
    (error: unknown) => port.postMessage({ id: request.id, ok: false, failure: toStageFailure(error) } satisfies TextStagesReply),
  );
});

function payloadBuffers(copies: PreparedCopies): ArrayBuffer[] {
  const { lists } = copies;
  const payloads = [copies.buildChunks, copies.postings, copies.blocks, lists.docLengths, lists.offsets, lists.chunks, lists.tfs];
  // Each buffer once: a transfer list naming one twice is refused.
  return [...new Set(payloads.flatMap((payload) => (payload ? [payload.buffer] : [])))];
}
