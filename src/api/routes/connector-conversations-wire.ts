import type { Conversation, ConversationMessage } from '../../connector/sms/conversation.js';
import { formatDate } from '../wire/dates.js';

/** A conversation on the wire (snake_case, ISO dates, its own absolute URL and its messages' URL). */
export function serializeConversation(c: Conversation, publicUrl: string, accountSid: string, messageCount: number): Record<string, unknown> {
  const url = `${publicUrl}/v1/Connector/Conversations/${c.sid}`;
  return {
    sid: c.sid,
    account_sid: accountSid,
    workspace_sid: c.workspaceSid,
    task_sid: c.taskSid,
    phone_number_sid: c.numberSid,
    number: c.number,
    customer: c.customer,
    status: c.status,
    message_count: messageCount,
    closed_reason: c.closedReason,
    date_created: formatDate(c.dateCreated),
    date_closed: formatDate(c.dateClosed),
    url,
    links: { messages: `${url}/Messages` },
  };
}

/** One message of a conversation on the wire. */
export function serializeConversationMessage(m: ConversationMessage, conversationSid: string, accountSid: string): Record<string, unknown> {
  return {
    sid: m.sid,
    account_sid: accountSid,
    conversation_sid: conversationSid,
    direction: m.direction,
    from: m.from,
    to: m.to,
    body: m.body,
    media_urls: m.mediaUrls,
    author: m.author,
    status: m.status,
    error_code: m.errorCode,
    date_created: formatDate(m.dateCreated),
  };
}
