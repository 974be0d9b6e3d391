import type { ConversationMessage } from './conversation.js';

/** Twilio caps a message body at 1600 characters; the task keeps no more of the first message. */
const FIRST_MESSAGE_CHARS = 1600;
/** Enough of the latest message for an agent's task list, small enough to keep attributes far from 4096. */
const LAST_MESSAGE_CHARS = 160;
const PLACES = ['City', 'State', 'Zip', 'Country'];

/**
 * The attributes of the task a customer's first message creates: who wrote to which number, over which channel,
 * the conversation to answer in, and the first message. The rest of the conversation stays out of the task (see
 * conversation-keys.ts); only how many messages the customer sent and the latest one are noted as it grows.
 */
export function smsTaskAttributes(message: ConversationMessage, conversationSid: string, params: Record<string, string | undefined>): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    from: message.from,
    to: message.to,
    channel: message.from.startsWith('whatsapp:') ? 'whatsapp' : 'sms',
    conversation_sid: conversationSid,
    first_message: message.body.slice(0, FIRST_MESSAGE_CHARS),
    message_count: 1,
  };
  if (message.sid) attributes.message_sid = message.sid;
  if (message.mediaUrls.length > 0) attributes.num_media = message.mediaUrls.length;
  for (const place of PLACES) {
    const value = params[`From${place}`];
    if (value) attributes[`from_${place.toLowerCase()}`] = value;
  }
  return attributes;
}

/** What a customer's later message changes in the task: how many they sent, and the latest one. */
export function messageNote(customerMessages: number, message: ConversationMessage): Record<string, unknown> {
  return { message_count: customerMessages, last_message: message.body.slice(0, LAST_MESSAGE_CHARS) };
}
