import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ModelFileError } from './model-files';

export interface InferencePoolOptions {
  modelPath: string;
  tokenizerPath: string;
  maxTokens: number;
  pooling: 'cls' | 'mean';
  normalize: boolean;
  /** Worker threads: the document workers and the first query lane (default: min(2, cores)); see queryLanes for more lanes. */
  workers?: number;
  /**
   * With two workers or more, one of them takes only queries (priority work): a question's embedding then runs
   * at once, time-sliced with the documents' batches by the OS, instead of waiting for a batch of documents to
   * finish (seconds while a large document embeds). Default true.
   */
  queryLane?: boolean;
  /**
   * Most query lanes when there is one (default 2), each a worker of its own beside the `workers - 1` document
   * workers: questions asked together are split between them instead of waiting for one lane's pass. Lanes past
   * the first start when a question finds every lane busy, and only while every lane's intra-op threads fit on the
   * cores (a lane that chose two threads on two cores stays alone); they stop after `laneIdleMs` without work,
   * since each holds a session of its own (~90 MB). Under 50 concurrent clients (npm run bench -- load --clients
   * 50 --seconds 10, neural models) the answers waited on the vector leg (p50 33 / p99 128 ms, BM25 0.1 / 1.6 ms)
   * behind one lane; two lanes lowered the overhead p99 in 7 of 8 alternating pairs (README, "Two query lanes").
   */
  queryLanes?: number;
  /** Idle time after which a lane past the first stops (default 60 s). */
  laneIdleMs?: number;
  /**
   * ONNX Runtime intra-op threads per document worker (default: the cores shared among the document workers,
   * so that with a query lane the document worker still uses every core while no question is asked).
   */
  threadsPerWorker?: number;
  /**
   * ONNX Runtime intra-op threads of the query lane's worker, or 'auto' (the default with two cores or more):
   * the worker times a question on one thread and on two at start and keeps two only when they are at least a
   * fifth quicker (chooseQueryThreads). Which pays depends on the CPU. Without int8 dot-product instructions
   * (AVX2 only) bge-small took 26.7 ms for a 40-token question on one thread and 11.5–17 ms on two, for the same
   * CPU; with them (AVX-512 VNNI) 4.7 ms on one and 6.5 ms on two, at twice the CPU, and a 50-client load then
   * ran better on one (npm run bench -- load, issue 28 notes in the README).
   */
  queryThreads?: number | 'auto';
  /**
   * Padded tokens per forward pass (batch size × longest member); default 512, one full-length text. Measured
   * (npm run bench -- local-models --docs 300 --token-budget N, twice each at load ~2): 512 against 1024 peaks
   * at +278/+288 against +348/+349 MB of RSS over the no-model process, at 16.3/17.6 against 15.1/15.9
   * documents/s: smaller passes keep ONNX Runtime's attention buffers small and lose nothing.
   */
  tokenBudget?: number;
  /** Texts per job handed to one worker; a crash retries at most this much work. */
  textsPerJob?: number;
  /** Attempts per job when its worker dies under it (default 3). */
  maxAttempts?: number;
}

type Op = 'embed' | 'tokenize';

interface Job {
  id: number;
  op: Op;
  priority: boolean;
  texts: string[];
  attempts: number;
  resolve(value: Float32Array[] | number[][]): void;
  reject(error: Error): void;
}

/** What one worker runs in one message: a job, or several queued questions' jobs coalesced into one pass. */
interface Dispatch {
  id: number;
  jobs: Job[];
}

interface Slot {
  /** query: the query lane's worker, which takes priority work only. */
  role: 'query' | 'any';
  worker: Worker;
  job: Dispatch | undefined;
  /** Set once the slot is being replaced or the pool closes: its exit is expected. */
  retired: boolean;
  /** Messages this worker was handed. */
  passes: number;
  /** A query lane past the first: started on demand, stopped when idle. */
  extra: boolean;
  /** An extra lane's stop once idle. */
  idleTimer?: NodeJS.Timeout | undefined;
}

const WORKER_URL = new URL('./inference-worker.mjs', import.meta.url);

type WorkerMessage =
  | { type: 'ready'; dimensions: number; threads: number }
  | { type: 'probed'; timings: Record<string, number[]> }
  | { type: 'init-error'; file: string; message: string }
  | { id: number; ok: true; vectors?: Float32Array[]; ids?: number[][] }
  | { id: number; ok: false; message: string };

/**
 * A small pool of worker threads running one ONNX model. Work is split into
 * jobs of a few texts; queries (priority) jump the queue, so a question is not
 * stuck behind a large document's batches. A worker that dies mid-job (crash,
 * OOM) is replaced and its job retried on the new one (a query lane past the
 * first is not replaced: its job goes back to the queue).
 */
