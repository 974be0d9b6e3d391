import type { DeliveryReport } from '../state/connector-state.js';
import type { ConversationMessage } from './conversation.js';

/**
 * Delivery statuses by how far along they are. Twilio's callbacks may arrive out of order (and be served by
 * different instances), so a report is kept only when it is further along than the one kept before.
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

/**
 * Where a report stands: its progress, and between two final statuses of the same progress (`delivered` and
 * `undelivered` both reported) the one whose `status:code` sorts first, so every instance keeps the same one
 * whatever order they came in.
 */
export interface DeliveryStanding {
  progress: number;
  tie: string;
}

export function deliveryStanding(report: DeliveryReport): DeliveryStanding {
  return { progress: PROGRESS[report.status] ?? 0, tie: `${report.status}:${report.errorCode ?? ''}` };
}

/** Whether `next` replaces `held` as a message's kept report. */
export function supersedes(next: DeliveryReport, held: DeliveryReport | undefined): boolean {
  if (!held) return true;
  const [a, b] = [deliveryStanding(next), deliveryStanding(held)];
  return a.progress > b.progress || (a.progress === b.progress && a.tie < b.tie);
}

/** The messages with each outbound one's furthest delivery report in its status. */
export function withDeliveries(messages: ConversationMessage[], reports: DeliveryReport[]): ConversationMessage[] {
  const delivered = new Map(reports.map((report) => [report.messageSid, report]));
  return messages.map((message) => {
    const report = message.sid ? delivered.get(message.sid) : undefined;
    return report ? { ...message, status: report.status, errorCode: report.errorCode } : message;
  });
}
