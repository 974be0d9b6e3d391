import { shortenToFit, truncateText } from '../../core/text-limits.js';
import { MAX_ATTRIBUTES_LENGTH } from '../../core/validate.js';
import type { ConversationMessage } from './conversation.js';

/** Enough of the latest message for an agent's task list, small enough to keep attributes far from 4096. */
const LAST_MESSAGE_CHARS = 160;
const PLACES = ['City', 'State', 'Zip', 'Country'];

/**
 * What gives way, first to last, when a new task's attributes would exceed TaskRouter's limit: what Twilio says of
 * where the sender is, then the first message (kept whole in the conversation anyway), and the identifiers only
 * when nothing else is left — so the task is always created and no message is lost to its attributes' size.
 */
const GIVE_WAY_ON_OPENING = ['from_city', 'from_state', 'from_zip', 'from_country', 'first_message', 'message_sid', 'to', 'from'];
/**
 * What gives way when a later message is noted: the first message (up to 1,600 characters, kept whole in the
 * conversation) before the latest one's 160.
 */
const GIVE_WAY_ON_NOTE = ['first_message', 'last_message'];

/**
 * The attributes of the task a customer's first message creates: who wrote to which number, over which channel,
 * the conversation to answer in, the first message and how many attachments it has. The rest of the conversation
 * stays out of the task (see conversation-keys.ts); only how many messages the customer sent and the latest one are
 * noted as it grows. Always within TaskRouter's limit on attributes, as JSON with its escapes.
 */
export function smsTaskAttributes(message: ConversationMessage, conversationSid: string, params: Record<string, string | undefined>): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    from: message.from,
    to: message.to,
    channel: message.from.startsWith('whatsapp:') ? 'whatsapp' : 'sms',
    conversation_sid: conversationSid,
    first_message: message.body,
    message_count: 1,
    num_media: message.mediaUrls.length,
  };
  if (message.sid) attributes.message_sid = message.sid;
  for (const place of PLACES) {
    const value = params[`From${place}`];
    if (value) attributes[`from_${place.toLowerCase()}`] = value;
  }
  return shortenToFit(attributes, GIVE_WAY_ON_OPENING, MAX_ATTRIBUTES_LENGTH);
}

/**
 * What a customer's later message changes in a task whose attributes are `current`: how many they sent, and the
 * latest message — with the first message shortened, and the latest too if need be, so the attributes stay within
 * TaskRouter's limit whatever else the task carries.
 */
export function messageNote(current: Record<string, unknown>, customerMessages: number, message: ConversationMessage): Record<string, unknown> {
  const note = { message_count: customerMessages, last_message: truncateText(message.body, LAST_MESSAGE_CHARS) };
  const fitted = shortenToFit({ ...current, ...note }, GIVE_WAY_ON_NOTE, MAX_ATTRIBUTES_LENGTH);
  const changes: Record<string, unknown> = { ...note, last_message: fitted.last_message };
  if (fitted.first_message !== current.first_message) changes.first_message = fitted.first_message;
  return changes;
}
