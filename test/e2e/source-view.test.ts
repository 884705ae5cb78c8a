import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { memoryStore } from '../helpers/stores';
import { createTestApp, type TestApp } from '../helpers/app';
import { describeInChromium, ensureUiBuilt, launchChromium, type LaunchedBrowser } from '../helpers/browser';
import { createCorpus, upload, waitForJob } from '../helpers/ingestion';
import { uploadText } from '../helpers/answers';
import { makePdf } from './pdf-fixture';

/**
 * Trustworthy evidence in the browser (issue 25): a citation whose quote sits
 * far down a long chunk, on the second page of a PDF, is scrolled into view;
 * "Open original" draws that page with pdf.js and marks the quote over its
 * glyphs; the cited source is marked among the retrieved ones; no relevance
 * numbers reach the agent.
 */
const SHOTS = join(process.cwd(), 'test-output/screenshots');
const QUOTE = 'The Kestrel warranty covers parts and labour for three years from the date of purchase.';
const QUESTION = 'How many years does the Kestrel warranty cover parts and labour for?';
const FILLER = [
  'Before any service, isolate the pump from mains power and close both the suction and discharge valves, then drain the casing into a bucket.',
  'Inspect the impeller for cracks and erosion, and check that the shaft turns freely by hand without grinding or rubbing against the volute.',
  'Clean the strainer basket every month in dusty sites, rinsing it with fresh water and letting it dry before it goes back into its housing.',
  'Record each inspection in the site logbook, noting the running hours, the motor temperature and any vibration felt at the bearing housing.',
  'Lubricate the motor bearings with the grease named on the rating plate, and never mix greases of different soap bases in one bearing.',
];

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

