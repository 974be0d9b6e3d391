/** A duration in seconds as a wallboard shows it: `42s`, `3:07`, `1:02:09`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Seconds from `since` (an ISO date or epoch ms) to now. */
export function secondsSince(since: string | number, now = Date.now()): number {
  const start = typeof since === 'number' ? since : Date.parse(since);
  return Number.isNaN(start) ? 0 : (now - start) / 1000;
}
