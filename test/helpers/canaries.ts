import { bearer, createMemoryApp, type TestApp } from './app';
import { multipart } from './multipart';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

export const VALVE = 'The Zephyrine valve assembly must be torqued to 42 newton metres after the quarterly inspection.';
export const HOLIDAY = 'Holiday schedule: the support desk closes at noon on the last Friday of December.';

export interface HookedApp {
  t: TestApp;
  /** The receivers, in the order asked for. */
  hooks: WebhookReceiver[];
  close(): Promise<void>;
}

/**
 * Webhook receivers on loopback and an app on a fresh in-memory store whose environment may name them
 * (ALERT_WEBHOOK_URL, OUTBOUND_ALLOW_HOSTS, ...): the set-up of the canary alert suites.
 */
export async function startHookedApp(receivers: number, env: (hooks: WebhookReceiver[]) => Record<string, string>): Promise<HookedApp> {
  const hooks: WebhookReceiver[] = [];
  try {
    for (let index = 0; index < receivers; index++) hooks.push(await startWebhookReceiver());
    const t = await createMemoryApp({ env: env(hooks) });
    return {
      t,
      hooks,
      async close() {
        await t.close();
        for (const hook of hooks) await hook.close();
      },
    };
  } catch (error) {
    for (const hook of hooks) await hook.close();
    throw error;
  }
}

/**
 * A corpus holding only the holiday notice, with a canary for the valve text it lacks: every run misses, so a
 * run raises an alert. Returns the corpus and a manual run.
 */
export async function missingCanary(t: TestApp, name: string): Promise<{ corpus: { id: string; activeBuildId: string }; run(): Promise<Record<string, unknown>> }> {
  const post = (url: string, payload?: Record<string, unknown>) => t.app.inject({ method: 'POST', url, headers: bearer(t.adminKey), ...(payload ? { payload } : {}) });
  const corpus = (await post('/v1/corpora', { name })).json() as { id: string; activeBuildId: string };
  const body = await multipart({}, { name: 'holiday.txt', content: HOLIDAY, type: 'text/plain' });
  await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus.id}/documents`, headers: { ...bearer(t.adminKey), ...body.headers }, payload: body.payload });
  await t.idle();
  await post(`/v1/corpora/${corpus.id}/canaries`, { query: 'Zephyrine valve torque', expect: { chunkContains: 'torqued to 42' }, k: 3 });
  return { corpus, run: async () => (await post(`/v1/corpora/${corpus.id}/canaries/run`)).json() as Record<string, unknown> };
}