export class InferencePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers spawned and not ready yet, by role: close terminates them, and no extra lane starts while a lane does. */
  private readonly starting = new Map<Worker, Slot['role']>();
  /** Why an extra lane failed to start: none is tried again (each would load the model anew under load). */
  extraLaneError: Error | undefined;
  /** Hidden size the model produced on its load probe. */
  dimensions = 0;
  /** Workers replaced after dying (for metrics and tests). */
  replacements = 0;
  /** Messages handed to workers (coalesced questions count once): for tests and benches. */
  passes = 0;
  /** The query lane's intra-op threads once it started (0 without a lane), and what its start-up timing measured. */
  queryLane: { threads: number; medianMsByThreads: Record<string, number> } = { threads: 0, medianMsByThreads: {} };
  /** Passes each running query lane took (for tests and benches). */
  get lanePasses(): number[] {
    return this.slots.filter((slot) => slot.role === 'query').map((slot) => slot.passes);
  }

  /** Workers running now, by role (the metrics' attest_local_model_workers). */
  get workerCounts(): { queryLanes: number; documents: number } {
    const live = this.slots.filter((slot) => !slot.retired);
    return { queryLanes: live.filter((slot) => slot.role === 'query').length, documents: live.filter((slot) => slot.role === 'any').length };
  }

  private constructor(private readonly options: Required<InferencePoolOptions>) {}

  /** Starts the workers; rejects with a ModelFileError naming the file if the model or tokenizer cannot be loaded. */
  static async open(options: InferencePoolOptions): Promise<InferencePool> {
    const workers = options.workers ?? Math.max(1, Math.min(2, availableParallelism()));
    const queryLane = (options.queryLane ?? true) && workers >= 2;
    const documentWorkers = queryLane ? workers - 1 : workers;
    const pool = new InferencePool({
      tokenBudget: 512,
      textsPerJob: 16,
      maxAttempts: 3,
      ...options,
      workers,
      queryLane,
      queryLanes: options.queryLanes ?? 2,
      laneIdleMs: options.laneIdleMs ?? 60_000,
      threadsPerWorker: options.threadsPerWorker ?? Math.max(1, Math.floor(availableParallelism() / documentWorkers)),
      queryThreads: options.queryThreads ?? (availableParallelism() >= 2 ? 'auto' : 1),
    });
    try {
      const roles: Slot['role'][] = Array.from({ length: workers }, (_unused, index) => (queryLane && index === 0 ? 'query' : 'any'));
      await Promise.all(roles.map((role) => pool.spawn(role)));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  async embed(texts: readonly string[], priority = false): Promise<Float32Array[]> {
    return (await this.run('embed', texts, priority)) as Float32Array[];
  }

  /** Token ids as the model sees them (with [CLS]/[SEP], before truncation). */
  async tokenize(texts: readonly string[]): Promise<number[][]> {
    return (await this.run('tokenize', texts, true)) as number[][];
  }

  /** Test hook: the next job the first document worker takes kills that worker halfway through. */
  crashNextJob(): void {
    this.slots.find((slot) => slot.role === 'any')?.worker.postMessage({ op: 'crash-next' });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('inference pool closed'));
    const starting = [...this.starting.keys()];
    this.starting.clear();
    await Promise.all([
      ...this.slots.splice(0).map((slot) => {
        slot.retired = true;
        clearTimeout(slot.idleTimer);
        for (const job of slot.job?.jobs ?? []) job.reject(new Error('inference pool closed'));
        return slot.worker.terminate();
      }),
      ...starting.map((worker) => worker.terminate()),
    ]);
  }

  private async run(op: Op, texts: readonly string[], priority: boolean): Promise<Float32Array[] | number[][]> {
    if (this.closed) throw new Error('inference pool closed');
    const parts: Promise<Float32Array[] | number[][]>[] = [];
    const jobs: Job[] = [];
    for (let start = 0; start < texts.length; start += this.options.textsPerJob) {
      const slice = texts.slice(start, start + this.options.textsPerJob);
      parts.push(
        new Promise((resolve, reject) => {
          jobs.push({ id: this.nextId++, op, priority, texts: slice, attempts: 0, resolve, reject });
        }),
      );
    }
    if (priority) this.queue.unshift(...jobs);
    else this.queue.push(...jobs);
    this.dispatch();
    return (await Promise.all(parts)).flat() as Float32Array[] | number[][];
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || slot.retired) continue;
      // The query lane takes priority work or nothing (a retried document batch may sit ahead of it). Beside a
      // lane the document workers take no questions: at background priority a question waits for CPU behind
      // everything else (50 clients, 3 runs each: pass p99 42–72 ms on the lane alone against 60–87 ms
      // shared, overhead p99 97–160 against 107–253 ms); coalescing lets the lane keep up instead.
      const index = slot.role === 'query' || this.options.queryLane ? this.queue.findIndex((queued) => queued.priority === (slot.role === 'query')) : 0;
      if (index < 0) continue;
      const [job] = this.queue.splice(index, 1);
      if (!job) break;
      const jobs = job.priority && job.op === 'embed' ? [job, ...this.takeQueuedQuestions(this.coalescingRoom(job))] : [job];
      const dispatch: Dispatch = { id: this.nextId++, jobs };
      slot.job = dispatch;
      slot.passes += 1;
      this.passes += 1;
      for (const member of jobs) member.attempts += 1;
      slot.worker.ref();
      slot.worker.postMessage({ id: dispatch.id, op: job.op, texts: jobs.flatMap((member) => member.texts) });
      clearTimeout(slot.idleTimer);
    }
    this.addLaneIfQuestionsWait();
  }

  /**
   * Starts one more query lane when a question is left waiting with every lane busy and the lanes' threads leave
   * room on the cores. It takes the first lane's thread count (spawn), without timing; a lane that fails to start
   * leaves the others as they were.
   */
  private addLaneIfQuestionsWait(): void {
    // Runs after every dispatch: the usual case, no question waiting, is decided before anything is allocated.
    if (this.closed || !this.options.queryLane || this.queryLane.threads === 0 || this.extraLaneError) return;
    if (!this.queue.some((job) => job.priority)) return;
    if ([...this.starting.values()].includes('query')) return;
    const lanes = this.slots.filter((slot) => slot.role === 'query' && !slot.retired);
    if (lanes.some((slot) => !slot.job)) return;
    const fitting = Math.floor(availableParallelism() / this.queryLane.threads);
    if (lanes.length >= Math.min(this.options.queryLanes, fitting)) return;
    this.spawn('query', true).catch((error: unknown) => {
      this.extraLaneError = error instanceof Error ? error : new Error(String(error));
    });
  }

  /** An extra lane with nothing to do stops after laneIdleMs; its next pass (dispatch) cancels the stop. */
  private stopWhenIdle(slot: Slot): void {
    if (!slot.extra || slot.retired) return;
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (slot.job || slot.retired) return;
      this.retire(slot);
      void slot.worker.terminate();
    }, this.options.laneIdleMs);
    slot.idleTimer.unref();
  }

  /** Takes a slot out of service: its exit from here on is expected. */
  private retire(slot: Slot): void {
    slot.retired = true;
    clearTimeout(slot.idleTimer);
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
  }

  /**
   * Texts that may join `job`'s pass: the free lanes' share of the questions waiting (itself and its own lane
   * included), at most a job's worth, so that a burst finding two lanes free goes half to each instead of all
   * into the first; a lane free alone takes what waits.
   */
  private coalescingRoom(job: Job): number {
    const lanes = Math.max(1, this.slots.filter((slot) => slot.role === 'query' && !slot.retired && !slot.job).length);
    const waiting = job.texts.length + this.queue.reduce((sum, queued) => sum + (queued.priority && queued.op === 'embed' ? queued.texts.length : 0), 0);
    return Math.min(this.options.textsPerJob, Math.ceil(waiting / lanes)) - job.texts.length;
  }

  /**
   * Questions queued behind the one being dispatched, up to `room` texts: under many concurrent questions they
   * go in one forward pass instead of one pass (and one thread hand-over) each, which left the query lane the
   * bottleneck of 50 concurrent answers.
   */
  private takeQueuedQuestions(room: number): Job[] {
    const taken: Job[] = [];
    for (let index = 0; index < this.queue.length && room > 0; ) {
      const queued = this.queue[index];
      if (queued && queued.priority && queued.op === 'embed' && queued.texts.length <= room) {
        this.queue.splice(index, 1);
        taken.push(queued);
        room -= queued.texts.length;
      } else {
        index += 1;
      }
    }
    return taken;
  }

  /** Hands each coalesced job its own slice of the pass's results. */
  private settle(dispatch: Dispatch, results: Float32Array[] | number[][]): void {
    let offset = 0;
    for (const job of dispatch.jobs) {
      job.resolve(results.slice(offset, offset + job.texts.length) as Float32Array[] | number[][]);
      offset += job.texts.length;
    }
  }

  private spawn(role: Slot['role'], extra = false): Promise<void> {
    const { modelPath, tokenizerPath, maxTokens, pooling, normalize, threadsPerWorker, queryThreads, tokenBudget } = this.options;
    // A replacement query worker keeps what the first one chose.
    const queryChoice = this.queryLane.threads > 0 ? this.queryLane.threads : queryThreads;
    const threads = role === 'query' ? (queryChoice === 'auto' ? 1 : queryChoice) : threadsPerWorker;
    const threadChoices = role === 'query' && queryChoice === 'auto' ? [1, 2] : [];
    // Beside a query lane the document workers run at background priority (this-thread.mjs): a document being
    // embedded on every core then leaves a core to the event loop and to questions at once. Without a lane the
    // one worker also embeds questions, so it keeps normal priority.
    const background = role === 'any' && this.options.queryLane;
    // The lane runs under SCHED_BATCH (this-thread.mjs): posting it a question then never costs the event loop its core.
    const lane = role === 'query';
    const worker = new Worker(WORKER_URL, { workerData: { modelPath, tokenizerPath, maxTokens, pooling, normalize, threads, threadChoices, tokenBudget, background, lane } });
    const slot: Slot = { role, worker, job: undefined, retired: false, passes: 0, extra };
    this.starting.set(worker, role);
    const started = new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: WorkerMessage) => {
        if ('type' in message) {
          if (message.type === 'probed') {
            const threadsChosen = chooseQueryThreads(message.timings);
            this.queryLane = { threads: threadsChosen, medianMsByThreads: Object.fromEntries(Object.entries(message.timings).map(([count, times]) => [count, median(times)])) };
            worker.postMessage({ op: 'keep', threads: threadsChosen });
            return;
          }
          if (message.type === 'ready') {
            ready = true;
            if (this.closed) {
              // An extra lane that finished starting after close.
              slot.retired = true;
              void worker.terminate();
              resolve();
              return;
            }
            this.dimensions = message.dimensions;
            if (role === 'query') this.queryLane = { ...this.queryLane, threads: message.threads };
            this.slots.push(slot);
            worker.unref();
            resolve();
            this.dispatch();
            if (!slot.job) this.stopWhenIdle(slot);
          } else {
            slot.retired = true;
            void worker.terminate();
            reject(new ModelFileError(message.file, `cannot be loaded (${message.message})`));
          }
          return;
        }
        const dispatch = slot.job;
        if (!dispatch || dispatch.id !== message.id) return;
        slot.job = undefined;
        worker.unref();
        if (message.ok) this.settle(dispatch, message.vectors ?? message.ids ?? []);
        else for (const job of dispatch.jobs) job.reject(new Error(`inference failed: ${message.message}`));
        this.dispatch();
        if (!slot.job) this.stopWhenIdle(slot);
      });
      const died = (reason: string) => {
        if (!ready) {
          reject(new ModelFileError(modelPath, `inference worker failed to start (${reason})`));
          return;
        }
        if (slot.retired) return;
        this.retire(slot);
        const dispatch = slot.job;
        slot.job = undefined;
        if (this.closed) return;
        for (const job of [...(dispatch?.jobs ?? [])].reverse()) {
          if (job.attempts >= this.options.maxAttempts) job.reject(new Error(`inference worker died ${job.attempts} times on one batch (${reason})`));
          else this.queue.unshift(job);
        }
        // An extra lane is not replaced: its questions go back to the queue, and more waiting may start another.
        if (slot.extra) {
          this.dispatch();
          return;
        }
        this.replacements += 1;
        this.spawn(slot.role).catch((error: unknown) => {
          // The model loaded before; failing now means the files changed under us: fail what waits rather than hang.
          for (const waiting of this.queue.splice(0)) waiting.reject(error instanceof Error ? error : new Error(String(error)));
        });
      };
      worker.on('error', (error) => died(error.message));
      worker.on('exit', (code) => died(`exit code ${code}`));
    });
    const settled = () => this.starting.delete(worker);
    started.then(settled, settled);
    return started;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The query lane's thread count from start-up timings of one question (wall ms by thread count): the fewest
 * threads unless more are at least a fifth quicker by median. Each extra thread costs CPU on every question
 * (waking it, handing work over), which a 2-core machine under load pays for in other answers' latency, so a
 * small gain in one question's wall time does not buy it.
 */
export function chooseQueryThreads(timings: Readonly<Record<string, readonly number[]>>): number {
  const counts = Object.keys(timings)
    .map(Number)
    .filter((count) => Number.isInteger(count) && count > 0 && (timings[count]?.length ?? 0) > 0)
    .sort((left, right) => left - right);
  let best = counts[0] ?? 1;
  for (const count of counts.slice(1)) {
    if (median(timings[count]!) <= 0.8 * median(timings[best]!)) best = count;
  }
  return best;
}
