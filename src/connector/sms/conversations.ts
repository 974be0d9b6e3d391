import { notFound } from '../../core/errors.js';
import type { PhoneNumberRecord } from '../../core/model.js';
import type { Conversation, ConversationMessage } from './conversation.js';
import type { ConversationStore } from './conversation-store.js';
import { sendAgentReply, type AgentReply, type AgentReplyDeps } from './agent-reply.js';
import { receiveSms, type SmsFiling } from './inbound-sms.js';
import { outboundMessage } from './sms-message.js';
import type { DeliveryReport } from '../state/connector-state.js';

/** SMS conversations as the API serves them: found by CH or task sid, read, and answered by agents. */
export class Conversations {
  constructor(private readonly deps: AgentReplyDeps) {}

  get store(): ConversationStore {
    return this.deps.conversations;
  }

  /** A conversation by CH sid or by its task's sid; 404 if unknown. */
  async conversation(id: string): Promise<Conversation> {
    const found = await this.deps.conversations.find(id);
    if (!found) throw notFound(`The requested resource /Connector/Conversations/${id} was not found`);
    return found;
  }

  async messages(id: string): Promise<{ conversation: Conversation; messages: ConversationMessage[] }> {
    const conversation = await this.conversation(id);
    return { conversation, messages: await this.deps.conversations.history(conversation.sid) };
  }

  async reply(id: string, reply: AgentReply): Promise<{ conversation: Conversation; message: ConversationMessage }> {
    const conversation = await this.conversation(id);
    return { conversation, message: await sendAgentReply(this.deps, conversation, reply) };
  }

  /** Files a customer's message to one of our numbers (see `receiveSms`). */
  receive(number: PhoneNumberRecord, params: Record<string, string | undefined>): Promise<SmsFiling> {
    return receiveSms({ engine: this.deps.engine, conversations: this.deps.conversations }, number, params);
  }

  /** Files the number's automatic reply, which Twilio sends from our TwiML, in the conversation it answers. */
  async fileAutoReply(conversation: Conversation, body: string): Promise<void> {
    const message = outboundMessage(conversation, { sid: null, body, mediaUrls: [], author: 'auto_reply', status: null }, this.deps.engine.clock.now());
    await this.deps.conversations.file(conversation.sid, message);
  }

  /** Keeps a delivery report Twilio sent for one of the conversation's messages. */
  async recordDelivery(conversationSid: string, report: DeliveryReport): Promise<void> {
    if (!(await this.deps.conversations.get(conversationSid))) return;
    await this.deps.conversations.recordDelivery(conversationSid, report);
  }
}
