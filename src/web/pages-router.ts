import express, { Router, type Response } from 'express';
import { serviceUnavailable } from '../core/errors.js';
import { readBuiltPages, type BuiltPages } from './built-pages.js';

/** The pages, by path: which bundle each loads and its title. */
const PAGES: Record<string, { bundle: string; title: string }> = {
  '/': { bundle: 'home', title: 'Switchboard' },
  '/agent': { bundle: 'agent', title: 'Agent desktop · Switchboard' },
  '/wallboard': { bundle: 'wallboard', title: 'Wallboard · Switchboard' },
  '/admin': { bundle: 'admin', title: 'Admin console · Switchboard' },
};

/**
 * Every page loads only what Switchboard serves: its own scripts and styles, its API and sockets, audio it makes
 * itself (blob: for the softphone's worklet and the ring tone). Nothing inline, nothing from elsewhere, no framing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob: data:",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Hashed asset names change with their content, so browsers may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The browser pages (`/`, `/agent`, `/wallboard`, `/admin`) and their assets under `/assets/`, from the bundles
 * `npm run build` wrote to dist/web. The pages' HTML is never cached, so a new build is picked up at once; without a
 * build each page answers 503 saying how to make one.
 */
export function pagesRouter(built: BuiltPages | null = readBuiltPages()): Router {
  const router = Router();
  for (const [path, page] of Object.entries(PAGES)) {
    router.get(path, (_req, res) => {
      const assets = built?.manifest[page.bundle];
      if (!assets) throw serviceUnavailable('The pages are not built: run `npm run build`');
      securePage(res);
      res
        .type('html')
        .set('Cache-Control', 'no-cache')
        .send(pageHtml(page.title, assets.script, assets.style));
    });
  }
  if (built) {
    router.use(
      '/assets',
      express.static(built.assetsDir, {
        index: false,
        fallthrough: true,
        setHeaders: (res) => {
          res.setHeader('Cache-Control', IMMUTABLE);
          res.setHeader('X-Content-Type-Options', 'nosniff');
        },
      }),
    );
  }
  return router;
}

function securePage(res: Response): void {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'microphone=(self), camera=(), geolocation=()',
  });
}

function pageHtml(title: string, script: string, style: string | null): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
${style ? `<link rel="stylesheet" href="${style}">\n` : ''}<script type="module" src="${script}"></script>
</head>
<body>
<div id="app"></div>
</body>
</html>
`;
}
