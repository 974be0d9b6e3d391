import { decodeState, encodeState } from '../webhook-urls.js';
import type { ConversationMessage } from './conversation.js';

/**
 * How a message is kept as a member of its conversation's history index. Index members sort by bytes, so a member
 * starts with the filing time and a per-process sequence (both zero-padded), which keeps messages filed by one
 * instance in the order it filed them and orders the rest by time; the message itself follows as base64url JSON,
 * which contains no separator.
 */
let sequence = 0;

export function historyMember(message: ConversationMessage): string {
  sequence = (sequence + 1) % 1_000_000;
  const when = String(Math.max(0, Math.floor(message.dateCreated))).padStart(15, '0');
  const order = String(sequence).padStart(6, '0');
  return `${when}:${order}:${encodeState(message)}`;
}

/** The message a member holds; null for a member this module did not write. */
export function readHistoryMember(member: string): ConversationMessage | null {
  const parts = member.split(':');
  if (parts.length !== 3) return null;
  return decodeState<ConversationMessage | null>(parts[2], null);
}

/**
 * Delivery statuses by how far along they are. Twilio's callbacks may arrive out of order (and be served by
 * different instances), so every report is kept and the furthest one wins when the history is read.
 */
const PROGRESS: Record<string, number> = {
  accepted: 1,
  scheduled: 1,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  canceled: 4,
  read: 5,
};

export interface DeliveryReport {
  messageSid: string;
  status: string;
  errorCode: number | null;
}

/** A delivery report as a member of the conversation's delivery index: `<SM>:<progress>:<status>:<error code>`. */
export function deliveryMember(report: DeliveryReport): string {
  const progress = PROGRESS[report.status] ?? 0;
  return `${report.messageSid}:${progress}:${report.status}:${report.errorCode ?? ''}`;
}

/** The furthest report per message sid, from a delivery index's members. */
export function latestDeliveries(members: readonly string[]): Map<string, DeliveryReport> {
  const latest = new Map<string, { progress: number; report: DeliveryReport }>();
  for (const member of members) {
    const [messageSid, progressText, status, code] = member.split(':');
    if (!messageSid || !status) continue;
    const progress = Number(progressText);
    const known = latest.get(messageSid);
    if (known && known.progress >= progress) continue;
    const errorCode = code ? Number(code) : null;
    latest.set(messageSid, { progress, report: { messageSid, status, errorCode: Number.isFinite(errorCode) ? errorCode : null } });
  }
  return new Map([...latest].map(([sid, { report }]) => [sid, report]));
}
