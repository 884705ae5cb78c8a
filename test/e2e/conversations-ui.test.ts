import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateStore, openStore } from '../../src/core/db/client';
import { createTestApp, type TestApp } from '../helpers/app';
import { chromiumAvailability, ensureUiBuilt, isCI, launchChromium, type LaunchedBrowser } from '../helpers/browser';
import { uploadText } from '../helpers/answers';

/** The Conversations tab in Chromium: a follow-up shows what it searched for, and a reload keeps the thread. */
const SHOTS = join(process.cwd(), 'test-output/screenshots');
const ROUTER =
  'Zephyr X200 router reset\n\nTo reset the Zephyr X200 router, hold the recessed reset button for ten seconds until the status light blinks amber. The Zephyr X200 router needs its Ethernet cable plugged into port 1 during the reset.\n';

const availability = chromiumAvailability();
if (!availability.ok) {
  if (isCI()) {
    describe('conversations UI in Chromium', () => {
      it('has Chromium to run in (required under CI=true)', () => {
        throw new Error(`browser tests cannot run: ${availability.reason}`);
      });
    });
  } else {
    console.warn(`SKIPPED conversations UI browser tests: ${availability.reason}`);
  }
}

describe.skipIf(!availability.ok)('conversations UI in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: LaunchedBrowser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureUiBuilt();
    const store = await openStore({ dataDir: 'memory://' });
    await migrateStore(store);
    t = await createTestApp({ store });
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
});
