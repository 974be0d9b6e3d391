import { log } from './log.js';

/**
 * What the process does with its spans before it exits: the tracing preload, when it started the SDK, registers
 * the SDK's shutdown here; the server calls `flushTraces` last thing on SIGTERM/SIGINT. Without the SDK there is
 * nothing to flush. Kept free of SDK imports so the server depends on `@opentelemetry/api` alone.
 */
let flush: (() => Promise<void>) | null = null;

/** The longest the exit waits for spans to leave: an unreachable collector must not hold a restart up. */
const FLUSH_LIMIT_MS = 5_000;

export function onTraceFlush(shutdown: () => Promise<void>): void {
  flush = shutdown;
}

/** Sends the spans still buffered and stops tracing; gives up after FLUSH_LIMIT_MS. Never throws. */
export async function flushTraces(): Promise<void> {
  if (!flush) return;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, FLUSH_LIMIT_MS)));
  try {
    await Promise.race([flush().catch((err: unknown) => log.error({ err }, 'could not flush the last spans')), limit]);
  } finally {
    clearTimeout(timer);
  }
}
