import { accessSync, constants, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { describe, it } from 'vitest';

/** Debian's Chromium (`apt-get install chromium`, scripts/install-chromium.sh). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const UI_APP_DIR = join(ROOT, 'src/ui/app');
export const UI_DIST_DIR = join(ROOT, 'src/ui/dist');
export const UI_VITE_CONFIG = join(ROOT, 'src/ui/vite.config.ts');

export type BrowserAvailability = { ok: true; path: string } | { ok: false; reason: string };

/** Whether the browser tests can run here. Callers fail under CI=true and skip (with a warning) otherwise. */
export function chromiumAvailability(): BrowserAvailability {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return { ok: true, path: CHROMIUM_PATH };
  } catch {
    return { ok: false, reason: `${CHROMIUM_PATH} is missing or not executable (apt-get install chromium, or set CHROMIUM_PATH)` };
  }
}

export function isCI(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a fresh, throw-away profile. */
export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<LaunchedBrowser> {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'attest-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    locale: 'en-GB',
    timezoneId: 'UTC',
    timeout: 60_000,
  });
  return {
    context,
    async close() {
      // Don't let a wedged browser hang the suite's teardown.
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), 20_000);
      });
      const outcome = await Promise.race([context.close().catch(() => undefined), gaveUp]);
      clearTimeout(timer);
      if (outcome === 'timeout') console.warn('Chromium did not close in 20 s; leaving it');
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the UI with Vite's API when src/ui/dist is missing or older than its sources. */
export async function ensureUiBuilt(): Promise<'built' | 'fresh'> {
  const index = join(UI_DIST_DIR, 'index.html');
  const sources = [newestMtime(UI_APP_DIR), statSync(UI_VITE_CONFIG).mtimeMs];
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources)) return 'fresh';
  const { build } = await import('vite');
  await build({ configFile: UI_VITE_CONFIG, logLevel: 'warn' });
  return 'built';
}

/**
 * describe() for a suite that drives Chromium: skipped with a warning when there is no Chromium, except under
 * CI=true, where its absence is a failing test (a browser suite must not pass by not running).
 */
export function describeInChromium(name: string, suite: () => void): void {
  const availability = chromiumAvailability();
  if (!availability.ok) {
    if (isCI()) {
      describe(name, () => {
        it('has Chromium to run in (required under CI=true)', () => {
          throw new Error(`browser tests cannot run: ${availability.reason}`);
        });
      });
    } else {
      console.warn(`SKIPPED ${name}: ${availability.reason}`);
    }
    return;
  }
  describe(name, suite);
}
