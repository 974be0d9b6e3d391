import { CommitConflict } from '../../core/errors.js';
import type { Clock } from '../../engine/clock.js';
import type { ConversationMessage, ConversationOpening } from '../sms/conversation.js';
import { supersedes } from '../sms/history-entry.js';
import {
  DEFAULT_RETENTION,
  type ClaimKey,
  type ConfigKind,
  type ConfigRecord,
  type ConfigRecordByKind,
  type ConfigurationChange,
  type ConnectorRetention,
  type ConnectorState,
  type ConversationClosing,
  type DeliveryReport,
  type StoredConversation,
} from './connector-state.js';

/** A value kept until `expiresAt` (ms on the clock), or for good. */
interface Expiring<T> {
  value: T;
  expiresAt: number;
}

interface KeptConversation {
  opening: ConversationOpening;
  closing: ConversationClosing | null;
  messages: ConversationMessage[];
  reports: Map<string, DeliveryReport>;
}

/** Everything a memory connector state holds, as JSON (expiry `null`: kept for good). */
export interface MemoryConnectorSnapshot {
  records: { phoneNumber: ConfigRecord[]; ivrMenu: ConfigRecord[] };
  names: Array<[string, string]>;
  claims: Array<[string, string, number | null]>;
  conversations: Array<[string, Omit<KeptConversation, 'reports'> & { reports: DeliveryReport[] }, number | null]>;
  openPairs: Array<[string, string]>;
  filings: Array<[string, string, number | null]>;
}

/** How often, on the clock, expired entries are swept out so a long-running process does not keep them. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The connector's state in this process: the embedded store's companion. Expiry is read from the engine's clock, so
 * a test that moves the clock sees retention at work without waiting.
 */
export class MemoryConnectorState implements ConnectorState {
  private readonly records = { phoneNumber: new Map<string, ConfigRecord>(), ivrMenu: new Map<string, ConfigRecord>() };
  private readonly names = new Map<string, string>();
  private readonly claims = new Map<string, Expiring<string>>();
  private readonly conversations = new Map<string, Expiring<KeptConversation>>();
  private readonly openPairs = new Map<string, string>();
  private readonly filings = new Map<string, Expiring<string>>();
  private lastSweep: number;

  constructor(
    private readonly clock: Clock,
    readonly retention: ConnectorRetention = DEFAULT_RETENTION,
  ) {
    this.lastSweep = clock.now();
  }

  async listConfigured<K extends ConfigKind>(kind: K): Promise<Array<ConfigRecordByKind[K]>> {
    return [...this.records[kind].values()].map((record) => structuredClone(record) as ConfigRecordByKind[K]);
  }

  async configured<K extends ConfigKind>(kind: K, sid: string): Promise<ConfigRecordByKind[K] | null> {
    const found = this.records[kind].get(sid);
    return found ? (structuredClone(found) as ConfigRecordByKind[K]) : null;
  }

  async configuredName(kind: ConfigKind, name: string): Promise<string | null> {
    return this.names.get(nameKey(kind, name)) ?? null;
  }

  async changeConfiguration(change: ConfigurationChange): Promise<void> {
    for (const { kind, sid, version } of change.expect ?? []) {
      if ((this.records[kind].get(sid)?.version ?? null) !== version) throw new CommitConflict(`${kind} ${sid} changed`);
    }
    for (const { op, kind, name, sid } of change.names ?? []) {
      const held = this.names.get(nameKey(kind, name));
      if (op === 'claim' && held !== undefined && held !== sid) throw new CommitConflict(`${kind} name ${name} is taken`);
    }
    for (const { kind, record } of change.put ?? []) this.records[kind].set(record.sid, structuredClone(record));
    for (const { kind, sid } of change.delete ?? []) this.records[kind].delete(sid);
    for (const { op, kind, name, sid } of change.names ?? []) {
      const key = nameKey(kind, name);
      if (op === 'claim') this.names.set(key, sid);
      else if (this.names.get(key) === sid) this.names.delete(key);
    }
  }

  async claim(key: ClaimKey, holder: string, expiresInMs?: number): Promise<boolean> {
    this.sweep();
    const held = this.live(this.claims, claimKey(key));
    if (held !== null) return held === holder;
    this.claims.set(claimKey(key), { value: holder, expiresAt: this.expiry(expiresInMs) });
    return true;
  }

  async holder(key: ClaimKey): Promise<string | null> {
    return this.live(this.claims, claimKey(key));
  }

  async release(key: ClaimKey, holder: string): Promise<boolean> {
    if (this.live(this.claims, claimKey(key)) !== holder) return false;
    this.claims.delete(claimKey(key));
    return true;
  }

  async expireClaim(key: ClaimKey, afterMs: number): Promise<void> {
    const held = this.claims.get(claimKey(key));
    if (held) held.expiresAt = this.expiry(afterMs);
  }

  async openConversation(opening: ConversationOpening, first: ConversationMessage, claimInbound: boolean): Promise<void> {
    this.sweep();
    const pair = pairKey(opening.number, opening.customer);
    if (this.openPairs.has(pair)) throw new CommitConflict(`${opening.number} and ${opening.customer} have an open conversation`);
    const filing = this.filingKey(opening.number, opening.customer, first, claimInbound);
    if (filing && this.live(this.filings, filing) !== null) throw new CommitConflict(`message ${first.sid} was filed already`);
    this.openPairs.set(pair, opening.sid);
    this.conversations.set(opening.sid, {
      value: { opening: structuredClone(opening), closing: null, messages: [structuredClone(first)], reports: new Map() },
      expiresAt: Infinity,
    });
    if (filing) this.filings.set(filing, { value: opening.sid, expiresAt: this.expiry(this.retention.conversationMs) });
  }

