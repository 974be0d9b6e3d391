import { log as processLog, type Logger } from './log.js';

export interface FailureThrottleOptions {
  /** Logged with every line: what keeps failing (`callback URL failing`, `routing store unavailable`). */
  message: string;
  /** At most one summary line per key this often (ms). */
  intervalMs?: number;
  level?: 'warn' | 'error';
  logger?: Logger;
  now?: () => number;
}

interface Failing {
  since: number;
  lastReport: number;
  /** Failures since the last line. */
  unreported: number;
  total: number;
}

/** How often a summary of a failure that keeps happening is written by default. */
export const FAILURE_SUMMARY_INTERVAL_MS = 30_000;
/** Keys followed at once: a failure of many sources (callback hosts) must not grow without bound. */
const MAX_KEYS = 1_000;

/**
 * Logs a failure that repeats (Redis down, a callback URL refusing) without a line per occurrence: the first
 * occurrence of a key with its error, then at most once per interval a summary with how many times it failed since,
 * and one line when it recovers. A failure a second for an hour is 120 lines, not 3,600 stacks.
 */
export class FailureThrottle {
  private readonly failing = new Map<string, Failing>();
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: FailureThrottleOptions) {
    this.intervalMs = options.intervalMs ?? FAILURE_SUMMARY_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  /** `key` failed with `err` (an error, or a reason in words); `fields` (the URL, the workspace) go on the line. */
  failed(key: string, err: unknown, fields: Record<string, unknown> = {}): void {
    const now = this.now();
    const failing = this.failing.get(key);
    if (!failing) {
      this.follow(key, { since: now, lastReport: now, unreported: 0, total: 1 });
      // An error keeps its stack; a failure already put in words (`HTTP 503`, `ECONNREFUSED`) is its reason.
      this.write(this.options.level ?? 'warn', { ...fields, ...(typeof err === 'string' ? { reason: err } : { err }) }, this.options.message);
      return;
    }
    failing.unreported += 1;
    failing.total += 1;
    const elapsed = now - failing.lastReport;
    if (elapsed < this.intervalMs) return;
    const count = failing.unreported;
    failing.unreported = 0;
    failing.lastReport = now;
    const seconds = Math.round(elapsed / 1000);
    this.write(
      this.options.level ?? 'warn',
      { ...fields, failures: count, interval_s: seconds, reason: describe(err) },
      `${this.options.message}: failed ${count} times in the last ${seconds} s`,
    );
  }

  /** `key` worked: if it was failing, one line says so, with how many times it failed and for how long. */
  succeeded(key: string, fields: Record<string, unknown> = {}): void {
    const failing = this.failing.get(key);
    if (!failing) return;
    this.failing.delete(key);
    const seconds = Math.round((this.now() - failing.since) / 1000);
    this.write(
      'info',
      { ...fields, failures: failing.total, duration_s: seconds },
      `${this.options.message}: recovered after ${failing.total} failure(s) over ${seconds} s`,
    );
  }

  private follow(key: string, failing: Failing): void {
    if (this.failing.size >= MAX_KEYS) this.failing.delete(this.failing.keys().next().value!);
    this.failing.set(key, failing);
  }

  private write(level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, message: string): void {
    (this.options.logger ?? processLog)[level](fields, message);
  }
}

/** An error in a few words, for summaries: the first occurrence carried the stack. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && !err.message.includes(code) ? `${err.name} ${code}: ${err.message}` : `${err.name}: ${err.message}`;
}
