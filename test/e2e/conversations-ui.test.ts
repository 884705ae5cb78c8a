import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { memoryStore } from '../helpers/stores';
import { createTestApp, type TestApp } from '../helpers/app';
import { describeInChromium, ensureUiBuilt, launchChromium, type LaunchedBrowser } from '../helpers/browser';
import { answerOf, chatMessages, fakeProviderEnv, uploadText } from '../helpers/answers';
import { startFakeProviders, type FakeProviders } from '../fake-providers/server';

/**
 * The Conversations tab in Chromium: a follow-up shows what it searched for, a reload keeps the thread,
 * citations open in the evidence panel, Stop cancels the provider call (seen closed at the fake provider),
 * Regenerate replaces the last turn with a fresh answer, conversations are renamed and deleted.
 */
const SHOTS = join(process.cwd(), 'test-output/screenshots');
const ROUTER =
  'Zephyr X200 router reset\n\nTo reset the Zephyr X200 router, hold the recessed reset button for ten seconds until the status light blinks amber. The Zephyr X200 router needs its Ethernet cable plugged into port 1 during the reset.\n';

const RESET_QUOTE = 'hold the recessed reset button for ten seconds';
const CABLE_QUOTE = 'needs its Ethernet cable plugged into port 1';

/** The [n] of the source holding `quote` in a chat request (the fake answers as a model reading it would). */
function sourceHolding(body: unknown, quote: string): number {
  const text = chatMessages({ body }).map((message) => message.content).join('\n');
  for (const match of text.matchAll(/<source id="(\d+)"[^>]*>([\s\S]*?)<\/source>/gu)) if (match[2]?.includes(quote)) return Number(match[1]);
  return 1;
}

