import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { screenshot, useBrowser } from './browser.js';

describe('the browser pages, as Switchboard serves them', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());
  const browser = useBrowser();

  it('serves each page with a strict Content-Security-Policy, uncached, and its hashed assets cached for good', async () => {
    for (const path of ['/', '/agent', '/wallboard', '/admin']) {
      const res = await fetch(`${server.url}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const html = await res.text();
      const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
      expect(assets.length).toBeGreaterThanOrEqual(2);
      for (const asset of assets) {
        const file = await fetch(`${server.url}${asset}`);
        expect([asset, file.status, file.headers.get('cache-control')]).toEqual([asset, 200, 'public, max-age=31536000, immutable']);
      }
    }
    const missing = await fetch(`${server.url}/assets/nothing-here.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, code: expect.any(Number) });
  });

  it('renders the start page in Chromium, linking every page, with nothing loaded from elsewhere', async () => {
    const page = await browser.open(`${server.url}/`);
    await page.getByRole('heading', { name: 'Switchboard' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Pages' });
    for (const name of ['Agent desktop', 'Wallboard', 'Admin']) expect(await nav.getByRole('link', { name }).getAttribute('href')).toMatch(/^\/\w+$/);
    await screenshot(page, 'home');
  });
});
