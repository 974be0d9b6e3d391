import { randomBytes } from 'node:crypto';

/**
 * A Twilio-shaped SID: two-letter prefix and 32 lowercase hex digits. Random rather than sequential so that two
 * simulators in one test process never hand out the same SID.
 */
export function newSid(prefix: 'CA' | 'QU' | 'SM' | 'MM' | 'MZ' | 'CF' | 'RE'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** RFC 2822 date as the 2010 API writes it (`Tue, 10 Aug 2010 08:02:17 +0000`), which twilio-node parses back. */
export function rfc2822(epochMs: number): string {
  const d = new Date(epochMs);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day}, ${pad(d.getUTCDate())} ${month} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
