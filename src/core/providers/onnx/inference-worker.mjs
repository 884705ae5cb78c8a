// @ts-check
/**
 * One inference worker: a tokenizer read from tokenizer.json and an ONNX
 * Runtime session, off the main thread. Plain JavaScript so that it runs the
 * same under tsx, vitest and node (a .ts worker would need a loader in each).
 *
 * Messages in:  { id, op: 'embed', texts } | { id, op: 'tokenize', texts } | { op: 'crash-next' }
 * Messages out: { type: 'ready', dimensions, threads } | { type: 'init-error', message }
 *               | { type: 'probed', timings } (then one message in: { op: 'keep', threads })
 *               | { id, ok: true, vectors | ids } | { id, ok: false, message }
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Tokenizer } from '@huggingface/tokenizers';
import ort from 'onnxruntime-node';
import { batchScheduleThisThread, lowerThisThreadPriority, nameThisThread } from '../../threads/this-thread.mjs';

/**
 * threadChoices: intra-op thread counts to time on a question before settling on one (the pool chooses); empty: `threads`.
 * @type {{ modelPath: string, tokenizerPath: string, maxTokens: number, pooling: 'cls' | 'mean', normalize: boolean, threads: number, threadChoices: number[], tokenBudget: number, background: boolean, lane: boolean }}
 */
const options = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

nameThisThread(options.background ? 'attest-onnx-bg' : 'attest-onnx');
// A document worker runs at background priority, before its session starts the intra-op threads that inherit it:
// a question's embedding (the query lane, normal priority) and the event loop get the CPU first.
if (options.background) lowerThisThreadPriority();
// The query lane: the event loop posts it every question, and must not wait for the core while the lane runs.
else if (options.lane) batchScheduleThisThread();

/** Set by 'crash-next' (tests): the next batch dies halfway, as a worker killed by the OOM killer would. */
let crashNext = false;

/** @param {Tokenizer} tokenizer @param {string} text */
function encode(tokenizer, text) {
  const ids = tokenizer.encode(text).ids;
  if (ids.length <= options.maxTokens) return ids;
  // Keep [CLS] and the first tokens, and close with the final [SEP] as the model saw in training.
  return [...ids.slice(0, options.maxTokens - 1), ids[ids.length - 1]];
}

/**
 * Runs one padded batch and pools each row.
 * @param {ort.InferenceSession} session @param {number[][]} batch
 */
async function runBatch(session, batch) {
  const width = Math.max(...batch.map((ids) => ids.length));
  const size = batch.length * width;
  const inputIds = new BigInt64Array(size);
  const mask = new BigInt64Array(size);
  batch.forEach((ids, row) => {
    ids.forEach((id, column) => {
      inputIds[row * width + column] = BigInt(id);
      mask[row * width + column] = 1n;
    });
  });
  /** @type {Record<string, ort.Tensor>} */
  const feeds = {
    input_ids: new ort.Tensor('int64', inputIds, [batch.length, width]),
    attention_mask: new ort.Tensor('int64', mask, [batch.length, width]),
  };
  if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(size), [batch.length, width]);
  const outputs = await session.run(feeds);
  const hidden = outputs[session.outputNames[0] ?? 'last_hidden_state'];
  if (!hidden) throw new Error('the model has no output');
  const dims = hidden.dims;
  const data = /** @type {Float32Array} */ (hidden.data);
  const dimensions = dims.length === 3 ? Number(dims[2]) : Number(dims[1]);
  return batch.map((ids, row) => {
    const vector = new Float32Array(dimensions);
    if (dims.length === 2) {
      vector.set(data.subarray(row * dimensions, (row + 1) * dimensions));
    } else if (options.pooling === 'cls') {
      vector.set(data.subarray(row * width * dimensions, row * width * dimensions + dimensions));
    } else {
      for (let position = 0; position < ids.length; position++) {
        const offset = (row * width + position) * dimensions;
        for (let d = 0; d < dimensions; d++) vector[d] += data[offset + d] ?? 0;
      }
      for (let d = 0; d < dimensions; d++) vector[d] /= ids.length;
    }
    if (options.normalize) {
      let norm = 0;
      for (let d = 0; d < dimensions; d++) norm += vector[d] * vector[d];
      norm = Math.sqrt(norm) || 1;
      for (let d = 0; d < dimensions; d++) vector[d] /= norm;
    }
    return vector;
  });
}

