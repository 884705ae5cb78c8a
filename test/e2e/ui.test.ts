import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';
import { describeInChromium, ensureUiBuilt, launchChromium, type LaunchedBrowser } from '../helpers/browser';
import { MANUAL_FACTS, pumpManualPdf } from './pdf-fixture';
import { memoryStore } from '../helpers/stores';

/**
 * The support UI in a real browser (Debian's Chromium through playwright-core)
 * against a real in-process server on PGlite: sign in, upload through the
 * page, ask, open a citation, see a refusal, manage documents, watch health.
 * Screenshots of each state go to test-output/screenshots/.
 */
const SHOTS = join(process.cwd(), 'test-output/screenshots');
const TRACEMONKEY = join(process.cwd(), '../shared/datasets/pdfs/born-digital/tracemonkey.pdf');
const ANSWERABLE = 'How often must the Kestrel K7 pump be serviced?';
const UNANSWERABLE = 'What colour is the pump casing painted?';
const HOSTILE_NAME = 'notes <img src=x onerror=window.__pwned=1>.txt';

/** Awaits a teardown step, saying so when it is slow (so a hang is attributable). */
async function timed(what: string, step: Promise<unknown> | undefined): Promise<void> {
  const started = Date.now();
  const warn = setTimeout(() => console.warn(`${what} is taking over 10 s`), 10_000);
  try {
    await step;
  } finally {
    clearTimeout(warn);
    if (Date.now() - started > 10_000) console.warn(`${what} took ${Date.now() - started} ms`);
  }
}

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

