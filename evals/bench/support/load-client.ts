/**
 * Closed-loop answer clients: each sends one question, waits for the whole
 * answer (JSON, or an SSE stream up to `done`), and sends the next, until the
 * run ends. Every question is distinct (see questionFor), so each is a fresh
 * answer with one provider call.
 */
import { request as httpRequest } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { z } from 'zod';
import { agent, bearer, type FakeProvider, type Service } from './load-service';
import { classify, overheadMs, questionFor, SseParser, summarize, type Outcome, type Summary } from './load-stats';

export interface RequestRecord {
  stream: boolean;
  startedAt: number;
  clientMs: number;
  /** Time to the TCP connection, when the request opened one. */
  connectMs: number;
  /** Client latency minus the provider's own time (ok answers only). */
  overheadMs?: number | undefined;
  providerMatched?: boolean | undefined;
  outcome: Outcome;
  timings?: Record<string, number> | undefined;
  refused?: boolean | undefined;
  cached?: boolean | undefined;
}

const answerBody = z.object({
  refused: z.boolean(),
  cached: z.boolean(),
  timings: z.record(z.string(), z.number()),
}).passthrough();

interface RawAnswer {
  /** From the request's creation to its TCP connection (0 on a reused keep-alive connection). */
  connectMs?: number;
  status?: number;
  networkError?: string;
  stream?: { done: boolean; errorCode?: string };
  body?: z.infer<typeof answerBody>;
  /** Retry-After of a 429/503, in seconds. */
  retryAfterSeconds?: number;
}

/** One answer over JSON or SSE; never throws (a failure is an outcome). */
function askOnce(service: Service, corpus: string, question: string, stream: boolean): Promise<RawAnswer> {
  return new Promise((resolveAnswer) => {
    let settled = false;
    const created = performance.now();
    let connectMs = 0;
    const settle = (answer: RawAnswer) => {
      if (!settled) {
        settled = true;
        resolveAnswer({ ...answer, connectMs });
      }
    };
    const request = httpRequest(
      `${service.url}/v1/corpora/${encodeURIComponent(corpus)}/answers`,
      {
        method: 'POST',
        agent,
        headers: { ...bearer(service.key), 'content-type': 'application/json', ...(stream ? { accept: 'text/event-stream' } : {}) },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        response.setEncoding('utf8');
        const isSse = stream && status === 200 && String(response.headers['content-type'] ?? '').startsWith('text/event-stream');
        const parser = new SseParser();
        let text = '';
        const sse: { done: boolean; errorCode?: string } = { done: false };
        let body: z.infer<typeof answerBody> | undefined;
        response.on('data', (chunk: string) => {
          if (!isSse) {
            text += chunk;
            return;
          }
          for (const event of parser.push(chunk)) {
            if (event.event === 'done') {
              sse.done = true;
              body = answerBody.safeParse(JSON.parse(event.data)).data;
            } else if (event.event === 'error') {
              const parsed = z.object({ code: z.string() }).safeParse(JSON.parse(event.data));
              sse.errorCode = parsed.success ? parsed.data.code : 'unparsed';
            }
          }
        });
        response.on('end', () => {
          if (isSse) return settle({ status, stream: sse, body });
          if (status >= 200 && status < 300) {
            try {
              body = answerBody.safeParse(JSON.parse(text)).data;
            } catch {
              return settle({ status, networkError: 'invalid-json' });
            }
          }
          const retryAfter = Number(response.headers['retry-after']);
          settle({ status, body, ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}) });
        });
        response.on('error', (error: NodeJS.ErrnoException) => settle({ status, networkError: error.code ?? error.message }));
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => settle({ networkError: error.code ?? error.message }));
    request.on('socket', (socket) => {
      if (socket.connecting) socket.once('connect', () => (connectMs = performance.now() - created));
    });
    request.end(JSON.stringify({ question }));
  });
}

export interface LoadRunOptions {
  service: Service;
  provider: FakeProvider;
  corpus: string;
  topics: readonly string[];
  clients: number;
  /** Not measured: the first seconds, while connections open and the caches fill. */
  warmupSeconds: number;
  seconds: number;
  streamingShare: number;
  /** Called about once a second with the records so far (the soak's progress line). */
  onTick?: (records: readonly RequestRecord[]) => void;
}

export interface LoadRun {
  records: RequestRecord[];
  /** Answers (ok) completed inside the measured window, whenever they started: the throughput. */
  completedInWindow: number;
  windowMs: number;
  /** This (the bench) process's event-loop delay during the run: when high, the client side is part of the latency. */
  benchLagP99Ms: number;
}

