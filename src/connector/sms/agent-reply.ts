import type twilio from 'twilio';
import { badRequest, TwilioError } from '../../core/errors.js';
import type { RoutingEngine } from '../../engine/engine.js';
import { twilioRest } from '../twilio/rest-failure.js';
import type { Conversation, ConversationMessage } from './conversation.js';
import type { ConversationStore } from './conversation-store.js';
import { isHttpUrl } from '../settings-reader.js';
import { stillOpen } from './conversation-task.js';
import { MAX_BODY_CHARS, MAX_MEDIA, outboundMessage } from './sms-message.js';

/** What an agent sends: a body, attachments, or both. */
export interface AgentReply {
  body: string | undefined;
  mediaUrls: string[];
  /** Who is writing, as the agent's application names them (a worker sid, a name); recorded with the message. */
  author: string | null;
}

export interface AgentReplyDeps {
  engine: RoutingEngine;
  conversations: ConversationStore;
  /** Twilio's REST client; null when no Twilio credentials are configured. */
  client: twilio.Twilio | null;
  /** Where Twilio reports the message's delivery, or null for no reports. */
  statusCallbackUrl: (conversationSid: string) => string | null;
}

/**
 * Sends an agent's reply to the customer through Twilio's Messages API, from the number the customer wrote to, and
 * files it in the conversation. A closed conversation (its task ended) is refused with a 400: the customer's next
 * message opens a new one. A message Twilio refuses is not filed, and its error is the answer.
 */
export async function sendAgentReply(deps: AgentReplyDeps, conversation: Conversation, reply: AgentReply): Promise<ConversationMessage> {
  checkReply(reply);
  if (!(await stillOpen(deps.engine, deps.conversations, conversation))) {
    const current = (await deps.conversations.get(conversation.sid)) ?? conversation;
    throw badRequest(
      `Conversation ${conversation.sid} is closed (${current.closedReason ?? 'its task ended'}): replies are refused; the customer's next message opens a new conversation`,
    );
  }
  const client = deps.client;
  if (!client) throw new TwilioError(20001, 501, 'Sending messages is not configured on this server: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN');
  const statusCallback = deps.statusCallbackUrl(conversation.sid);
  const sent = await twilioRest('send the message', () =>
    client.messages.create({
      from: conversation.number,
      to: conversation.customer,
      ...(reply.body !== undefined ? { body: reply.body } : {}),
      ...(reply.mediaUrls.length > 0 ? { mediaUrl: reply.mediaUrls } : {}),
      ...(statusCallback ? { statusCallback } : {}),
    }),
  );
  const message = outboundMessage(
    conversation,
    { sid: sent.sid, body: reply.body ?? '', mediaUrls: reply.mediaUrls, author: reply.author, status: sent.status ?? 'queued' },
    deps.engine.clock.now(),
  );
  await deps.conversations.file(conversation.sid, message);
  return message;
}

function checkReply(reply: AgentReply): void {
  if ((reply.body === undefined || reply.body === '') && reply.mediaUrls.length === 0) throw badRequest('Body or MediaUrl is required', 21602);
  if (reply.body !== undefined && reply.body.length > MAX_BODY_CHARS) throw badRequest(`Body must be at most ${MAX_BODY_CHARS} characters`, 21617);
  if (reply.mediaUrls.length > MAX_MEDIA) throw badRequest(`At most ${MAX_MEDIA} MediaUrl values may be sent`, 21623);
  for (const url of reply.mediaUrls) {
    if (!isHttpUrl(url)) throw badRequest(`MediaUrl must be an absolute http(s) URL, got '${url}'`, 21620);
  }
}
