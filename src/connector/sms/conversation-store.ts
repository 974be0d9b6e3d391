import { randomUUID } from 'node:crypto';
import { CommitConflict } from '../../core/errors.js';
import type { RoutingStore } from '../../store/routing-store.js';
import { CONNECTOR_PARTITION } from '../connector-directory.js';
import type { Conversation, ConversationMessage, ConversationOpening } from './conversation.js';
import { closedKey, conversationKey, deliveryIndex, historyIndex, inboundKey, isConversationSid, openKey, taskKey } from './conversation-keys.js';
import { deliveryMember, historyMember, latestDeliveries, readHistoryMember, type DeliveryReport } from './history-entry.js';

/**
 * Files an inbound message under its MessageSid. Each filing claims with a value of its own, so a second filing of
 * the same message conflicts even into the same conversation (a claim by the same value would pass).
 */
function inboundClaim(messageSid: string, conversationSid: string): { op: 'claim'; key: string; sid: string } {
  return { op: 'claim', key: inboundKey(messageSid), sid: `${conversationSid}/${randomUUID()}` };
}

/** Messages kept per conversation; older ones are dropped as new ones are filed, so a runaway sender is bounded. */
export const MAX_HISTORY = 1000;
/** Delivery reports read per conversation: a few per outbound message at most. */
const MAX_DELIVERY_REPORTS = MAX_HISTORY * 6;

interface Closing {
  dateClosed: number;
  reason: string;
}

/**
 * Conversations and their messages in the routing store (layout: conversation-keys.ts). Shared by every instance:
 * whichever instance Twilio or an agent reaches sees the same conversations.
 */
export class ConversationStore {
  constructor(private readonly store: RoutingStore) {}

  async get(sid: string): Promise<Conversation | null> {
    const [opening, closing] = await Promise.all([this.read<ConversationOpening>(conversationKey(sid)), this.read<Closing>(closedKey(sid))]);
    if (!opening) return null;
    return {
      ...opening,
      status: closing ? 'closed' : 'open',
      dateClosed: closing?.dateClosed ?? null,
      closedReason: closing?.reason ?? null,
    };
  }

  /** A conversation by its CH sid or by the sid of the task it created. */
  async find(id: string): Promise<Conversation | null> {
    if (isConversationSid(id)) return this.get(id);
    const sid = await this.store.lookupUnique(CONNECTOR_PARTITION, taskKey(id));
    return sid ? this.get(sid) : null;
  }

  /** The open conversation between a number and a customer, if any. */
  async openBetween(number: string, customer: string): Promise<Conversation | null> {
    const sid = await this.store.lookupUnique(CONNECTOR_PARTITION, openKey(number, customer));
    return sid ? this.get(sid) : null;
  }

  /** The conversation an inbound message was already filed in (a webhook Twilio sent again), if any. */
  async filedIn(messageSid: string): Promise<string | null> {
    const filing = await this.store.lookupUnique(CONNECTOR_PARTITION, inboundKey(messageSid));
    return filing ? filing.split('/')[0]! : null;
  }

  /**
   * Opens a conversation with its first message. Throws CommitConflict when the pair already has an open
   * conversation (another instance got there first) or, with `claimInbound`, the message was already filed.
   */
  async open(opening: ConversationOpening, first: ConversationMessage, claimInbound = true): Promise<void> {
    const json = JSON.stringify(opening);
    await this.store.commit(CONNECTOR_PARTITION, {
      unique: [
        { op: 'claim', key: openKey(opening.number, opening.customer), sid: opening.sid },
        { op: 'claim', key: conversationKey(opening.sid), sid: json },
        { op: 'claim', key: taskKey(opening.taskSid), sid: opening.sid },
        ...(claimInbound && first.direction === 'inbound' && first.sid ? [inboundClaim(first.sid, opening.sid)] : []),
      ],
      index: [{ op: 'add', index: historyIndex(opening.sid), member: historyMember(first) }],
    });
  }