describeInChromium('conversations UI in Chromium', () => {
  let t: TestApp;
  let fake: FakeProviders;
  /** While set, the provider takes 20 s to answer (time enough to press Stop). */
  let slow = false;
  let base: string;
  let browser: LaunchedBrowser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureUiBuilt();
    const store = await memoryStore();
    fake = await startFakeProviders();
    // Generation at the fake provider (so Stop has a call to cancel); the deterministic follow-up rewrite.
    fake.script('openai.chat', ({ body }) => {
      const asked = chatMessages({ body }).at(-1)?.content ?? '';
      const quote = /need a cable/u.test(asked) ? CABLE_QUOTE : RESET_QUOTE;
      const answer = answerOf([{ text: quote === CABLE_QUOTE ? 'It needs its Ethernet cable in port 1.' : 'Hold the reset button for ten seconds.', source: sourceHolding(body, quote), quote }]);
      return slow ? { answer, latencyMs: 20_000 } : { answer };
    });
    t = await createTestApp({ store, env: fakeProviderEnv(fake, { REWRITER: 'local' }) });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const created = await t.app.inject({ method: 'POST', url: '/v1/corpora', headers: { authorization: `Bearer ${t.adminKey}` }, payload: { name: 'Routers' } });
    expect(created.statusCode).toBe(201);
    await uploadText(t, 'Routers', 'router.txt', ROUTER);
    await uploadText(t, 'Routers', 'speaker.txt', 'Nimbus speaker charging\n\nThe Nimbus speaker charges over a USB-C cable. Charging takes two hours.\n');
    browser = await launchChromium({ width: 1280, height: 900 });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (error) => problems.push(error.message));
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await fake?.close();
  }, 120_000);

  it('holds a conversation, shows the rewritten search, keeps the thread on reload and copies it', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('API key').fill(t.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Conversations' }).click();
    await page.getByTestId('new-conversation').click();
    await page.getByLabel('Message').fill('How do I reset the Zephyr X200 router?');
    await page.getByTestId('send-message').click();
    await expect.poll(() => page.locator('.turn').count(), { timeout: 20_000 }).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'conversation-turn-1.png'), fullPage: true });
    await expect.poll(() => page.locator('.turn').first().textContent()).toMatch(/ten seconds/);

    await page.getByLabel('Message').fill('does it need a cable?');
    await page.getByTestId('send-message').click();
    await expect.poll(() => page.locator('.turn:not(.pending)').count(), { timeout: 20_000 }).toBe(2);
    expect(await page.getByTestId('searched-for').first().textContent()).toMatch(/Searched for: Does the Zephyr X200 router need a cable\?/);
    await page.screenshot({ path: join(SHOTS, 'conversation-thread.png'), fullPage: true });

    await page.reload();
    await page.getByRole('tab', { name: 'Conversations' }).click();
    await expect.poll(() => page.locator('.turn').count(), { timeout: 20_000 }).toBe(2);
    expect(await page.getByTestId('conversation-title').textContent()).toBe('How do I reset the Zephyr X200 router?');

    await page.getByTestId('copy-conversation').click();
    await expect.poll(() => page.getByTestId('conversation-status').textContent()).toBe('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('Q2: does it need a cable?');
    expect(copied).toContain('(searched for: Does the Zephyr X200 router need a cable?)');
    expect(copied).toMatch(/\[1\] ".*Ethernet cable.*" \(router\.txt/);
    expect(problems).toEqual([]);
  }, 120_000);
  it('opens evidence, stops a turn at the provider, regenerates the last turn, renames and deletes', async () => {
    // Continues the conversation of the test above (its thread is open after the reload).
    await expect.poll(() => page.locator('.turn').count(), { timeout: 20_000 }).toBe(2);
    await page.getByTestId('open-evidence').first().click();
    await expect.poll(() => page.getByTestId('evidence-panel').locator('mark').textContent()).toMatch(/hold the recessed reset button for ten seconds/i);
    await page.screenshot({ path: join(SHOTS, 'conversation-evidence.png'), fullPage: true });

    const generations = () => fake.calls.filter((call) => call.route === 'openai.chat');
    const before = generations().length;
    slow = true;
    await page.getByLabel('Message').fill('How long does the status light blink?');
    await page.getByTestId('send-message').click();
    await expect.poll(() => generations().length, { timeout: 20_000 }).toBe(before + 1);
    await page.getByTestId('stop').click();
    // The server cancelled the provider call when the stream closed, long before the provider's 20 s.
    await expect.poll(() => generations().at(-1)?.clientClosed, { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('conversation-status').textContent()).toBe('Stopped: this question was not answered.');
    expect(await page.locator('.turn:not(.pending)').count()).toBe(2);
    slow = false;

    // Regenerate: the last turn answered afresh (a new provider call, not the answer cache) and replaced.
    const lastTrace = () => page.locator('.turn').last().getAttribute('data-trace');
    const traceBefore = await lastTrace();
    await page.getByTestId('regenerate').click();
    await expect.poll(() => generations().length, { timeout: 20_000 }).toBe(before + 2);
    await expect.poll(lastTrace, { timeout: 20_000 }).not.toBe(traceBefore);
    expect(await page.locator('.turn').count()).toBe(2);
    expect(await page.locator('.turn').last().textContent()).toMatch(/Ethernet cable/);

    // A turn's rating is kept with the conversation.
    await page.getByRole('button', { name: 'Helpful: turn 2', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Helpful: turn 2', exact: true }).getAttribute('aria-pressed')).toBe('true');
    const conversationId = await page.evaluate(() => sessionStorage.getItem('attest.conversation'));
    const stored = await t.app.inject({ method: 'GET', url: `/v1/conversations/${conversationId}`, headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(stored.json().messages.map((message: { feedback: string | null }) => message.feedback)).toEqual([null, 'up']);

    page.once('dialog', (dialog) => void dialog.accept('Router reset ticket'));
    await page.getByRole('button', { name: /^Rename / }).first().click();
    await expect.poll(() => page.getByTestId('conversation-title').textContent()).toBe('Router reset ticket');
    await expect.poll(() => page.getByTestId('conversation-list').textContent()).toContain('Router reset ticket');

    await page.getByTestId('new-conversation').click();
    await expect.poll(() => page.getByTestId('conversation-list').locator('li').count()).toBe(2);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete conversation' }).click();
    await expect.poll(() => page.getByTestId('conversation-list').locator('li').count()).toBe(1);
    expect(await page.getByTestId('conversation-title').textContent()).toBe('No conversation open');
    expect(problems).toEqual([]);
  }, 120_000);
});
