// Bundles the browser pages (agent desktop, wallboard, admin console) into dist/web with esbuild: one script and one
// stylesheet per page, named by content hash so the server can let browsers cache them for good, and a manifest the
// server reads to write each page's HTML. Run by `npm run build` (and before the tests); prints each asset's size.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outdir = join(root, 'dist', 'web');
export const PAGES = ['agent', 'wallboard', 'admin', 'home'];

/** Builds every page; returns the manifest (page → its script and stylesheet under /assets/). */
export async function buildPages({ quiet = false } = {}) {
  await rm(outdir, { recursive: true, force: true });
  const worklet = await buildCaptureWorklet();
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(PAGES.map((page) => [page, join('web', page, 'main.tsx')])),
    outdir: join(outdir, 'assets'),
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    metafile: true,
    legalComments: 'linked',
    loader: { '.svg': 'file', '.wav': 'file' },
    // The worker SDK is written for Node and browsers alike: its few Node imports get their browser stand-ins, and
    // the GraphQL signalling it never uses against us stays out of the bundle.
    alias: { path: 'path-browserify', 'graphql-ws': './web/shared/graphql-ws-absent.ts' },
    define: { global: 'window', 'process.env.NODE_ENV': '"production"', CAPTURE_WORKLET_URL: JSON.stringify(worklet) },
    logLevel: 'warning',
  });
  const manifest = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!output.entryPoint) continue;
    const page = output.entryPoint.split('/')[1];
    const asset = '/assets/' + relative(join(outdir, 'assets'), join(root, file));
    manifest[page] = { script: asset, style: output.cssBundle ? '/assets/' + relative(join(outdir, 'assets'), join(root, output.cssBundle)) : null };
  }
  await mkdir(outdir, { recursive: true });
  await writeFile(join(outdir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  if (!quiet) {
    for (const [page, { script, style }] of Object.entries(manifest)) {
      const sizes = await Promise.all([script, style].filter(Boolean).map((a) => size(join(outdir, a))));
      console.log(`${page.padEnd(10)} ${sizes.join('  ')}`);
    }
    console.log(`${'worklet'.padEnd(10)} ${await size(join(outdir, worklet))}`);
  }
  return manifest;
}

/**
 * The softphone's and Listen control's microphone worklet, a script of its own (an audio worklet is loaded by URL,
 * and the CSP allows only the server's scripts): built first, so the pages are built knowing its hashed name.
 */
async function buildCaptureWorklet() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { 'capture-worklet': join('web', 'shared', 'audio', 'capture-worklet.ts') },
    outdir: join(outdir, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome110', 'firefox115', 'safari16'],
    metafile: true,
    logLevel: 'warning',
  });
  const [file] = Object.keys(result.metafile.outputs);
  return '/assets/' + relative(join(outdir, 'assets'), join(root, file));
}

async function size(file) {
  const bytes = await readFile(file);
  return `${relative(outdir, file)} ${(bytes.length / 1024).toFixed(1)} KB (${(gzipSync(bytes).length / 1024).toFixed(1)} KB gzip)`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildPages();
