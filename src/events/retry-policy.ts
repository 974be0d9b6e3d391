/** How often and how patiently a failed delivery is tried again. */
export interface RetryPolicy {
  /** Attempts in all, the first included; 1 means never retry. */
  attempts: number;
  /** Wait before the first retry (ms); each later retry waits twice as long as the one before. */
  initialDelayMs: number;
  /** Cap on any single wait (ms). */
  maxDelayMs: number;
}

/**
 * EventCallbackUrl: 8 attempts waiting 1, 2, 4 … 60 s between them — about two minutes, long enough to ride out a
 * receiver's restart or deploy, short enough that the per-workspace bound is what protects memory during an outage.
 */
export const EVENT_CALLBACK_RETRY: RetryPolicy = { attempts: 8, initialDelayMs: 1_000, maxDelayMs: 60_000 };

/**
 * When to try again after `attempt` failed attempts (1 after the first). The wait is jittered by ±20% so receivers
 * coming back up are not hit by every sender at the same instant.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
