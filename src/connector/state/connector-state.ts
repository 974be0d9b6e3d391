import type { IvrMenuRecord, PhoneNumberRecord } from '../../core/model.js';
import type { ConversationMessage, ConversationOpening } from '../sms/conversation.js';

/**
 * The ConnectorState seam: what the voice and SMS connector keeps for itself, beside (never inside) the routing
 * store. Two implementations: in memory (the embedded default, expiring by the engine's clock) and on Redis (the
 * routing store's connection and key prefix, keys spread over a Cluster by hash tag; see redis-keys.ts).
 *
 * Three families of primitives, each atomic on its own:
 * - configuration: phone numbers and IVR menus as versioned records with unique names, changed by
 *   compare-and-commit (`changeConfiguration` throws `CommitConflict` and changes nothing when a version or name
 *   moved), so cross-reference checks made on what was read still hold when the change lands;
 * - claims: a value held under a key by one holder at a time (compare-and-set), optionally expiring;
 * - conversations: SMS conversations with a capped message history and delivery reports; a closed conversation,
 *   its messages and filings expire after the conversation retention.
 */
export interface ConnectorState {
  /** How long what outlives its use is kept. */
  readonly retention: ConnectorRetention;

  /** Every record of a kind, in creation order. */
  listConfigured<K extends ConfigKind>(kind: K): Promise<Array<ConfigRecordByKind[K]>>;
  configured<K extends ConfigKind>(kind: K, sid: string): Promise<ConfigRecordByKind[K] | null>;
  /** The sid of the record holding `name` (a number's E.164, a menu's unique name), if any. */
  configuredName(kind: ConfigKind, name: string): Promise<string | null>;
  /** Applies a configuration change whole, or throws `CommitConflict` and applies nothing. */
  changeConfiguration(change: ConfigurationChange): Promise<void>;

  /**
   * Claims `key` for `holder`: true when it was free (or held by `holder` already), false when another holds it.
   * With `expiresInMs`, a new claim is let go by itself after that long.
   */
  claim(key: ClaimKey, holder: string, expiresInMs?: number): Promise<boolean>;
  holder(key: ClaimKey): Promise<string | null>;
  /** Lets go of `key` if `holder` still holds it; false when it does not (a newer holder keeps it). */
  release(key: ClaimKey, holder: string): Promise<boolean>;
  /** Has a claim let go by itself `afterMs` from now, whoever holds it. */
  expireClaim(key: ClaimKey, afterMs: number): Promise<void>;

  /**
   * Opens a conversation with its first message, and with `claimInbound` files that message once. Throws
   * `CommitConflict` and changes nothing when the pair has an open conversation or the message was filed already.
   */
  openConversation(opening: ConversationOpening, first: ConversationMessage, claimInbound: boolean): Promise<void>;
  conversation(sid: string): Promise<StoredConversation | null>;
  /** The sid of the open conversation between a number and a customer, if any. */
  openConversationBetween(number: string, customer: string): Promise<string | null>;
  /**
   * Appends a message to a conversation's history, dropping the oldest (and their delivery reports) beyond `keep`.
   * With `claimInbound`, an inbound message is filed at most once (`CommitConflict` when it already was).
   */
  fileMessage(conversationSid: string, message: ConversationMessage, options: { claimInbound: boolean; keep: number }): Promise<void>;
  /** The conversation an inbound message from `customer` to `number` was filed in, if any. */
  filedIn(number: string, customer: string, messageSid: string): Promise<string | null>;
  /**
   * Closes a conversation: the pair's open key is let go (while it still names this one) and the conversation, its
   * messages and reports expire after the retention. False when it was closed already.
   */
  closeConversation(opening: ConversationOpening, closing: ConversationClosing): Promise<boolean>;
  /** The conversation's messages, oldest first, as filed. */
  messages(conversationSid: string): Promise<ConversationMessage[]>;
  messageCount(conversationSid: string): Promise<number>;
  /** Keeps a delivery report unless the message has one at least as far along (see history-entry.ts). */
  recordDelivery(conversationSid: string, report: DeliveryReport): Promise<void>;
  /** The furthest delivery report of each message that has one. */
  deliveryReports(conversationSid: string): Promise<DeliveryReport[]>;
}

/** How long the connector keeps what outlives its use. */
export interface ConnectorRetention {
  /** A closed conversation, its messages and reports (SMS_CONVERSATION_RETENTION_DAYS). */
  conversationMs: number;
}

/** Thirty days: a month's conversations to look back at, without closed ones piling up for good. */
export const DEFAULT_CONVERSATION_RETENTION_DAYS = 30;
export const DAY_MS = 24 * 3600_000;
export const DEFAULT_RETENTION: ConnectorRetention = { conversationMs: DEFAULT_CONVERSATION_RETENTION_DAYS * DAY_MS };

export interface ConfigRecordByKind {
  phoneNumber: PhoneNumberRecord;
  ivrMenu: IvrMenuRecord;
}
export type ConfigKind = keyof ConfigRecordByKind;
export type ConfigRecord = ConfigRecordByKind[ConfigKind];

/** One configuration change: checked versions, records written or deleted, names claimed or let go. */
export interface ConfigurationChange {
  /** Versions the change was computed from; null = the record must not exist yet. */
  expect?: Array<{ kind: ConfigKind; sid: string; version: number | null }>;
  put?: Array<{ [K in ConfigKind]: { kind: K; record: ConfigRecordByKind[K] } }[ConfigKind]>;
  delete?: Array<{ kind: ConfigKind; sid: string }>;
  /** Claiming a name another record holds is a conflict; letting go of one another holds changes nothing. */
  names?: Array<{ op: 'claim' | 'release'; kind: ConfigKind; name: string; sid: string }>;
}

/**
 * What a claim is about. Each kind names its subject's sid: the call (`CA…`) for what is kept about a caller's call,
 * the reservation (`WR…`) for an agent's ringing leg, the browser agent's identity, the task (`WT…`) for the
 * conversation it created.
 */
export type ClaimKind = 'call-task' | 'call-claim' | 'caller-queue' | 'agent-leg' | 'agent-audio' | 'task-conversation';

export interface ClaimKey {
  kind: ClaimKind;
  subject: string;
}

/** When and why a conversation closed. */
export interface ConversationClosing {
  dateClosed: number;
  reason: string;
}

/** A conversation as kept: how it opened and, once closed, how it closed. */
export interface StoredConversation {
  opening: ConversationOpening;
  closing: ConversationClosing | null;
}

/** A delivery status Twilio reported for an outbound message. */
export interface DeliveryReport {
  messageSid: string;
  status: string;
  errorCode: number | null;
}
