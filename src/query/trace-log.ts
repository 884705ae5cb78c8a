import { and, eq } from 'drizzle-orm';
import type { Db } from '../core/db/client';
import { answerTraces } from '../core/db/schema';
import { AppError } from '../core/errors';
import { WriteBatcher } from '../core/write-batcher';

/**
 * Traces are written in batches just after their answer is sent (see TraceLog), so a server that dies in those
 * few milliseconds loses the traces of the answers it had just given: their ids read as not found, and say why.
 */
export function traceNotFound(id: string): AppError {
  return new AppError('TRACE_NOT_FOUND', `trace ${id} not found (a trace is written just after its answer; one whose server stopped in between was lost)`);
}

export type TraceRow = typeof answerTraces.$inferInsert & { id: string; createdAt: Date };

export interface TraceLogOptions {
  /** How long a trace waits for others to share its INSERT (default 50 ms). */
  delayMs?: number;
  /** Traces held while the store is down (default 10,000); past it the oldest are dropped. */
  maxPending?: number;
  onError?(error: unknown, dropped: number): void;
}

/**
 * The answer traces: written in batches off the answer's path (see WriteBatcher),
 * read back after this process's pending traces are written, so that a trace is
 * readable as soon as the answer that names it has been sent. Another API
 * process sees it once the batch is written (`delayMs`).
 */
export class TraceLog {
  private readonly batcher: WriteBatcher<TraceRow>;

  constructor(
    private readonly db: Db,
    options: TraceLogOptions = {},
  ) {
    this.batcher = new WriteBatcher<TraceRow>({
      write: async (rows) => {
        // Idempotent: after a dropped connection a batch is retried, and its INSERT may have committed before the
        // connection died. Without this the retry failed on the committed rows' keys (23505, not an outage), and
        // the batch's other traces were dropped with it.
        await db.insert(answerTraces).values(rows).onConflictDoNothing({ target: answerTraces.id });
      },
      delayMs: options.delayMs ?? 50,
      maxBatch: 200,
      maxPending: options.maxPending ?? 10_000,
      retryDelayMs: 1_000,
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  record(row: TraceRow): void {
    this.batcher.add(row);
  }

  async find(tenantId: string, id: string): Promise<typeof answerTraces.$inferSelect | undefined> {
    // Also waits for a batch being written. A failed write leaves the store's error to the read below
    // (503 when it is down), not a 404.
    await this.batcher.flush().catch(() => undefined);
    const [row] = await this.db
      .select()
      .from(answerTraces)
      .where(and(eq(answerTraces.id, id), eq(answerTraces.tenantId, tenantId)));
    return row;
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }
}
