import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

/** Debian's Chromium, which `.ci/run` installs; `CHROMIUM_PATH` names another. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Chromium switches for pages that use audio: microphone permission granted, a fake microphone that beeps, and
 * sound allowed to play without a click.
 */
export const FAKE_MEDIA_ARGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'];

/** Where the tests leave screenshots of the pages (not committed). */
export const RESULTS_DIR = 'test-results';

/** What went wrong in a page while a test drove it: script errors, console errors, and requests that left loopback. */
export interface PageTrouble {
  errors: string[];
  offsite: string[];
}

/**
 * Headless Chromium for a file's tests, with its background networking off (this machine's network is closed, and
 * pages must not reach out anyway). Each page opened through `open` is watched: after each test, any script error,
 * console error or request to a host other than loopback fails it, unless `allowedErrors` matches the message.
 * `args` adds Chromium switches (a fake microphone for the audio tests: see `FAKE_MEDIA_ARGS`).
 */
export function useBrowser(options: { allowedErrors?: RegExp; args?: readonly string[] } = {}) {
  let browser: Browser | undefined;
  const pages: Array<{ page: Page; trouble: PageTrouble }> = [];
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--disable-gpu',
        ...(options.args ?? []),
      ],
    });
  });
  afterAll(async () => browser?.close());
  afterEach(async () => {
    const seen = pages.splice(0);
    for (const { page } of seen) await page.context().close();
    const trouble = seen.flatMap(({ trouble }) => [...trouble.errors.filter((e) => !options.allowedErrors?.test(e)), ...trouble.offsite]);
    expect(trouble).toEqual([]);
  });

  return {
    /** A fresh page (its own context: storage, permissions) at 1280×800, watched for trouble, opened at `url`. */
    async open(url: string, contextOptions: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
      const context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, ...contextOptions });
      const page = await context.newPage();
      const trouble: PageTrouble = { errors: [], offsite: [] };
      page.on('pageerror', (err) => trouble.errors.push(`page error: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') trouble.errors.push(`console error: ${msg.text()} ${msg.location().url}`);
      });
      page.on('request', (req) => {
        const { protocol, hostname } = new URL(req.url());
        if (!['data:', 'blob:'].includes(protocol) && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) trouble.offsite.push(`request to ${req.url()}`);
      });
      pages.push({ page, trouble });
      await page.goto(url);
      return page;
    },
  };
}

/** Saves a screenshot of `page` as test-results/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: `${RESULTS_DIR}/${name}.png` });
}
