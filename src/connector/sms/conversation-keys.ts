import { randomUUID } from 'node:crypto';

/**
 * Where conversations live in the routing store, in the connector's partition (shared by every instance):
 *
 *   unique  sms:conversation:<CH>          → the conversation as it opened (JSON)
 *   unique  sms:open:<number>:<customer>   → CH of the pair's open conversation; released when it closes
 *   unique  sms:task:<WT>                  → CH of the task's conversation
 *   unique  sms:closed:<CH>                → when and why it closed (JSON); absent while open
 *   unique  sms:inbound:<SM>               → CH/<filing id> an inbound message was filed in: a retried webhook is filed once
 *   index   sms:history:<CH>               messages in the order they were filed (see history-entry.ts)
 *   index   sms:delivery:<CH>              delivery reports of outbound messages
 *
 * Claims and releases of unique keys are atomic with the index writes of the same commit, so a conversation opens
 * with its first message and its keys, or not at all; two instances racing to open the same pair's conversation
 * cannot both win the `open` key.
 */
export const conversationKey = (sid: string): string => `sms:conversation:${sid}`;
export const openKey = (number: string, customer: string): string => `sms:open:${number}:${customer}`;
export const taskKey = (taskSid: string): string => `sms:task:${taskSid}`;
export const closedKey = (sid: string): string => `sms:closed:${sid}`;
export const inboundKey = (messageSid: string): string => `sms:inbound:${messageSid}`;
export const historyIndex = (sid: string): string => `sms:history:${sid}`;
export const deliveryIndex = (sid: string): string => `sms:delivery:${sid}`;

const CONVERSATION_SID = /^CH[0-9a-fA-F]{32}$/;

/** A fresh conversation sid: `CH` and 32 hex digits, the shape of Twilio's Conversations sids. */
export function newConversationSid(): string {
  return 'CH' + randomUUID().replace(/-/g, '');
}

export function isConversationSid(value: string): boolean {
  return CONVERSATION_SID.test(value);
}
