import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previousTick } from '../../src/jobs/inline-scheduler';
import { bearer, type TestApp } from '../helpers/app';
import { HOLIDAY, missingCanary, startHookedApp, VALVE, type HookedApp } from '../helpers/canaries';
import { multipart } from '../helpers/multipart';
import type { WebhookReceiver } from '../helpers/webhook-receiver';

describe('recall canaries', () => {
  let hooked: HookedApp;
  let t: TestApp;
  let hook: WebhookReceiver;

  beforeAll(async () => {
    hooked = await startHookedApp(1, ([alerts]) => ({ ALERT_WEBHOOK_URL: alerts!.url }));
    t = hooked.t;
    hook = hooked.hooks[0]!;
  });
  afterAll(async () => {
    await hooked?.close();
  });

  const post = (url: string, payload?: Record<string, unknown>) => t.app.inject({ method: 'POST', url, headers: bearer(t.adminKey), ...(payload ? { payload } : {}) });
  const upload = async (corpus: string, name: string, content: string) => {
    const body = await multipart({}, { name, content, type: 'text/plain' });
    const response = await t.app.inject({ method: 'POST', url: `/v1/corpora/${corpus}/documents`, headers: { ...bearer(t.adminKey), ...body.headers }, payload: body.payload });
    await t.idle();
    return response.json() as { documentId: string };
  };

  it('alerts once when a scheduled run misses, lists the miss, and sends a recovery after re-upload', async () => {
    const corpus = (await post('/v1/corpora', { name: 'canary-flow' })).json();
    const valve = await upload(corpus.id, 'valve.txt', VALVE);
    await upload(corpus.id, 'holiday.txt', HOLIDAY);
    const created = await post(`/v1/corpora/${corpus.id}/canaries`, { query: 'Zephyrine valve torque', expect: { documentId: valve.documentId }, k: 5 });
    expect(created.statusCode).toBe(201);
    await post(`/v1/corpora/${corpus.id}/canaries`, { query: 'when does the support desk close for the holidays', expect: { chunkContains: 'closes at noon' }, k: 5 });

    const first = (await post(`/v1/corpora/${corpus.id}/canaries/run`)).json();
    expect(first).toMatchObject({ recallAtK: 1, mrr: 1, hits: 2, misses: [], alerted: false, k: expect.any(Number) });

    expect((await t.app.inject({ method: 'DELETE', url: `/v1/documents/${valve.documentId}`, headers: bearer(t.adminKey) })).statusCode).toBe(204);
    // The next scheduled runs: a cron ticking every second drives the in-process scheduler.
    const patched = await t.app.inject({ method: 'PATCH', url: `/v1/corpora/${corpus.id}/canary-settings`, headers: bearer(t.adminKey), payload: { cron: '* * * * * *' } });
    expect(patched.statusCode).toBe(200);
    const [alert] = await hook.waitFor(1);
    // Let more ticks run (two after the alerting one; each misses again): the alert stays open, so no second webhook.
    const scheduledRuns = async () =>
      ((await t.app.inject({ method: 'GET', url: `/v1/corpora/${corpus.id}/canary-runs`, headers: bearer(t.adminKey) })).json().runs as { trigger: string }[]).filter((run) => run.trigger === 'schedule').length;
    const alerting = await scheduledRuns();
    const deadline = Date.now() + 15_000;
    while ((await scheduledRuns()) < alerting + 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await t.app.inject({ method: 'PATCH', url: `/v1/corpora/${corpus.id}/canary-settings`, headers: bearer(t.adminKey), payload: { cron: '0 3 * * *' } });
    await t.idle();
    expect(hook.received).toHaveLength(1);
    expect(alert).toMatchObject({ kind: 'alert', cause: 'recall_below_threshold', value: 0.5, previous: 1, corpus: { id: corpus.id, name: 'canary-flow' } });
    expect(alert?.text).toContain('Zephyrine valve torque');
    expect(alert?.misses).toEqual([expect.objectContaining({ query: 'Zephyrine valve torque' })]);

    const runs = (await t.app.inject({ method: 'GET', url: `/v1/corpora/${corpus.id}/canary-runs`, headers: bearer(t.adminKey) })).json().runs;
    const scheduled = runs.filter((run: { trigger: string }) => run.trigger === 'schedule');
    expect(scheduled.length).toBeGreaterThanOrEqual(2);
    expect(scheduled.filter((run: { alerted: boolean }) => run.alerted)).toHaveLength(1);
    const alerts = (await t.app.inject({ method: 'GET', url: `/v1/corpora/${corpus.id}/alerts`, headers: bearer(t.adminKey) })).json().alerts;
    // Two causes are open (below threshold, and a drop from 1 to 0.5), announced in one webhook.
    expect(alerts.map((item: { cause: string }) => item.cause).sort()).toEqual(['recall_below_threshold', 'recall_drop']);
    expect(alert?.causes).toEqual(['recall_below_threshold', 'recall_drop']);

    await upload(corpus.id, 'valve-again.txt', VALVE);
    // The re-uploaded document has a new id: point the canary at the text instead.
    const canaries = (await t.app.inject({ method: 'GET', url: `/v1/corpora/${corpus.id}/canaries`, headers: bearer(t.adminKey) })).json().canaries;
    const valveCanary = canaries.find((canary: { query: string }) => canary.query === 'Zephyrine valve torque');
    await t.app.inject({ method: 'DELETE', url: `/v1/corpora/${corpus.id}/canaries/${valveCanary.id}`, headers: bearer(t.adminKey) });
    await post(`/v1/corpora/${corpus.id}/canaries`, { query: 'Zephyrine valve torque', expect: { chunkContains: 'torqued to 42 newton metres' }, k: 5 });
    const recovered = (await post(`/v1/corpora/${corpus.id}/canaries/run`)).json();
    expect(recovered.recallAtK).toBe(1);
    const messages = await hook.waitFor(2);
    expect(messages[1]).toMatchObject({ kind: 'recovery', cause: 'recall_below_threshold', value: 1 });
    expect((await t.app.inject({ method: 'GET', url: `/v1/corpora/${corpus.id}/alerts`, headers: bearer(t.adminKey) })).json().alerts).toEqual([]);
  });

  it('retries a webhook whose receiver is down until it is delivered', async () => {
    const { run: runNow } = await missingCanary(t, 'canary-retry');
    const before = hook.received.length;
    const attemptsBefore = hook.attempts;
    hook.failNext([503, 500, 502]);
    const run = await runNow();
    expect(run).toMatchObject({ recallAtK: 0, alerted: true });
    await hook.waitFor(before + 1);
    await t.idle();
    expect(hook.received.length).toBe(before + 1);
    expect(hook.attempts - attemptsBefore).toBe(4);
    expect(hook.received.at(-1)).toMatchObject({ kind: 'alert', corpus: { name: 'canary-retry' } });
  });

  it('keeps a build whose canaries fail from being promoted, until forced', async () => {
    const corpus = (await post('/v1/corpora', { name: 'canary-gate' })).json();
    const paragraphs = Array.from({ length: 12 }, (_unused, index) => `Section ${index + 1}. ${VALVE} ${HOLIDAY} Replacement part number ZX-${100 + index} ships within ${index + 2} days.`).join('\n\n');
    await upload(corpus.id, 'manual.txt', paragraphs);
    await post(`/v1/corpora/${corpus.id}/canaries`, { query: 'replacement part ZX-105', expect: { chunkContains: 'ZX-105' }, k: 3 });
    // A much smaller chunker: far more chunks than the active build (beyond the 10% the gate allows).
    const started = await post(`/v1/corpora/${corpus.id}/builds`, { chunker: { targetTokens: 40, overlapTokens: 0, maxTokens: 60 } });
    expect(started.statusCode).toBe(202);
    await t.idle();
    const build = (await t.app.inject({ method: 'GET', url: `/v1/builds/${started.json().build.id}`, headers: bearer(t.adminKey) })).json();
    expect(build.status).toBe('ready');
    expect(build.canaryReport.passed).toBe(false);
    expect(build.canaryReport.reasons.join(' ')).toMatch(/chunk count/);
    const refreshed = (await t.app.inject({ method: 'GET', url: `/v1/corpora/${corpus.id}`, headers: bearer(t.adminKey) })).json();
    expect(refreshed.activeBuildId).toBe(corpus.activeBuildId);

    const refused = await post(`/v1/builds/${build.id}/promote`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('BUILD_NOT_PROMOTABLE');
    const forced = await post(`/v1/builds/${build.id}/promote?force=true`);
    expect(forced.statusCode).toBe(200);
    expect(forced.json().status).toBe('active');
    const after = (await t.app.inject({ method: 'GET', url: `/v1/corpora/${corpus.id}`, headers: bearer(t.adminKey) })).json();
    expect(after.activeBuildId).toBe(build.id);
  });

  it('promotes a build automatically when its canaries pass', async () => {
    const corpus = (await post('/v1/corpora', { name: 'canary-pass' })).json();
    await upload(corpus.id, 'valve.txt', VALVE);
    await post(`/v1/corpora/${corpus.id}/canaries`, { query: 'Zephyrine valve torque', expect: { chunkContains: 'torqued to 42' }, k: 3 });
    const started = await post(`/v1/corpora/${corpus.id}/builds`, { chunker: { targetTokens: 300 } });
    await t.idle();
    const build = (await t.app.inject({ method: 'GET', url: `/v1/builds/${started.json().build.id}`, headers: bearer(t.adminKey) })).json();
    expect(build.canaryReport).toMatchObject({ passed: true });
    expect(build.status).toBe('active');
  });

  it('proposes canaries from the corpus itself', async () => {
    const corpus = (await post('/v1/corpora', { name: 'canary-generate' })).json();
    await upload(corpus.id, 'valve.txt', `${VALVE} The inspection checklist lists seventeen separate gasket measurements.`);
    await upload(corpus.id, 'holiday.txt', HOLIDAY);
    const response = await post(`/v1/corpora/${corpus.id}/canaries/generate`, { count: 5 });
    expect(response.statusCode).toBe(200);
    const { proposals } = response.json();
    expect(proposals.length).toBe(2);
    for (const proposal of proposals) {
      expect(proposal.query.split(' ').length).toBeGreaterThanOrEqual(3);
      // A proposal must be findable: it hits its own document in the top k.
      const search = (await post(`/v1/corpora/${corpus.id}/search`, { query: proposal.query, k: proposal.k })).json();
      expect(search.results.map((result: { documentId: string }) => result.documentId)).toContain(proposal.expect.documentId);
    }
  });

  it('runs a missed tick once at start, not once per missed tick', async () => {
    const corpus = (await post('/v1/corpora', { name: 'canary-missed' })).json();
    await upload(corpus.id, 'valve.txt', VALVE);
    await post(`/v1/corpora/${corpus.id}/canaries`, { query: 'Zephyrine valve torque', expect: { chunkContains: 'torqued' }, k: 3 });
    await t.app.inject({ method: 'PATCH', url: `/v1/corpora/${corpus.id}/canary-settings`, headers: bearer(t.adminKey), payload: { cron: '0 * * * *' } });
    // "Now" is three hours after creation: three hourly ticks were missed while the process was down.
    const later = new Date(Date.now() + 3 * 3600_000);
    const schedules = t.container.services.canarySchedules;
    const before = await schedules.runMissedTicks(later);
    const again = await schedules.runMissedTicks(later);
    expect(before).toBeGreaterThanOrEqual(1);
    expect(again).toBe(0);
    const runs = (await t.app.inject({ method: 'GET', url: `/v1/corpora/${corpus.id}/canary-runs`, headers: bearer(t.adminKey) })).json().runs;
    expect(runs.filter((run: { trigger: string }) => run.trigger === 'schedule')).toHaveLength(1);
    expect(previousTick('0 * * * *', 'UTC', later)?.getUTCMinutes()).toBe(0);
  });
});
