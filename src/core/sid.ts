import { createHash, randomBytes } from 'node:crypto';

/** Twilio SID prefixes used by TaskRouter resources, and by the voice connector's numbers (PN) and IVR menus (IM). */
export type SidPrefix = 'AC' | 'WS' | 'WA' | 'WQ' | 'WK' | 'WC' | 'TC' | 'WW' | 'WT' | 'WR' | 'EV' | 'CA' | 'SM' | 'PN' | 'IM' | 'TT';

/**
 * Random bytes are drawn a block at a time and handed out as hex: a task's lifecycle mints a dozen SIDs (most of
 * them for its events), and one draw per block costs a fraction of one per SID.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;

function randomHex(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  const hex = pool.toString('hex', poolAt, poolAt + bytes);
  poolAt += bytes;
  return hex;
}

/** A fresh random 34-character SID: two-letter prefix and 32 lowercase hex digits. */
export function newSid(prefix: SidPrefix): string {
  return prefix + randomHex(16);
}

/**
 * A fresh SID whose first 12 hex digits are `ms` (the rest random), so it says when its resource came about: an
 * event is then looked up near its date rather than searched for. It looks like any other SID.
 */
export function timedSid(prefix: SidPrefix, ms: number): string {
  const time = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  return prefix + time + randomHex(10);
}

/** The time a `timedSid` carries. */
export function sidTime(sid: string): number {
  return Number.parseInt(sid.slice(2, 14), 16);
}

/**
 * A SID derived from other identifiers, the same every time. Lets an implicit resource (a worker's channel for a task
 * channel) have a stable SID without being materialised ahead of time.
 */
export function derivedSid(prefix: SidPrefix, ...parts: string[]): string {
  return prefix + createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

const SID_PATTERN = /^[A-Z]{2}[0-9a-fA-F]{32}$/;

/** True when `value` looks like a SID with the given prefix. */
export function isSid(value: unknown, prefix: SidPrefix): value is string {
  return typeof value === 'string' && SID_PATTERN.test(value) && value.startsWith(prefix);
}
