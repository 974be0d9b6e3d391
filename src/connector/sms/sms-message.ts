import { truncateText } from '../../core/text-limits.js';
import type { Conversation, ConversationMessage } from './conversation.js';

/** Attachments of one message: Twilio allows ten. */
export const MAX_MEDIA = 10;
/** Longer than any media URL Twilio hands out; one longer still is not kept (a cut URL leads nowhere). */
const MAX_MEDIA_URL_CHARS = 2048;
/**
 * Twilio's limit on a message body. An inbound body is kept to it: every conversation keeps up to a thousand
 * messages, so a body beyond anything Twilio delivers must not be stored whole.
 */
export const MAX_BODY_CHARS = 1600;

/** An inbound SMS/MMS webhook's message, as a conversation keeps it: its body cut to `MAX_BODY_CHARS`. */
export function inboundMessage(params: Record<string, string | undefined>, now: number): ConversationMessage {
  const count = Math.min(MAX_MEDIA, Math.max(0, Number(params.NumMedia) || 0));
  const mediaUrls: string[] = [];
  for (let i = 0; i < count; i++) {
    const url = params[`MediaUrl${i}`];
    if (url && url.length <= MAX_MEDIA_URL_CHARS) mediaUrls.push(url);
  }
  return {
    sid: params.MessageSid ?? params.SmsMessageSid ?? params.SmsSid ?? null,
    direction: 'inbound',
    from: params.From ?? '',
    to: params.To ?? '',
    body: truncateText(params.Body ?? '', MAX_BODY_CHARS),
    mediaUrls,
    author: 'customer',
    status: 'received',
    errorCode: null,
    dateCreated: now,
  };
}

/** What varies between our outbound messages: an agent's reply as Twilio accepted it, or the automatic reply. */
export type OutboundContent = Pick<ConversationMessage, 'sid' | 'body' | 'mediaUrls' | 'author' | 'status'>;

/** A message we send the customer, from the number they wrote to, as a conversation keeps it. */
export function outboundMessage(conversation: Pick<Conversation, 'number' | 'customer'>, content: OutboundContent, now: number): ConversationMessage {
  return {
    sid: content.sid,
    direction: 'outbound',
    from: conversation.number,
    to: conversation.customer,
    body: content.body,
    mediaUrls: content.mediaUrls,
    author: content.author,
    status: content.status,
    errorCode: null,
    dateCreated: now,
  };
}
