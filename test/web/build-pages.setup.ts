// Bundles the browser pages once before the tests, as `npm run build` does, so that every server a test starts
// serves the current pages.
export default async function setup(): Promise<void> {
  // @ts-expect-error -- the build script is plain JavaScript run by node, without types.
  const { buildPages } = (await import('../../web/build.mjs')) as { buildPages: (o: { quiet: boolean }) => Promise<unknown> };
  await buildPages({ quiet: true });
}