/** Runs `clients` closed-loop clients; returns the requests that ended after the warm-up. */
export async function runClosedLoop(options: LoadRunOptions): Promise<LoadRun> {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const records: RequestRecord[] = [];
  const startedAt = performance.now();
  const measureFrom = startedAt + options.warmupSeconds * 1000;
  const stopAt = measureFrom + options.seconds * 1000;
  let completedInWindow = 0;
  const tick = options.onTick ? setInterval(() => options.onTick!(records), 1000) : undefined;

  const client = async (index: number) => {
    // Clients start spread over the first second, as users would, not in one burst of connects.
    await new Promise((resolveStart) => setTimeout(resolveStart, (index * 1000) / options.clients));
    // Streaming and JSON clients alternate, so that start order (which matters once the service queues) favours neither.
    const stream = Math.floor((index + 1) * options.streamingShare) > Math.floor(index * options.streamingShare);
    for (let turn = 0; performance.now() < stopAt; turn++) {
      const topic = options.topics[(index + turn) % options.topics.length]!;
      const question = questionFor(topic, index, turn);
      const begin = performance.now();
      const raw = await askOnce(options.service, options.corpus, question, stream);
      const end = performance.now();
      const providerMs = options.provider.takeProviderMs(`c${index}-n${turn}`);
      const outcome = classify(raw);
      if (outcome.kind === 'ok' && end >= measureFrom && end <= stopAt) completedInWindow++;
      // Every answer that ends after the warm-up counts, including one that started in it: a request
      // that waited through the whole warm-up is exactly the latency the run must show.
      if (end < measureFrom) continue;
      const clientMs = end - begin;
      const record: RequestRecord = { stream, startedAt: begin, clientMs, connectMs: raw.connectMs ?? 0, outcome };
      if (outcome.kind === 'ok') {
        const overhead = overheadMs(clientMs, providerMs, options.provider.latencyMs);
        record.overheadMs = overhead.overheadMs;
        record.providerMatched = overhead.matched;
        record.timings = raw.body?.timings;
        record.refused = raw.body?.refused;
        record.cached = raw.body?.cached;
      } else if (outcome.kind === 'rateLimited' || outcome.kind === 'unavailable') {
        // A refused client waits as told (Retry-After), plus up to half again at random as the SDKs' backoff does:
        // clients refused together and retrying in step would arrive as one burst. 100 ms when not told.
        const waitMs = raw.retryAfterSeconds !== undefined ? Math.min(raw.retryAfterSeconds * 1000, 5_000) * (1 + Math.random() / 2) : 100;
        await new Promise((resolveWait) => setTimeout(resolveWait, waitMs));
      }
      records.push(record);
    }
  };

  lag.enable();
  // The warm-up's delays are not the run's.
  const resetLag = setTimeout(() => lag.reset(), options.warmupSeconds * 1000);
  await Promise.all(Array.from({ length: options.clients }, (_, index) => client(index)));
  lag.disable();
  clearTimeout(resetLag);
  if (tick) clearInterval(tick);
  return { records, completedInWindow, windowMs: stopAt - measureFrom, benchLagP99Ms: lag.percentile(99) / 1e6 };
}

export interface LoadFigures {
  requests: number;
  ok: number;
  errors: number;
  errorCodes: Record<string, number>;
  rateLimited: number;
  unavailable: number;
  throughputRps: number;
  overhead: Summary;
  overheadJson: Summary;
  overheadStream: Summary;
  clientLatency: Summary;
  unmatchedProvider: number;
  refused: number;
  cached: number;
  /** p50 of each stage of the answers' own timings, and of the time outside the pipeline (HTTP, auth, admission). */
  stagesP50: Record<string, number>;
  stagesP99: Record<string, number>;
}

export function figuresOf(run: LoadRun): LoadFigures {
  const { records } = run;
  const ok = records.filter((record) => record.outcome.kind === 'ok');
  const errorCodes: Record<string, number> = {};
  for (const record of records) {
    if (record.outcome.kind === 'error') errorCodes[record.outcome.code] = (errorCodes[record.outcome.code] ?? 0) + 1;
  }
  const overheads = (subset: RequestRecord[]) => subset.map((record) => record.overheadMs!).filter((value) => Number.isFinite(value));
  const stageNames = ['retrieveMs', 'rerankMs', 'assembleMs', 'generateMs', 'verifyMs', 'totalMs'];
  const stages: Record<string, number[]> = Object.fromEntries([...stageNames, 'outsidePipelineMs'].map((name) => [name, []]));
  for (const record of ok) {
    if (!record.timings) continue;
    for (const name of stageNames) stages[name]!.push(record.timings[name] ?? 0);
    stages.outsidePipelineMs!.push(record.clientMs - (record.timings.totalMs ?? 0));
  }
  return {
    requests: records.length,
    ok: ok.length,
    errors: records.filter((record) => record.outcome.kind === 'error').length,
    errorCodes,
    rateLimited: records.filter((record) => record.outcome.kind === 'rateLimited').length,
    unavailable: records.filter((record) => record.outcome.kind === 'unavailable').length,
    throughputRps: run.completedInWindow / (run.windowMs / 1000),
    overhead: summarize(overheads(ok)),
    overheadJson: summarize(overheads(ok.filter((record) => !record.stream))),
    overheadStream: summarize(overheads(ok.filter((record) => record.stream))),
    clientLatency: summarize(ok.map((record) => record.clientMs)),
    unmatchedProvider: ok.filter((record) => record.providerMatched === false).length,
    refused: ok.filter((record) => record.refused).length,
    cached: ok.filter((record) => record.cached).length,
    stagesP50: Object.fromEntries(Object.entries(stages).map(([name, samples]) => [name, summarize(samples).p50])),
    stagesP99: Object.fromEntries(Object.entries(stages).map(([name, samples]) => [name, summarize(samples).p99])),
  };
}
