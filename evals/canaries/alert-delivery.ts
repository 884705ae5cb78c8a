import { eq, sql } from 'drizzle-orm';
import { fnv1a, FNV_OFFSET } from '../../src/core/fnv1a';
import type { Db } from '../../src/core/db/client';
import { alerts } from '../../src/core/db/schema';
import { AppError } from '../../src/core/errors';
import type { JobQueue } from '../../src/jobs/ports';

export const DELIVER_ALERT_JOB = 'deliver-alert';
/** With exponential backoff from 1 s this spans about 17 minutes before giving up. */
const DELIVERY_ATTEMPTS = 10;

export interface AlertDeliveryOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Webhook delivery as jobs: each (alert, url) is its own job retried with
 * backoff by the queue, so a receiver that is down gets the message when it
 * comes back, and one slow hook does not hold up the others.
 */
export class AlertDelivery {
  constructor(
    private readonly db: Db,
    private readonly queue: JobQueue,
    private readonly options: AlertDeliveryOptions = {},
  ) {}

  registerHandlers(queue: JobQueue = this.queue): void {
    queue.register<{ alertId: string; url: string; kind: 'alert' | 'recovery' }>(DELIVER_ALERT_JOB, (data) => this.deliver(data.alertId, data.url, data.kind));
  }

  async enqueue(alertId: string, tenantId: string, urls: readonly string[], kind: 'alert' | 'recovery'): Promise<void> {
    for (const url of urls) {
      await this.queue.enqueue(DELIVER_ALERT_JOB, { alertId, url, kind }, { tenantId, jobId: deliveryJobId(alertId, url, kind), maxAttempts: DELIVERY_ATTEMPTS });
    }
  }

  private async deliver(alertId: string, url: string, kind: 'alert' | 'recovery'): Promise<Record<string, unknown>> {
    const [alert] = await this.db.select().from(alerts).where(eq(alerts.id, alertId));
    if (!alert) return { skipped: 'alert deleted' };
    const payload = kind === 'recovery' ? (alert.payload.recovery as Record<string, unknown> | undefined) ?? alert.payload : alert.payload;
    await this.db.update(alerts).set({ deliveries: sql`${alerts.deliveries} + 1` }).where(eq(alerts.id, alertId));
    const response = await (this.options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'attest-canaries' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    }).catch((error: unknown) => {
      throw new AppError('PROVIDER_ERROR', `webhook ${redact(url)} unreachable: ${error instanceof Error ? error.message : String(error)}`, { retryable: true });
    });
    if (!response.ok) {
      throw new AppError('PROVIDER_ERROR', `webhook ${redact(url)} answered ${response.status}`, { retryable: response.status >= 500 || response.status === 429 });
    }
    if (kind === 'alert') await this.db.update(alerts).set({ delivered: true }).where(eq(alerts.id, alertId));
    return { delivered: true, status: response.status };
  }
}

export function deliveryJobId(alertId: string, url: string, kind: 'alert' | 'recovery'): string {
  return `alert-${kind}-${alertId}-${hashUrl(url)}`;
}

function hashUrl(url: string): string {
  return fnv1a(FNV_OFFSET, url).toString(16);
}

/** Webhook URLs often embed a token in the path (Slack): never log more than the origin. */
function redact(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid-url';
  }
}
