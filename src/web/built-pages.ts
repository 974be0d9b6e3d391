import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A page's bundled script and stylesheet, as `web/build.mjs` names them under /assets/. */
export interface PageAssets {
  script: string;
  style: string | null;
}

/** The pages `npm run build` bundled: where their assets are on disk and which files each page loads. */
export interface BuiltPages {
  assetsDir: string;
  manifest: Record<string, PageAssets>;
}

/** The project's root: the nearest folder above this module with a package.json (from src/ or from dist/src/). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the server');
    dir = parent;
  }
  return dir;
}

/** The bundled pages under dist/web, or null when they have not been built. */
export function readBuiltPages(dir = join(projectRoot(), 'dist', 'web')): BuiltPages | null {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) return null;
  return { assetsDir: join(dir, 'assets'), manifest: JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, PageAssets> };
}
