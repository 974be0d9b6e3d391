import { CommitConflict } from '../../core/errors.js';
import type { ClaimKey, ConnectorState, DeliveryReport } from '../state/connector-state.js';
import type { Conversation, ConversationMessage, ConversationOpening } from './conversation.js';
import { isConversationSid } from './conversation-keys.js';
import { withDeliveries } from './history-entry.js';

/** Messages kept per conversation; older ones are dropped as new ones are filed, so a runaway sender is bounded. */
export const MAX_HISTORY = 1000;

const taskKey = (taskSid: string): ClaimKey => ({ kind: 'task-conversation', subject: taskSid });

/**
 * Conversations and their messages in the connector's state. Shared by every instance: whichever instance Twilio or
 * an agent reaches sees the same conversations. A conversation's sid names its pair (see conversation-keys.ts).
 */
export class ConversationStore {
  constructor(private readonly state: ConnectorState) {}

  async get(sid: string): Promise<Conversation | null> {
    const stored = await this.state.conversation(sid);
    if (!stored) return null;
    const { opening, closing } = stored;
    return { ...opening, status: closing ? 'closed' : 'open', dateClosed: closing?.dateClosed ?? null, closedReason: closing?.reason ?? null };
  }

  /** A conversation by its CH sid or by the sid of the task it created. */
  async find(id: string): Promise<Conversation | null> {
    if (isConversationSid(id)) return this.get(id);
    const sid = await this.state.holder(taskKey(id));
    return sid ? this.get(sid) : null;
  }

  /** The open conversation between a number and a customer, if any. */
  async openBetween(number: string, customer: string): Promise<Conversation | null> {
    const sid = await this.state.openConversationBetween(number, customer);
    return sid ? this.get(sid) : null;
  }

  /** The conversation an inbound message from `customer` to `number` was already filed in (a webhook Twilio sent again), if any. */
  filedIn(number: string, customer: string, messageSid: string): Promise<string | null> {
    return this.state.filedIn(number, customer, messageSid);
  }

  /**
   * Opens a conversation with its first message. Throws CommitConflict when the pair already has an open
   * conversation (another instance got there first) or, with `claimInbound`, the message was already filed. The
   * task's link to it is claimed first, so a conversation is never open without it; a lost race lets it go again.
   */
  async open(opening: ConversationOpening, first: ConversationMessage, claimInbound = true): Promise<void> {
    if (!(await this.state.claim(taskKey(opening.taskSid), opening.sid))) throw new CommitConflict(`task ${opening.taskSid} has a conversation`);
    try {
      await this.state.openConversation(opening, first, claimInbound);
    } catch (err) {
      await this.state.release(taskKey(opening.taskSid), opening.sid);
      throw err;
    }
  }

  /** Files a message; with `claimInbound`, an inbound one at most once (CommitConflict when it already was). */
  async file(conversationSid: string, message: ConversationMessage, claimInbound = true): Promise<void> {
    await this.state.fileMessage(conversationSid, message, { claimInbound, keep: MAX_HISTORY });
  }

  /**
   * Closes a conversation: the pair's next message opens a new one, and the conversation is kept for the retention
   * only. False when it was already closed.
   */
  async close(conversation: ConversationOpening, reason: string, now: number): Promise<boolean> {
    const closed = await this.state.closeConversation(conversation, { dateClosed: now, reason });
    if (closed) await this.state.expireClaim(taskKey(conversation.taskSid), this.state.retention.conversationMs);
    return closed;
  }

  /** The conversation's messages, oldest first, each with its furthest delivery report. */
  async history(conversationSid: string): Promise<ConversationMessage[]> {
    const [messages, reports] = await Promise.all([this.state.messages(conversationSid), this.state.deliveryReports(conversationSid)]);
    return withDeliveries(messages, reports);
  }

  messageCount(conversationSid: string): Promise<number> {
    return this.state.messageCount(conversationSid);
  }

  async recordDelivery(conversationSid: string, report: DeliveryReport): Promise<void> {
    await this.state.recordDelivery(conversationSid, report);
  }
}