describeInChromium('source view in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: LaunchedBrowser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ensureUiBuilt();
    const store = await memoryStore();
    t = await createTestApp({ store });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    await createCorpus(t, 'Pumps');
    // Two pages, no heading on the second: one long chunk runs across the page break, the quote near its end.
    const pdf = makePdf(
      [
        { heading: 'Kestrel K7 Pump Care', paragraphs: FILLER },
        { paragraphs: [...FILLER.slice(0, 3).map((text) => text.replace('pump', 'unit')), QUOTE] },
      ],
      'Kestrel K7 Pump Care',
    );
    const uploaded = await upload(t, 'Pumps', { name: 'kestrel-care.pdf', bytes: pdf, contentType: 'application/pdf' });
    if (uploaded.jobId) expect((await waitForJob(t, uploaded.jobId)).state).toBe('completed');
    await uploadText(t, 'Pumps', 'shipping.md', '# Shipping\n\nOrders of spare pump seals ship within two business days from the Leeds warehouse.\n');
    await t.idle();
    // A short window: the panel scrolls, so a quote far down the chunk starts out of sight.
    browser = await launchChromium({ width: 1280, height: 640 });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error' && !/favicon/.test(message.text())) problems.push(message.text());
      // pdf.js falls back to parsing on the page when its worker can't load (a CSP or MIME-type problem).
      else if (/fake worker/i.test(message.text())) problems.push(message.text());
      else if (/^Warning:/.test(message.text())) console.log(`pdf.js: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await page.goto(`${base}/`);
    await page.getByLabel('API key').fill(t.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Ask' }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, 120_000);

  it('scrolls the quote into view, marks the cited source and opens the PDF page with the quote highlighted', async () => {
    await page.getByLabel('Question', { exact: true }).fill(QUESTION);
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const marker = page.getByRole('button', { name: /^Citation 1:/ });
    await marker.waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=answer]').textContent()).toContain('three years');
    expect(await marker.getAttribute('aria-label')).toMatch(/, page 2\b/);

    // 1. The highlight is brought into view inside the scrolling panel.
    await marker.click();
    const mark = page.locator('[data-testid=source-panel] mark');
    await mark.waitFor();
    const quoted = normalize((await mark.textContent()) ?? '');
    expect(quoted.length).toBeGreaterThan(40);
    expect(normalize(QUOTE)).toContain(quoted);
    const geometry = await page.evaluate(() => {
      const panel = document.querySelector('[data-testid=source-panel]') as HTMLElement;
      const box = document.querySelector('[data-testid=source-panel] mark')!.getBoundingClientRect();
      const frame = panel.getBoundingClientRect();
      return { scrollTop: panel.scrollTop, overflow: panel.scrollHeight - panel.clientHeight, mark: { top: box.top, bottom: box.bottom }, frame: { top: frame.top, bottom: frame.bottom }, viewport: window.innerHeight };
    });
    console.log(`panel geometry: ${JSON.stringify(geometry)}`);
    // The chunk is longer than the panel and the quote was below the fold: the panel had to scroll.
    expect(geometry.overflow).toBeGreaterThan(0);
    expect(geometry.scrollTop).toBeGreaterThan(0);
    expect(geometry.mark.top).toBeGreaterThanOrEqual(Math.max(0, geometry.frame.top));
    expect(geometry.mark.bottom).toBeLessThanOrEqual(Math.min(geometry.viewport, geometry.frame.bottom));
    await page.screenshot({ path: join(SHOTS, 'source-view-01-panel.png') });

    // 3. The cited source is marked among the retrieved ones; 4. no raw relevance numbers anywhere the agent reads.
    const rows = page.locator('.source-list li');
    expect(await rows.count()).toBeGreaterThan(0);
    const cited = page.locator('.source-list li[data-cited]');
    expect(await cited.count()).toBeGreaterThan(0);
    for (const row of await rows.all()) {
      const isCited = (await row.getAttribute('data-cited')) !== null;
      expect(await row.locator('[data-testid=cited-badge]').count()).toBe(isCited ? 1 : 0);
      if (isCited) expect(await row.textContent()).toMatch(/Kestrel K7 Pump Care.*Cited \[1\]/);
    }
    await cited.first().getByRole('button').click();
    expect(await page.locator('[data-testid=source-panel] .source-meta').textContent()).toMatch(/cited as \[1\]/);
    const agentText = `${await page.locator('.answer-card').textContent()} ${await page.locator('.sources-card').textContent()} ${await page.locator('[data-testid=source-panel] .source-meta').textContent()}`;
    expect(agentText).not.toMatch(/\b0\.\d{2,}|relevance|score/i);

    // 2. Open original: pdf.js draws page 2 and the quote is marked over its glyphs.
    await marker.click();
    await page.getByTestId('open-original').click();
    const dialog = page.getByTestId('source-view');
    await dialog.waitFor();
    const highlight = dialog.locator('[data-testid=pdf-highlight]');
    await highlight.first().waitFor({ timeout: 30_000 });
    expect(await dialog.locator('[data-testid=pdf-page]').first().getAttribute('data-page')).toBe('2');
    // The whole quote, no more and no less, is marked on the page.
    expect(normalize((await highlight.allTextContents()).join(' '))).toBe(quoted);
    expect(await dialog.getByTestId('source-view-note').textContent()).toBe('The quote is highlighted on the page.');
    const onPage = await page.evaluate(() => {
      const sheet = document.querySelector('[data-testid=pdf-page][data-page="2"]') as HTMLElement;
      const canvas = sheet.querySelector('canvas')!;
      const body = document.querySelector('[data-testid=source-view-body]')!.getBoundingClientRect();
      const page = sheet.getBoundingClientRect();
      const marks = [...sheet.querySelectorAll('[data-testid=pdf-highlight]')].map((mark) => mark.getBoundingClientRect());
      // Ink under each highlight: the canvas pixels it covers are not all white, so it sits over drawn text.
      const context = canvas.getContext('2d')!;
      const scale = canvas.width / page.width;
      const ink = marks.map((box) => {
        const data = context.getImageData((box.left - page.left) * scale, (box.top - page.top) * scale, Math.max(1, box.width * scale), Math.max(1, box.height * scale)).data;
        let dark = 0;
        for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 255) < 128) dark++;
        return dark / (data.length / 4);
      });
      const inside = marks.every((box) => box.left >= page.left - 1 && box.right <= page.right + 1 && box.top >= page.top - 1 && box.bottom <= page.bottom + 1);
      const visible = marks.some((box) => box.top >= body.top && box.bottom <= body.bottom);
      return { count: marks.length, ink, inside, visible, heights: marks.map((box) => box.height) };
    });
    console.log(`pdf highlight: ${JSON.stringify(onPage)}`);
    expect(onPage.count).toBeGreaterThan(0);
    expect(onPage.inside).toBe(true);
    expect(onPage.visible).toBe(true);
    for (const share of onPage.ink) expect(share).toBeGreaterThan(0.03);
    // The fallback: the bytes already fetched, as a download.
    expect(await dialog.getByTestId('download-original').getAttribute('href')).toMatch(/^blob:/);
    await page.screenshot({ path: join(SHOTS, 'source-view-02-pdf.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 5000 }).catch((error: unknown) => {
      throw new Error(`the source view stayed after Close (${String(error)}); page problems: ${problems.join(' | ')}`);
    });
    expect(problems).toEqual([]);
  }, 120_000);

  it('opens a text source as its text with the quote highlighted', async () => {
    await page.getByLabel('Question', { exact: true }).fill('How fast do orders of spare pump seals ship?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const marker = page.getByRole('button', { name: /^Citation 1:/ });
    await marker.waitFor({ timeout: 30_000 });
    await marker.click();
    await page.getByTestId('open-original').click();
    const highlight = page.getByTestId('source-view').getByTestId('text-highlight');
    await highlight.waitFor({ timeout: 20_000 });
    expect(normalize((await highlight.textContent()) ?? '')).toContain('two business days');
    expect(await page.getByTestId('source-view').locator('canvas').count()).toBe(0);
    await page.getByTestId('source-view').getByRole('button', { name: 'Close' }).click();
    expect(problems).toEqual([]);
  }, 60_000);
});
