import { parentPort } from 'node:worker_threads';
import { chunkDocument } from './chunk';
import { normalizeDocument } from './normalize';
import { toStageFailure, type TextStagesReply, type TextStagesRequest } from './text-stages';

// The worker side of WorkerTextStages (started through src/core/threads/typescript-worker.mjs).
const port = parentPort;
if (!port) throw new Error('text-stages-worker runs as a worker thread');

port.on('message', (request: TextStagesRequest) => {
  let reply: TextStagesReply;
  try {
    const value = request.op === 'normalize' ? normalizeDocument(request.parsed) : chunkDocument(request.doc, request.config);
    reply = { id: request.id, ok: true, value };
  } catch (error) {
    reply = { id: request.id, ok: false, failure: toStageFailure(error) };
  }
  port.postMessage(reply);
});
