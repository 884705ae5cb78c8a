import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCorpusById } from '../../src/core/corpora';
import { migrateStore, openStore } from '../../src/core/db/client';
import { bearer, createTestApp, type TestApp } from '../helpers/app';
import { multipart } from '../helpers/multipart';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

const HOLIDAY = 'Holiday schedule: the support desk closes at noon on the last Friday of December.';

/** A corpus whose canary misses, so a run raises an alert; returns the corpus. */
async function missingCanary(t: TestApp, name: string) {
  const post = (url: string, payload?: Record<string, unknown>) => t.app.inject({ method: 'POST', url, headers: bearer(t.adminKey), ...(payload ? { payload } : {}) });
  const corpus = (await post('/v1/corpora', { name })).json();
  const body = await multipart({}, { name: 'holiday.txt', content: HOLIDAY, type: 'text/plain' });
  await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus.id}/documents`, headers: { ...bearer(t.adminKey), ...body.headers }, payload: body.payload });
  await t.idle();
  await post(`/v1/corpora/${corpus.id}/canaries`, { query: 'Zephyrine valve torque', expect: { chunkContains: 'torqued to 42' }, k: 3 });
  return { corpus, run: async () => (await post(`/v1/corpora/${corpus.id}/canaries/run`)).json() };
}

describe('canary webhooks a tenant sets may not reach internal addresses', () => {
  let t: TestApp;
  let hook: WebhookReceiver;
  let operatorHook: WebhookReceiver;

  beforeAll(async () => {
    hook = await startWebhookReceiver();
    operatorHook = await startWebhookReceiver();
    const store = await openStore({ dataDir: 'memory://' });
    await migrateStore(store);
    // The operator's own hook is on loopback: it stays allowed (the operator chose it).
    t = await createTestApp({ store, env: { ALERT_WEBHOOK_URL: operatorHook.url } });
  });
  afterAll(async () => {
    await t?.close();
    await hook?.close();
    await operatorHook?.close();
  });

  const patch = (corpus: string, webhooks: string[]) =>
    t.app.inject({ method: 'PATCH', url: `/v1/corpora/${corpus}/canary-settings`, headers: bearer(t.adminKey), payload: { webhooks } });

  it('refuses loopback, private, link-local (metadata), unique-local and local-name targets with 422 WEBHOOK_TARGET_FORBIDDEN', async () => {
    const corpus = (await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: bearer(t.adminKey), payload: { name: 'hooks-refused' } })).json();
    for (const url of [hook.url, 'http://127.0.0.1:9/x', 'http://2130706433:9/x', 'http://[::1]:9/', 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.8/hook', 'http://192.168.0.1/hook', 'http://[fd00:ec2::254]/', 'http://localhost:9/x', 'http://[::ffff:127.0.0.1]:9/']) {
      const response = await patch(corpus.id, ['https://hooks.example.test/ok', url]);
      expect({ url, status: response.statusCode, code: response.json().error?.code }).toEqual({ url, status: 422, code: 'WEBHOOK_TARGET_FORBIDDEN' });
    }
    const settings = (await t.app.inject({ method: 'GET', url: `/v1/corpora/${corpus.id}/canary-settings`, headers: bearer(t.adminKey) })).json();
    expect(settings.webhooks).toEqual([operatorHook.url]);
    // A public-looking name is accepted (it does not resolve here: delivery checks it again).
    expect((await patch(corpus.id, ['https://hooks.example.test/ok'])).statusCode).toBe(200);
    // The operator's own URL, sent back as it was read, is accepted too.
    expect((await patch(corpus.id, [operatorHook.url])).statusCode).toBe(200);
  });

  it('refuses at send time a stored internal target (set before the check, or a name that now resolves inside) and still delivers to the operator\'s loopback hook', async () => {
    const { corpus, run } = await missingCanary(t, 'hooks-send-time');
    // Stored without the API's check, as a webhook saved by an older version would be.
    const row = await getCorpusById(t.container.store.db, corpus.id);
    await t.container.services.canaries.updateSettings(row!, { webhooks: [hook.url, operatorHook.url] });
    const operatorBefore = operatorHook.received.length;
    expect(await run()).toMatchObject({ recallAtK: 0, alerted: true });
    await operatorHook.waitFor(operatorBefore + 1);
    await t.idle();
    expect(operatorHook.received.length).toBe(operatorBefore + 1);
    expect(hook.attempts).toBe(0);
  });
});

describe('OUTBOUND_ALLOW_HOSTS', () => {
  let t: TestApp;
  let hook: WebhookReceiver;
  beforeAll(async () => {
    hook = await startWebhookReceiver();
    const store = await openStore({ dataDir: 'memory://' });
    await migrateStore(store);
    t = await createTestApp({ store, env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1' } });
  });
  afterAll(async () => {
    await t?.close();
    await hook?.close();
  });

  it('lets the operator allow an internal host for tenant webhooks, and only that one', async () => {
    const { corpus, run } = await missingCanary(t, 'hooks-allowed');
    const refused = await t.app.inject({ method: 'PATCH', url: `/v1/corpora/${corpus.id}/canary-settings`, headers: bearer(t.adminKey), payload: { webhooks: ['http://10.0.0.8/hook'] } });
    expect(refused.statusCode).toBe(422);
    const accepted = await t.app.inject({ method: 'PATCH', url: `/v1/corpora/${corpus.id}/canary-settings`, headers: bearer(t.adminKey), payload: { webhooks: [hook.url] } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(await run()).toMatchObject({ recallAtK: 0, alerted: true });
    const [alert] = await hook.waitFor(1);
    expect(alert).toMatchObject({ kind: 'alert', corpus: { name: 'hooks-allowed' } });
  });
});
