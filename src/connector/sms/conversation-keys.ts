import { createHash, randomUUID } from 'node:crypto';

const CONVERSATION_SID = /^CH[0-9a-fA-F]{32}$/;
/** Characters of a conversation sid that name its pair (`CH` and 8 hex digits). */
const PAIR_TAG_LENGTH = 10;

/**
 * The tag every conversation between a number and a customer shares: `CH` and the first 8 hex digits of a hash of
 * the pair. It starts each of their sids, so a conversation's pair is known from its sid alone, and the Redis state
 * keeps each pair's keys in one Cluster slot (see state/redis-keys.ts): opening, filing and closing are then each one
 * atomic script. Pairs whose hashes meet merely share a slot.
 */
export function pairTag(number: string, customer: string): string {
  return (
    'CH' +
    createHash('sha256')
      .update(`${number}\n${customer}`)
      .digest('hex')
      .slice(0, PAIR_TAG_LENGTH - 2)
  );
}

/** The pair tag a conversation sid starts with. */
export function pairTagOf(conversationSid: string): string {
  return conversationSid.slice(0, PAIR_TAG_LENGTH);
}

/** A fresh sid for a conversation of the pair: `CH` and 32 hex digits, the shape of Twilio's Conversations sids. */
export function newConversationSid(number: string, customer: string): string {
  return (
    pairTag(number, customer) +
    randomUUID()
      .replace(/-/g, '')
      .slice(0, 32 - (PAIR_TAG_LENGTH - 2))
  );
}

export function isConversationSid(value: string): boolean {
  return CONVERSATION_SID.test(value);
}