  async conversation(sid: string): Promise<StoredConversation | null> {
    const kept = this.live(this.conversations, sid);
    return kept && structuredClone({ opening: kept.opening, closing: kept.closing });
  }

  async openConversationBetween(number: string, customer: string): Promise<string | null> {
    return this.openPairs.get(pairKey(number, customer)) ?? null;
  }

  async fileMessage(conversationSid: string, message: ConversationMessage, options: { claimInbound: boolean; keep: number }): Promise<void> {
    const kept = this.live(this.conversations, conversationSid);
    if (!kept) return;
    const filing = this.filingKey(kept.opening.number, kept.opening.customer, message, options.claimInbound);
    if (filing && this.live(this.filings, filing) !== null) throw new CommitConflict(`message ${message.sid} was filed already`);
    if (filing) this.filings.set(filing, { value: conversationSid, expiresAt: this.expiry(this.retention.conversationMs) });
    kept.messages.push(structuredClone(message));
    for (const dropped of kept.messages.splice(0, Math.max(0, kept.messages.length - options.keep))) {
      if (dropped.sid) kept.reports.delete(dropped.sid);
    }
  }

  async filedIn(number: string, customer: string, messageSid: string): Promise<string | null> {
    return this.live(this.filings, `${pairKey(number, customer)}\n${messageSid}`);
  }

  async closeConversation(opening: ConversationOpening, closing: ConversationClosing): Promise<boolean> {
    const entry = this.conversations.get(opening.sid);
    if (!entry || this.live(this.conversations, opening.sid) === null || entry.value.closing) return false;
    const pair = pairKey(opening.number, opening.customer);
    if (this.openPairs.get(pair) === opening.sid) this.openPairs.delete(pair);
    entry.value.closing = { ...closing };
    entry.expiresAt = this.expiry(this.retention.conversationMs);
    return true;
  }

  async messages(conversationSid: string): Promise<ConversationMessage[]> {
    return structuredClone(this.live(this.conversations, conversationSid)?.messages ?? []);
  }

  async messageCount(conversationSid: string): Promise<number> {
    return this.live(this.conversations, conversationSid)?.messages.length ?? 0;
  }

  async recordDelivery(conversationSid: string, report: DeliveryReport): Promise<void> {
    const reports = this.live(this.conversations, conversationSid)?.reports;
    if (reports && supersedes(report, reports.get(report.messageSid))) reports.set(report.messageSid, { ...report });
  }

  async deliveryReports(conversationSid: string): Promise<DeliveryReport[]> {
    return structuredClone([...(this.live(this.conversations, conversationSid)?.reports.values() ?? [])]);
  }

  /** Everything it holds, as JSON. */
  snapshot(): MemoryConnectorSnapshot {
    const expiry = (at: number) => (at === Infinity ? null : at);
    return {
      records: { phoneNumber: [...this.records.phoneNumber.values()], ivrMenu: [...this.records.ivrMenu.values()] },
      names: [...this.names],
      claims: [...this.claims].map(([key, e]) => [key, e.value, expiry(e.expiresAt)]),
      conversations: [...this.conversations].map(([sid, e]) => [sid, { ...e.value, reports: [...e.value.reports.values()] }, expiry(e.expiresAt)]),
      openPairs: [...this.openPairs],
      filings: [...this.filings].map(([key, e]) => [key, e.value, expiry(e.expiresAt)]),
    };
  }

  /** Takes back what `snapshot` held (into an empty state). */
  restore(saved: MemoryConnectorSnapshot): void {
    const expiry = (at: number | null) => at ?? Infinity;
    for (const kind of ['phoneNumber', 'ivrMenu'] as const) for (const record of saved.records[kind]) this.records[kind].set(record.sid, record);
    for (const [key, sid] of saved.names) this.names.set(key, sid);
    for (const [key, value, at] of saved.claims) this.claims.set(key, { value, expiresAt: expiry(at) });
    for (const [sid, kept, at] of saved.conversations) {
      this.conversations.set(sid, { value: { ...kept, reports: new Map(kept.reports.map((r) => [r.messageSid, r])) }, expiresAt: expiry(at) });
    }
    for (const [pair, sid] of saved.openPairs) this.openPairs.set(pair, sid);
    for (const [key, value, at] of saved.filings) this.filings.set(key, { value, expiresAt: expiry(at) });
  }

  private filingKey(number: string, customer: string, message: ConversationMessage, claimInbound: boolean): string | null {
    return claimInbound && message.direction === 'inbound' && message.sid ? `${pairKey(number, customer)}\n${message.sid}` : null;
  }

  private expiry(afterMs: number | undefined): number {
    return afterMs === undefined ? Infinity : this.clock.now() + afterMs;
  }

  /** The entry's value while it has not expired; an expired one is dropped. */
  private live<T>(entries: Map<string, Expiring<T>>, key: string): T | null {
    const entry = entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt > this.clock.now()) return entry.value;
    entries.delete(key);
    return null;
  }

  /** Drops what expired, at most once a minute of the clock: reads drop what they meet, this the rest. */
  private sweep(): void {
    const now = this.clock.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const entries of [this.claims, this.filings, this.conversations] as Array<Map<string, Expiring<unknown>>>) {
      for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    }
  }
}

const nameKey = (kind: ConfigKind, name: string): string => `${kind}\n${name}`;
const claimKey = (key: ClaimKey): string => `${key.kind}\n${key.subject}`;
const pairKey = (number: string, customer: string): string => `${number}\n${customer}`;