/**
 * Embeds texts in batches bounded by padded token count: sorted by length so
 * that short texts are not padded to a long one's width.
 * @param {ort.InferenceSession} session @param {Tokenizer} tokenizer @param {string[]} texts
 */
async function embed(session, tokenizer, texts) {
  const encoded = texts.map((text) => encode(tokenizer, text));
  if (crashNext) process.exit(70);
  const order = encoded.map((_ids, index) => index).sort((a, b) => encoded[a].length - encoded[b].length);
  /** @type {Float32Array[]} */
  const vectors = new Array(texts.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    // Sorted ascending, so the batch's width is its last member's length.
    while (end < order.length && (end - start + 1) * encoded[order[end]].length <= options.tokenBudget) end += 1;
    const indices = order.slice(start, end);
    const pooled = await runBatch(session, indices.map((index) => encoded[index]));
    indices.forEach((index, position) => {
      vectors[index] = pooled[position];
    });
    start = end;
  }
  return vectors;
}

/** @param {number} threads */
function createSession(threads) {
  return ort.InferenceSession.create(options.modelPath, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Idle intra-op threads spin by default, taking the CPU a question's embedding needs on the query lane's
    // worker. Measured (npm run bench -- local-models, 300 docs): spinning, a query while documents embed p95
    // 115 ms at 3.1 documents/s; not spinning, p95 54 ms at 6.8 documents/s.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
}

/**
 * Wall milliseconds of one question-sized pass on each thread count, each timed on a session of its own that is
 * released before the next is made: two sessions alive at once left the process ~20-45 MB larger for good (the
 * released one's memory stays with the thread's allocator; +304/+324 MB against +278/+283 MB with one thread set,
 * opening the pool and embedding in a scratch process). Blocks alternate, so that a busy moment of the starting
 * process falls on every candidate alike; each block's first pass is a warm-up and is not counted.
 * @param {number[]} candidates @param {Tokenizer} tokenizer
 * @returns {Promise<Record<number, number[]>>}
 */
async function timeQuestionPasses(candidates, tokenizer) {
  const question = [encode(tokenizer, 'How do I reset the administrator password after the account was locked by too many failed sign-in attempts?')];
  /** @type {Record<number, number[]>} */
  const timings = {};
  for (let block = 0; block < 2; block++) {
    for (const threads of candidates) {
      const session = await createSession(threads);
      try {
        for (let pass = 0; pass < 5; pass++) {
          const started = performance.now();
          await runBatch(session, question);
          if (pass > 0) (timings[threads] ??= []).push(performance.now() - started);
        }
      } finally {
        await session.release();
      }
    }
  }
  return timings;
}

async function main() {
  let tokenizer;
  let session;
  let dimensions;
  let threadsInUse = options.threads;
  try {
    tokenizer = new Tokenizer(JSON.parse(readFileSync(options.tokenizerPath, 'utf8')), {});
  } catch (error) {
    port.postMessage({ type: 'init-error', file: options.tokenizerPath, message: error instanceof Error ? error.message : String(error) });
    return;
  }
  try {
    if (options.threadChoices.length > 1) {
      const timings = await timeQuestionPasses(options.threadChoices, tokenizer);
      port.postMessage({ type: 'probed', timings });
      threadsInUse = await new Promise((resolve) => port.once('message', (/** @type {{ op: string, threads: number }} */ message) => resolve(message.threads)));
    } else {
      threadsInUse = options.threadChoices[0] ?? options.threads;
    }
    session = await createSession(threadsInUse);
    // A probe at load: a truncated graph, out-of-range token ids or a wrong output shape fail here, not mid-ingestion.
    const [probe] = await runBatch(session, [encode(tokenizer, 'attest model probe')]);
    dimensions = probe?.length ?? 0;
  } catch (error) {
    port.postMessage({ type: 'init-error', file: options.modelPath, message: (error instanceof Error ? error.message : String(error)).split('\n')[0] });
    return;
  }
  port.on('message', async (message) => {
    if (message.op === 'crash-next') {
      crashNext = true;
      return;
    }
    try {
      if (message.op === 'tokenize') {
        port.postMessage({ id: message.id, ok: true, ids: message.texts.map((/** @type {string} */ text) => tokenizer.encode(text).ids) });
        return;
      }
      const vectors = await embed(session, tokenizer, message.texts);
      port.postMessage({ id: message.id, ok: true, vectors }, vectors.map((vector) => vector.buffer));
    } catch (error) {
      port.postMessage({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  });
  port.postMessage({ type: 'ready', dimensions, threads: threadsInUse });
}

void main();