  /** Files a message; with `claimInbound`, an inbound one at most once (CommitConflict when it already was). */
  async file(conversationSid: string, message: ConversationMessage, claimInbound = true): Promise<void> {
    await this.store.commit(CONNECTOR_PARTITION, {
      unique: claimInbound && message.direction === 'inbound' && message.sid ? [inboundClaim(message.sid, conversationSid)] : [],
      index: [{ op: 'add', index: historyIndex(conversationSid), member: historyMember(message) }],
    });
    await this.trim(conversationSid);
  }

  /** Closes a conversation: the pair's next message opens a new one. False when it was already closed. */
  async close(conversation: ConversationOpening, reason: string, now: number): Promise<boolean> {
    const closing: Closing = { dateClosed: now, reason };
    try {
      await this.store.commit(CONNECTOR_PARTITION, {
        unique: [
          // Released only while it still names this conversation: a newer one of the pair keeps its key.
          { op: 'release', key: openKey(conversation.number, conversation.customer), sid: conversation.sid },
          { op: 'claim', key: closedKey(conversation.sid), sid: JSON.stringify(closing) },
        ],
      });
      return true;
    } catch (err) {
      if (err instanceof CommitConflict) return false;
      throw err;
    }
  }

  /** The conversation's messages, oldest first, each with its furthest delivery report. */
  async history(conversationSid: string): Promise<ConversationMessage[]> {
    const [members, reports] = await Promise.all([
      this.store.rangeIndex(CONNECTOR_PARTITION, historyIndex(conversationSid), MAX_HISTORY * 2),
      this.store.rangeIndex(CONNECTOR_PARTITION, deliveryIndex(conversationSid), MAX_DELIVERY_REPORTS),
    ]);
    const delivered = latestDeliveries(reports);
    return members.flatMap((member) => {
      const message = readHistoryMember(member);
      if (!message) return [];
      const report = message.sid ? delivered.get(message.sid) : undefined;
      return [report ? { ...message, status: report.status, errorCode: report.errorCode } : message];
    });
  }

  messageCount(conversationSid: string): Promise<number> {
    return this.store.countIndex(CONNECTOR_PARTITION, historyIndex(conversationSid));
  }

  async recordDelivery(conversationSid: string, report: DeliveryReport): Promise<void> {
    await this.store.commit(CONNECTOR_PARTITION, { index: [{ op: 'add', index: deliveryIndex(conversationSid), member: deliveryMember(report) }] });
  }

  /** Drops the oldest messages beyond MAX_HISTORY, with their delivery reports. */
  private async trim(conversationSid: string): Promise<void> {
    const excess = (await this.messageCount(conversationSid)) - MAX_HISTORY;
    if (excess <= 0) return;
    const oldest = await this.store.rangeIndex(CONNECTOR_PARTITION, historyIndex(conversationSid), excess);
    const sids = oldest.flatMap((m) => readHistoryMember(m)?.sid ?? []);
    const reports = (await Promise.all(sids.map((sid) => this.store.rangeIndex(CONNECTOR_PARTITION, deliveryIndex(conversationSid), 8, `${sid}:`)))).flatMap(
      (members, i) => members.filter((m) => m.startsWith(`${sids[i]}:`)),
    );
    await this.store.commit(CONNECTOR_PARTITION, {
      index: [
        ...oldest.map((member) => ({ op: 'remove' as const, index: historyIndex(conversationSid), member })),
        ...reports.map((member) => ({ op: 'remove' as const, index: deliveryIndex(conversationSid), member })),
      ],
    });
  }

  private async read<T>(key: string): Promise<T | null> {
    const text = await this.store.lookupUnique(CONNECTOR_PARTITION, key);
    if (!text) return null;
    try {
      return JSON.parse(text) as T;
    } catch {
      return null;
    }
  }
}
