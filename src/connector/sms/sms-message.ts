import type { Conversation, ConversationMessage } from './conversation.js';

/** Attachments read from one message: Twilio allows ten. */
const MAX_MEDIA = 10;

/** An inbound SMS/MMS webhook's message, as a conversation keeps it. */
export function inboundMessage(params: Record<string, string | undefined>, now: number): ConversationMessage {
  const count = Math.min(MAX_MEDIA, Math.max(0, Number(params.NumMedia) || 0));
  const mediaUrls: string[] = [];
  for (let i = 0; i < count; i++) {
    const url = params[`MediaUrl${i}`];
    if (url) mediaUrls.push(url);
  }
  return {
    sid: params.MessageSid ?? params.SmsMessageSid ?? params.SmsSid ?? null,
    direction: 'inbound',
    from: params.From ?? '',
    to: params.To ?? '',
    body: params.Body ?? '',
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
