import { CommitConflict } from '../../core/errors.js';
import type { RedisClient } from '../../store/redis/connection.js';
import { OutageReporter } from '../../store/redis/outage.js';
import type { ConversationMessage, ConversationOpening } from '../sms/conversation.js';
import { pairTag, pairTagOf } from '../sms/conversation-keys.js';
import { deliveryStanding } from '../sms/history-entry.js';
import {
  DEFAULT_RETENTION,
  type ClaimKey,
  type ConfigKind,
  type ConfigRecordByKind,
  type ConfigurationChange,
  type ConnectorRetention,
  type ConnectorState,
  type ConversationClosing,
  type DeliveryReport,
  type StoredConversation,
} from './connector-state.js';
import { ConnectorKeys } from './redis-keys.js';
import { connectorScripts, type ConnectorScripts } from './redis-scripts.js';

/** Script replies that mean a lost race or a taken key (see the scripts' headers). */
const CONFLICTS: Record<number, string> = {
  [-1]: 'what the change was computed from has changed',
  [-2]: 'the name or message is taken',
};

/**
 * The connector's state on Redis, on the routing store's connection and under its prefix (layout: redis-keys.ts).
 * Each primitive is one command or one script over keys of one slot.
 */
export class RedisConnectorState implements ConnectorState {
  private readonly keys: ConnectorKeys;
  private readonly scripts: ConnectorScripts;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    readonly retention: ConnectorRetention = DEFAULT_RETENTION,
  ) {
    this.keys = new ConnectorKeys(prefix);
    this.scripts = connectorScripts(redis);
    reportOutages(this, () => redis.status === 'ready');
  }

  async listConfigured<K extends ConfigKind>(kind: K): Promise<Array<ConfigRecordByKind[K]>> {
    const sids = await this.redis.zrange(this.keys.order(kind), 0, -1);
    if (sids.length === 0) return [];
    const found = await this.redis.hmget(this.keys.records(kind), ...sids);
    return found.flatMap((json) => (json ? [JSON.parse(json) as ConfigRecordByKind[K]] : []));
  }

  async configured<K extends ConfigKind>(kind: K, sid: string): Promise<ConfigRecordByKind[K] | null> {
    const json = await this.redis.hget(this.keys.records(kind), sid);
    return json ? (JSON.parse(json) as ConfigRecordByKind[K]) : null;
  }

  async configuredName(kind: ConfigKind, name: string): Promise<string | null> {
    return this.redis.hget(this.keys.names, nameField(kind, name));
  }

  async changeConfiguration(change: ConfigurationChange): Promise<void> {
    const encoded = {
      expect: (change.expect ?? []).map((e) => ({ kind: e.kind, sid: e.sid, version: e.version ?? -1 })),
      put: (change.put ?? []).map((p) => ({ kind: p.kind, sid: p.record.sid, json: JSON.stringify(p.record) })),
      delete: change.delete ?? [],
      names: (change.names ?? []).map((n) => ({ op: n.op, field: nameField(n.kind, n.name), sid: n.sid })),
    };
    const k = this.keys;
    settle(
      await this.scripts.changeConfiguration(
        k.records('phoneNumber'),
        k.records('ivrMenu'),
        k.order('phoneNumber'),
        k.order('ivrMenu'),
        k.names,
        k.sequence,
        // cjson reads an empty JSON array as an empty table, which is what the script walks.
        JSON.stringify(encoded),
      ),
    );
  }

  async claim(key: ClaimKey, holder: string, expiresInMs?: number): Promise<boolean> {
    return (await this.scripts.connectorClaim(this.keys.claim(key), holder, String(Math.ceil(expiresInMs ?? 0)))) === 1;
  }

  async holder(key: ClaimKey): Promise<string | null> {
    return this.redis.get(this.keys.claim(key));
  }

  async release(key: ClaimKey, holder: string): Promise<boolean> {
    return (await this.scripts.connectorRelease(this.keys.claim(key), holder)) === 1;
  }

  async expireClaim(key: ClaimKey, afterMs: number): Promise<void> {
    await this.redis.pexpire(this.keys.claim(key), Math.ceil(afterMs));
  }

  async openConversation(opening: ConversationOpening, first: ConversationMessage, claimInbound: boolean): Promise<void> {
    const keys = this.keys.conversation(opening.sid);
    const filing = filingOf(first, claimInbound);
    settle(
      await this.scripts.openConversation(
        this.keys.openPair(opening.number, opening.customer),
        keys.conversation,
        keys.messages,
        this.keys.inbound(pairTagOf(opening.sid), filing ?? ''),
        opening.sid,
        JSON.stringify(opening),
        JSON.stringify(first),
        filing ? '1' : '0',
        String(this.retention.conversationMs),
      ),
    );
  }

  async conversation(sid: string): Promise<StoredConversation | null> {
    const keys = this.keys.conversation(sid);
    const [opening, closing] = await this.redis.mget(keys.conversation, keys.closing);
    if (!opening) return null;
    return { opening: JSON.parse(opening) as ConversationOpening, closing: closing ? (JSON.parse(closing) as ConversationClosing) : null };
  }

  async openConversationBetween(number: string, customer: string): Promise<string | null> {
    return this.redis.get(this.keys.openPair(number, customer));
  }

  async fileMessage(conversationSid: string, message: ConversationMessage, options: { claimInbound: boolean; keep: number }): Promise<void> {
    const keys = this.keys.conversation(conversationSid);
    const filing = filingOf(message, options.claimInbound);
    settle(
      await this.scripts.fileMessage(
        keys.conversation,
        keys.messages,
        keys.reports,
        this.keys.inbound(pairTagOf(conversationSid), filing ?? ''),
        conversationSid,
        JSON.stringify(message),
        String(options.keep),
        filing ? '1' : '0',
        String(this.retention.conversationMs),
      ),
    );
  }

  async filedIn(number: string, customer: string, messageSid: string): Promise<string | null> {
    return this.redis.get(this.keys.inbound(pairTag(number, customer), messageSid));
  }

  async closeConversation(opening: ConversationOpening, closing: ConversationClosing): Promise<boolean> {
    const keys = this.keys.conversation(opening.sid);
    const reply = await this.scripts.closeConversation(
      this.keys.openPair(opening.number, opening.customer),
      keys.conversation,
      keys.closing,
      keys.messages,
      keys.reports,
      opening.sid,
      JSON.stringify(closing),
      String(this.retention.conversationMs),
    );
    return reply === 1;
  }

  async messages(conversationSid: string): Promise<ConversationMessage[]> {
    const found = await this.redis.lrange(this.keys.conversation(conversationSid).messages, 0, -1);
    return found.map((json) => JSON.parse(json) as ConversationMessage);
  }

  async messageCount(conversationSid: string): Promise<number> {
    return this.redis.llen(this.keys.conversation(conversationSid).messages);
  }

  async recordDelivery(conversationSid: string, report: DeliveryReport): Promise<void> {
    const keys = this.keys.conversation(conversationSid);
    const standing = deliveryStanding(report);
    await this.scripts.recordDelivery(
      keys.conversation,
      keys.reports,
      report.messageSid,
      String(standing.progress),
      standing.tie,
      JSON.stringify({ ...report, ...standing }),
    );
  }

  async deliveryReports(conversationSid: string): Promise<DeliveryReport[]> {
    const kept = await this.redis.hvals(this.keys.conversation(conversationSid).reports);
    return kept.map((json) => {
      const { messageSid, status, errorCode } = JSON.parse(json) as DeliveryReport;
      return { messageSid, status, errorCode };
    });
  }
}

const nameField = (kind: ConfigKind, name: string): string => `${kind}:${name}`;

/** The message sid to file once, when it is to be. */
function filingOf(message: ConversationMessage, claimInbound: boolean): string | null {
  return claimInbound && message.direction === 'inbound' && message.sid ? message.sid : null;
}

/** Turns a script's conflict reply into `CommitConflict`: the one place the codes are read. */
function settle(reply: number): void {
  const conflict = CONFLICTS[reply];
  if (conflict) throw new CommitConflict(conflict);
}

/** Redis being unreachable is the API's 503, as for the routing store; lost races stay `CommitConflict`. */
function reportOutages(state: RedisConnectorState, connected: () => boolean): void {
  const target = state as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const outages = new OutageReporter();
  for (const name of Object.getOwnPropertyNames(RedisConnectorState.prototype)) {
    if (name === 'constructor') continue;
    const call = target[name]!.bind(state);
    target[name] = (...args: unknown[]) => call(...args).then(outages.passed, (err: unknown) => outages.rethrow(err, connected()));
  }
}
