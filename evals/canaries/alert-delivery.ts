import { eq, sql } from 'drizzle-orm';
import { fnv1a, FNV_OFFSET } from '../../src/core/fnv1a';
import type { Db } from '../../src/core/db/client';
import { alerts } from '../../src/core/db/schema';
import { AppError } from '../../src/core/errors';
import { OutboundGuard, OutboundTargetForbidden } from '../../src/core/net/outbound-guard';
import type { JobQueue } from '../../src/jobs/ports';

export const DELIVER_ALERT_JOB = 'deliver-alert';
/** With exponential backoff from 1 s this spans about 17 minutes before giving up. */
const DELIVERY_ATTEMPTS = 10;

export interface AlertDeliveryOptions {
  timeoutMs?: number;
  /** The rule for tenant-supplied webhooks (set through the API): public addresses, or hosts the operator allows. */
  guard?: OutboundGuard;
  /** The operator's own webhooks (ALERT_WEBHOOK_URL): whatever address they have, the operator chose them. */
  operatorUrls?: readonly string[];
}

/**
 * Webhook delivery as jobs: each (alert, url) is its own job retried with
 * backoff by the queue, so a receiver that is down gets the message when it
 * comes back, and one slow hook does not hold up the others. Each URL is checked
 * again when it is called (resolved, every address checked, connected to a
 * checked one, no redirect followed): a target that became internal is refused.
 */
export class AlertDelivery {
  private readonly guard: OutboundGuard;
  private readonly operatorGuard = new OutboundGuard({ allowInternal: true });
  private readonly operatorUrls: ReadonlySet<string>;

  constructor(
    private readonly db: Db,
    private readonly queue: JobQueue,
    private readonly options: AlertDeliveryOptions = {},
  ) {
    this.guard = options.guard ?? new OutboundGuard();
    this.operatorUrls = new Set(options.operatorUrls ?? []);
  }

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
    const guard = this.operatorUrls.has(url) ? this.operatorGuard : this.guard;
    const response = await guard
      .request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'attest-canaries' },
        body: JSON.stringify(payload),
        timeoutMs: this.options.timeoutMs ?? 10_000,
        maxResponseBytes: 4096,
      })
      .catch((error: unknown) => {
        if (error instanceof OutboundTargetForbidden) throw new AppError('WEBHOOK_TARGET_FORBIDDEN', `webhook ${redact(url)} refused: ${error.reason}`, { retryable: false });
        throw new AppError('PROVIDER_ERROR', `webhook ${redact(url)} unreachable: ${error instanceof Error ? error.message : String(error)}`, { retryable: true });
      });
    // A redirect is not followed (it could point anywhere, an internal address included): it counts as a failure.
    if (response.status < 200 || response.status >= 300) {
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
