/** Dates on the wire: ISO-8601 UTC to the second, as in every TaskRouter response (`2014-05-14T18:50:02Z`). */

/** Formats epoch milliseconds as TaskRouter does; null stays null. */
export function formatDate(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses an ISO-8601 date or date-time into epoch milliseconds; null when it is not one. A date-time without a zone
 * is taken as UTC, as Twilio does.
 */
export function parseDate(text: string): number | null {
  const trimmed = text.trim();
  if (!ISO_DATE_TIME.test(trimmed)) return null;
  let normalized = trimmed.replace(' ', 'T');
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/i.test(normalized)) normalized += 'Z';
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The start of a window of the last `minutes` before `now`. A window reaching back before 1970 holds what one
 * starting then holds, and its start must stay a date that can be written (`Minutes` is any integer a client sends),
 * so it starts at the epoch at the earliest.
 */
export function minutesBefore(now: number, minutes: number): number {
  return Math.max(0, now - minutes * 60_000);
}