describeInChromium('support UI in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: LaunchedBrowser;
  let page: Page;
  const consoleProblems: string[] = [];
  let corpusId = '';

  const shot = async (name: string, fullPage = true) => {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${t.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: response.status === 204 ? null : ((await response.json()) as Record<string, unknown>) };
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureUiBuilt();
    const store = await memoryStore();
    t = await createTestApp({ store });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium({ width: 1280, height: 900 });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error' && !/favicon|Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) consoleProblems.push(message.text());
    });
    page.on('pageerror', (error) => consoleProblems.push(`pageerror: ${error.message}`));
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  }, 180_000);

  afterAll(async () => {
    await timed('closing Chromium', browser?.close());
    await timed('closing the server', t?.close());
  }, 120_000);

  it('serves the page with its security headers and leaves the API routes alone', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toBe("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    const html = await index.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const asset = await fetch(`${base}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);

    const unknown = await fetch(`${base}/v1/no-such-route`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/v1/corpora`)).status).toBe(401);
    // Nothing but the page itself: no source maps, no directory listing.
    expect((await fetch(`${base}/assets/`)).status).toBe(404);
  }, 90_000);

  it('signs in with an API key and creates a corpus', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('API key').fill('atk_wrong-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Sign-in failed/);

    await page.getByLabel('API key').fill(t.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Ask' }).waitFor();
    // The key is in this tab's session, not in localStorage.
    expect(await page.evaluate(() => [sessionStorage.getItem('attest.apiKey'), localStorage.length])).toEqual([t.adminKey, 0]);

    // No corpus yet: the creation form is open.
    await page.getByLabel('New corpus name').fill('Pump manuals');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect.poll(() => page.locator('#corpus-picker option:checked').textContent()).toBe('Pump manuals');
    corpusId = await page.locator('#corpus-picker').inputValue();
    expect(corpusId).toMatch(/^[0-9a-f-]{36}$/);
    await shot('01-signed-in');

    // A reload keeps the session (sessionStorage) and the chosen corpus.
    await page.reload();
    await page.getByRole('tab', { name: 'Ask' }).waitFor();
    expect(await page.locator('#corpus-picker').inputValue()).toBe(corpusId);
  }, 90_000);

  it('uploads several files through the page and follows each job to done or failed', async () => {
    await page.getByRole('tab', { name: 'Documents' }).click();
    // Record every stage label the rows show, to see the job stages go by.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __stages: string[] }).__stages = seen;
      new MutationObserver(() => {
        for (const node of document.querySelectorAll('[data-testid=upload-stage]')) {
          const text = `${node.closest('li')?.getAttribute('data-file')}: ${node.textContent}`;
          if (seen[seen.length - 1] !== text && !seen.includes(text)) seen.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const files = [
      { name: 'kestrel-k7-manual.pdf', mimeType: 'application/pdf', buffer: pumpManualPdf() },
      { name: 'faq.md', mimeType: 'text/markdown', buffer: Buffer.from('# Support FAQ\n\nOrders ship within two business days from the Leeds warehouse.\n') },
      // Markup in a title and in text must show up as text, never as elements.
      { name: HOSTILE_NAME, mimeType: 'text/plain', buffer: Buffer.from('Escalations go to the duty manager <img src=x onerror="window.__pwned=1"> on call.\n') },
    ];
    if (existsSync(TRACEMONKEY)) files.push({ name: 'tracemonkey.pdf', mimeType: 'application/pdf', buffer: readFileSync(TRACEMONKEY) });
    await page.locator('#upload-files').setInputFiles(files);

    // A broken PDF, dropped onto the drop zone: its job fails with the parser's message.
    const dataTransfer = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['%PDF-1.4\nthis is not really a pdf\n%%EOF\n'], 'broken.pdf', { type: 'application/pdf' }));
      return transfer;
    });
    await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer });

    const row = (name: string) => page.locator(`li.upload[data-file="${name}"]`);
    for (const file of files) {
      await row(file.name).locator('[data-testid=upload-stage]').filter({ hasText: /^(Done|Failed)$/ }).waitFor({ timeout: 90_000 });
      expect(await row(file.name).getAttribute('data-state'), `${file.name}: ${await row(file.name).textContent()}`).toBe('done');
      expect(await row(file.name).locator('progress').evaluate((bar) => (bar as HTMLProgressElement).value)).toBe(100);
    }
    await row('broken.pdf').locator('[data-testid=upload-stage]').filter({ hasText: /^(Done|Failed)$/ }).waitFor({ timeout: 30_000 });
    expect(await row('broken.pdf').getAttribute('data-state')).toBe('failed');
    expect(await row('broken.pdf').locator('.upload-message').textContent()).toMatch(/PDF could not be opened/);

    const stages = await page.evaluate(() => (window as unknown as { __stages: string[] }).__stages);
    console.log(`upload stages seen: ${stages.join(' | ')}`);
    expect(stages.some((stage) => stage.startsWith('kestrel-k7-manual.pdf: Uploading'))).toBe(true);
    // The documents list follows.
    await page.locator('[data-testid=documents-table] tbody tr').filter({ hasText: 'kestrel-k7-manual.pdf' }).filter({ hasText: 'ready' }).waitFor();
    await shot('02-uploaded');
  }, 180_000);

  it('streams an answer whose citation opens the quote highlighted in its chunk', async () => {
    await page.getByRole('tab', { name: 'Ask' }).click();
    // Layout shifts while the answer streams (the Ask click itself is excluded as recent input).
    await page.evaluate(() => {
      const shifts: number[] = [];
      (window as unknown as { __shifts: number[] }).__shifts = shifts;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!entry.hadRecentInput) shifts.push(entry.value);
      }).observe({ type: 'layout-shift', buffered: false });
    });
    await page.getByLabel('Question', { exact: true }).fill(ANSWERABLE);
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const marker = page.getByRole('button', { name: /^Citation 1:/ });
    await marker.waitFor({ timeout: 30_000 });
    const answer = await page.locator('[data-testid=answer]').textContent();
    expect(answer).toContain('400 operating hours');
    expect(await page.locator('[data-testid=answer-state]').textContent()).toMatch(/Answered/);
    const traceId = await page.locator('[data-testid=trace-id]').textContent();
    expect(traceId).toMatch(/^[0-9a-f-]{36}$/);
    // The title is the PDF's own (its metadata), not the file name.
    expect(await marker.getAttribute('aria-label')).toMatch(/^Citation 1: Kestrel K7 Pump Maintenance[^,]*, page 1/);
    await shot('03-answer');

    await marker.click();
    const mark = page.locator('[data-testid=source-panel] mark');
    await mark.waitFor();
    const marked = (await mark.textContent()) ?? '';
    const sourceText = (await page.locator('[data-testid=source-text]').textContent()) ?? '';
    expect(marked.length).toBeGreaterThan(20);
    // The highlighted text is verbatim in the source text shown, is the cited sentence, and sits in a larger chunk.
    expect(sourceText).toContain(marked);
    expect(normalize(MANUAL_FACTS.service)).toContain(normalize(marked));
    expect(sourceText.length).toBeGreaterThan(marked.length);
    expect(sourceText).toContain('inlet valve is torqued');
    expect(await page.locator('[data-testid=verified-badge]').textContent()).toBe('Verified quote');
    expect(await page.locator('[data-testid=source-panel] .source-title').textContent()).toMatch(/^Kestrel K7 Pump Maintenance/);
    // Born-digital text: no OCR note.
    expect(await page.locator('[data-testid=ocr-badge]').count()).toBe(0);
    await shot('04-source-panel');

    // "Open original" fetches the uploaded PDF once (GET /v1/versions/:id/original, with the key) and offers the
    // browser's own viewer at the cited page beside the rendered page (test/e2e/source-view.test.ts checks that).
    const originals: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (request.url().includes('/original')) originals.push(request.url());
    };
    page.on('request', onRequest);
    await page.getByTestId('open-original').click();
    await page.getByTestId('open-in-browser').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('open-in-browser').getAttribute('href')).toMatch(/^blob:.*#page=1$/u);
    page.off('request', onRequest);
    expect(originals).toHaveLength(1);
    expect(originals[0]).toMatch(/\/v1\/versions\/[0-9a-f-]{36}\/original$/u);
    await page.keyboard.press('Escape');
    await page.getByTestId('source-view').waitFor({ state: 'detached', timeout: 5_000 });

    // Copy: the answer text and a numbered list of quotes with title and page.
    await page.getByRole('button', { name: 'Copy answer with citations' }).click();
    await expect.poll(() => page.locator('.tool-status').textContent()).toBe('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('400 operating hours');
    expect(copied).toMatch(/\[1\] ".*serviced every 400 operating hours.*" \(Kestrel K7 Pump Maintenance[^,]*, p\. 1\)/);
    expect(copied).toContain(`Trace: ${traceId}`);

    // Thumbs down with a comment is recorded against the trace.
    await page.getByRole('button', { name: 'Unhelpful answer' }).click();
    expect(await page.getByRole('button', { name: 'Unhelpful answer' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByLabel('Comment (optional)').fill('Should mention the technician certification body.');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await expect.poll(() => page.locator('.tool-status').textContent()).toMatch(/feedback recorded/);

    const shifts = await page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts);
    expect(shifts.reduce((sum, value) => sum + value, 0)).toBeLessThan(0.05);

    // Asking the same again is served from the cache, and labelled so.
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.locator('[data-testid=cached-label]:not([hidden])').waitFor();
  }, 90_000);

  it('shows a refusal as its own state with the closest sources', async () => {
    await page.getByLabel('Question', { exact: true }).fill(UNANSWERABLE);
    await page.getByLabel('Question', { exact: true }).press('Enter');
    const refusal = page.locator('[data-testid=refusal]');
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.textContent()).toContain("The documents don't answer this");
    expect(await page.locator('[data-testid=answer] .cite').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Closest sources' }).isVisible()).toBe(true);
    const closest = page.locator('.source-list li');
    expect(await closest.count()).toBeGreaterThan(0);
    await closest.first().getByRole('button').click();
    expect(await page.locator('main img').count()).toBe(0);
    await page.locator('[data-testid=source-text]').waitFor();
    expect(await page.locator('[data-testid=source-text]').textContent()).toMatch(/Kestrel/);
    await shot('05-refusal');
  }, 90_000);

  it('lists documents and deletes one after confirmation', async () => {
    await page.getByRole('tab', { name: 'Documents' }).click();
    const table = page.locator('[data-testid=documents-table]');
    const manual = table.locator('tbody tr').filter({ hasText: 'kestrel-k7-manual.pdf' });
    await manual.waitFor();
    expect(await manual.locator('td[data-label=Pages]').textContent()).toBe('2');
    expect(Number(await manual.locator('td[data-label=Chunks]').textContent())).toBeGreaterThan(0);
    expect(await manual.locator('td[data-label=Versions]').textContent()).toBe('1');
    expect(await table.locator('tbody tr').filter({ hasText: HOSTILE_NAME }).count()).toBe(1);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const broken = table.locator('tbody tr').filter({ hasText: 'broken.pdf' });
    expect(await broken.locator('td[data-label=Status]').textContent()).toBe('failed');
    await shot('06-documents');

    // Cancel keeps it; confirming deletes it.
    await broken.getByRole('button', { name: 'Delete broken.pdf' }).click();
    await page.getByRole('dialog').waitFor();
    await shot('07-delete-dialog', false);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await broken.count()).toBe(1);
    await broken.getByRole('button', { name: 'Delete broken.pdf' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await broken.waitFor({ state: 'detached' });
    const listed = (await api('GET', `/v1/corpora/${corpusId}/documents`)).body as { documents: { title: string }[] };
    expect(listed.documents.map((document) => document.title)).not.toContain('broken.pdf');
  }, 90_000);

  it('shows canary health: the chart, the last run with its misses, alerts and builds', async () => {
    for (const canary of [
      { query: 'service interval for the K7 pump', expect: { chunkContains: 'serviced every 400 operating hours' } },
      { query: 'warranty length', expect: { chunkContains: 'covers parts and labour for three years' } },
      { query: 'mercury boiling point on Jupiter', expect: { chunkContains: 'boiling point of mercury' } },
    ]) {
      expect((await api('POST', `/v1/corpora/${corpusId}/canaries`, canary)).status).toBe(201);
    }
    await page.getByRole('tab', { name: 'Health' }).click();
    for (let run = 0; run < 2; run++) {
      await page.getByRole('button', { name: 'Run canaries now' }).click();
      await expect.poll(() => page.locator('.health-view [role=status]').first().textContent(), { timeout: 30_000 }).toMatch(/^Ran 3 canaries/);
    }
    const chart = page.locator('[data-testid=canary-chart] svg');
    await chart.waitFor();
    expect(await chart.locator('path.chart-line').count()).toBe(2);
    expect(await page.locator('[data-testid=canary-chart] figcaption').textContent()).toMatch(/recall@\d+: 0\.667/);
    expect(await page.locator('[data-testid=last-run]').textContent()).toContain('mercury boiling point on Jupiter');
    expect(await page.locator('[data-testid=alerts]').textContent()).toMatch(/recall below threshold/);

    // A reindex with another chunker makes a second build; whichever is not serving can be promoted.
    const reindex = await api('POST', `/v1/corpora/${corpusId}/builds`, { chunker: { targetTokens: 160, overlapTokens: 16 } });
    expect(reindex.status).toBe(202);
    await t.idle();
    await page.getByRole('button', { name: 'Refresh' }).click();
    const builds = page.locator('[data-testid=builds-table] tbody tr');
    await expect.poll(() => builds.count()).toBe(2);
    const promotable = builds.filter({ has: page.getByRole('button', { name: /^Promote build/ }) });
    expect(await promotable.count()).toBe(1);
    const target = ((await promotable.locator('th code').getAttribute('title')) ?? '').trim();
    await shot('08-health');

    await promotable.getByRole('button', { name: /^Promote build/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Skip the canary gate (force)').check();
    await dialog.getByRole('button', { name: 'Promote' }).click();
    await expect.poll(() => page.locator('.health-view [role=status]').first().textContent()).toMatch(/is now active/);
    const after = (await api('GET', `/v1/corpora/${corpusId}/builds`)).body as { builds: { id: string; status: string }[] };
    expect(after.builds.find((build) => build.id === target)?.status).toBe('active');
    await expect.poll(() => builds.filter({ hasText: 'active' }).locator('th code').getAttribute('title')).toBe(target);
  }, 90_000);

  it('works at phone width without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const tab of ['Ask', 'Documents', 'Health'] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await page.waitForTimeout(150);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${tab} overflows horizontally by ${overflow}px`).toBeLessThanOrEqual(0);
      await shot(`09-phone-${tab.toLowerCase()}`);
    }
    await page.getByRole('tab', { name: 'Ask' }).click();
    await page.getByLabel('Question', { exact: true }).fill(ANSWERABLE);
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const marker = page.getByRole('button', { name: /^Citation 1:/ });
    await marker.waitFor();
    await marker.click();
    await page.locator('[data-testid=source-panel] mark').waitFor();
    await shot('10-phone-answer-source');
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 90_000);

  it('is keyboard usable: tabs by arrow keys, focus visible on controls', async () => {
    await page.getByRole('tab', { name: 'Ask' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Conversations');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Documents');
    expect(await page.getByRole('tab', { name: 'Documents' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('tab', { name: 'Health' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Home');
    expect(await page.getByRole('tab', { name: 'Ask' }).getAttribute('aria-selected')).toBe('true');
    // Tab into the panel: the question box, then the Ask button, each with a visible focus ring.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('question');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).toBe('solid');
    // Every input has a label.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, textarea, select')].filter((field) => !(field as HTMLInputElement).labels?.length && !field.getAttribute('aria-label')).map((field) => field.id),
    );
    expect(unlabelled).toEqual([]);
    expect(consoleProblems).toEqual([]);
  }, 90_000);
});
