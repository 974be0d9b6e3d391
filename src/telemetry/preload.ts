/**
 * Loaded ahead of the server (`node --import ./dist/src/telemetry/preload.js dist/src/main.js`): starts
 * OpenTelemetry tracing when the environment asks for it (trace-settings.ts) and otherwise does nothing, loading
 * nothing but the settings check.
 *
 * Order matters. The server is ES modules, which the instrumentations can only patch through a loader hook
 * registered before they are imported; without it they silently patch nothing. So the hook is registered first,
 * then the SDK is started, and only then, once this module has finished, does Node load the server.
 */
import { register } from 'node:module';
import { loadDotEnv } from '../dot-env.js';
import { tracingEnabled } from './trace-settings.js';

/** What the instrumentations started in trace-sdk.ts patch: the hook wraps these modules and leaves the rest alone. */
const INSTRUMENTED_MODULES = ['http', 'https', 'express', 'ioredis'];

// The server reads .env too, but only after this has decided; a file it cannot read is the server's to report.
try {
  loadDotEnv();
} catch {
  // Left to the server.
}
if (tracingEnabled(process.env)) {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: INSTRUMENTED_MODULES } });
  const { startTracing } = await import('./trace-sdk.js');
  startTracing();
}
