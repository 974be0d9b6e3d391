import { createHash } from 'node:crypto';
import { pairTag, pairTagOf } from '../sms/conversation-keys.js';
import type { ClaimKey, ConfigKind } from './connector-state.js';

/**
 * Redis key layout of the connector's state, under the routing store's prefix and `connector:`. The `{…}` part of a
 * key is its Cluster hash tag: keys sharing one live in one slot, and one Lua script can change them together.
 *
 *   {config}:phoneNumber          hash    sid → record JSON      configuration: numbers and menus share one slot,
 *   {config}:ivrMenu              hash    sid → record JSON      since a change checks references across both (a
 *   {config}:phoneNumber:order    zset    sid by creation        menu's numbers and parents, a number's menu) and
 *   {config}:ivrMenu:order        zset    sid by creation        must land atomically with what it checked; it is
 *   {config}:names                hash    kind:name → sid        small and written rarely
 *   {config}:seq                  string  creation counter
 *
 *   {<subject>}:<claim kind>      string  holder                 one slot per subject: `{CA…}` for a call's task,
 *                                                                creation claim and Twilio queue, `{WR…}` for an
 *                                                                agent's ringing leg, `{WT…}` for a task's
 *                                                                conversation, the agent's identity for browser
 *                                                                agent presence (hashed when it holds a brace);
 *                                                                call links expire after a day, kept or not
 *
 *   {CH<8 hex>}:open:<number>:<customer>  string  CH of the pair's open conversation
 *   {CH<8 hex>}:conversation:<CH>         string  the conversation as it opened (JSON)
 *   {CH<8 hex>}:closing:<CH>              string  when and why it closed (JSON)
 *   {CH<8 hex>}:messages:<CH>             list    messages as filed (JSON), oldest first, capped
 *   {CH<8 hex>}:reports:<CH>              hash    SM → furthest delivery report (JSON)
 *   {CH<8 hex>}:inbound:<SM>              string  CH an inbound message was filed in (expires after the retention)
 *
 * The conversation tag is the pair's (see sms/conversation-keys.ts), which every sid of the pair's conversations
 * starts with: one number's conversations with different customers spread over the cluster, while opening, filing
 * and closing one each stay one atomic script. Closing sets the retention as expiry on the conversation's keys;
 * anything filed after that takes the same expiry.
 */
export class ConnectorKeys {
  private readonly base: string;

  constructor(prefix: string) {
    // A brace in the prefix would become every key's hash tag and put all of them in one slot.
    if (/[{}]/.test(prefix)) throw new Error(`Redis key prefix must not contain braces: ${prefix}`);
    this.base = `${prefix}connector:`;
  }

  records(kind: ConfigKind): string {
    return `${this.base}{config}:${kind}`;
  }

  order(kind: ConfigKind): string {
    return `${this.base}{config}:${kind}:order`;
  }

  get names(): string {
    return `${this.base}{config}:names`;
  }

  get sequence(): string {
    return `${this.base}{config}:seq`;
  }

  claim(key: ClaimKey): string {
    const tag = /[{}]/.test(key.subject) ? createHash('sha256').update(key.subject).digest('hex').slice(0, 16) : key.subject;
    return `${this.base}{${tag}}:${key.kind}${tag === key.subject ? '' : `:${key.subject}`}`;
  }

  /** The keys of one conversation, in its pair's slot. */
  conversation(sid: string): { conversation: string; closing: string; messages: string; reports: string } {
    const tagged = `${this.base}{${pairTagOf(sid)}}:`;
    return {
      conversation: `${tagged}conversation:${sid}`,
      closing: `${tagged}closing:${sid}`,
      messages: `${tagged}messages:${sid}`,
      reports: `${tagged}reports:${sid}`,
    };
  }

  openPair(number: string, customer: string): string {
    return `${this.base}{${pairTag(number, customer)}}:open:${number}:${customer}`;
  }

  /** Where an inbound message's filing is kept: in the slot of the pair (the sid's tag) it came from. */
  inbound(tag: string, messageSid: string): string {
    return `${this.base}{${tag}}:inbound:${messageSid}`;
  }
}
