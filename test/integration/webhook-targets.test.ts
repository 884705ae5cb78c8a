import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCorpusById } from '../../src/core/corpora';
import { bearer, type TestApp } from '../helpers/app';
import { missingCanary, startHookedApp, type HookedApp } from '../helpers/canaries';
import type { WebhookReceiver } from '../helpers/webhook-receiver';

describe('canary webhooks a tenant sets may not reach internal addresses', () => {
  let hooked: HookedApp;
  let t: TestApp;
  let hook: WebhookReceiver;
  let operatorHook: WebhookReceiver;

  beforeAll(async () => {
    // The operator's own hook (the second) is on loopback: it stays allowed (the operator chose it).
    hooked = await startHookedApp(2, ([, operator]) => ({ ALERT_WEBHOOK_URL: operator!.url }));
    t = hooked.t;
    [hook, operatorHook] = [hooked.hooks[0]!, hooked.hooks[1]!];
  });
  afterAll(async () => {
    await hooked?.close();
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
  let hooked: HookedApp;
  let t: TestApp;
  let hook: WebhookReceiver;
  beforeAll(async () => {
    hooked = await startHookedApp(1, () => ({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' }));
    t = hooked.t;
    hook = hooked.hooks[0]!;
  });
  afterAll(async () => {
    await hooked?.close();
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
