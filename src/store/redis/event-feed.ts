import type { RedisClient } from './connection.js';
import type { Kind } from '../../core/model.js';
import type { TaskRouterEvent } from '../../core/events/index.js';
import { decodeEvent } from './event-codec.js';
import type { KeySpace } from './keys.js';
import type { ScriptCommands } from './scripts.js';

/**
 * Which records say whether a workspace has a receiver for a kind of callback: it has one while one of them holds a
 * non-empty string in `property` (the workspace's `eventCallbackUrl`, any workflow's `assignmentCallbackUrl`).
 */
export interface FeedGate {
  kind: Kind;
  property: string;
  /** Only the record whose sid is the workspace's own decides (the workspace record); otherwise any of the kind. */
  ownRecord?: boolean;
}

/** One stream entry handed to a consumer. */
export interface FeedEntry {
  /** Stream id. */
  id: string;
  event: TaskRouterEvent;
  /** Times the entry has been handed out, this one included, by whichever consumers: 1 the first time. */
  deliveries: number;
}

/** What one take from one workspace gave. */
export interface FeedTake {
  /** `closed`: the workspace has no group (no receiver); `held`: another consumer holds its order lease. */
  state: 'open' | 'closed' | 'held';
  entries: FeedEntry[];
  /** Where the next scan for abandoned entries of this workspace starts; pass it to the next take. */
  cursor: string;
  /** Entries the group has pending after the take: taken, or waiting for a retry. */
  pending: number;
  /** Pending entries found trimmed from the stream (too old, or past the length cap); they leave the group. */
  gone: number;
}

export interface TakeOptions {
  /** Most entries to hand out. */
  count: number;
  /** Only take while holding the workspace's order lease (one consumer at a time works through it). */
  ordered: boolean;
  /** Most entries the group may have pending: new entries are left unread beyond it. */
  pendingLimit: number;
  /** From the previous take's `cursor`; '0-0' to start over. */
  cursor?: string;
  now?: number;
}

/** One page of a registry of workspaces. */
export interface RegistryPage<Cursor> {
  workspaceSids: string[];
  /** Pass to the next call; null once the end was reached. */
  next: Cursor | null;
}

/**
 * Delivery's view of the events streams: one consumer (`consumer`, unique per process) of one consumer group
 * (`group`, one per kind of callback) across workspaces. Every call names one workspace and runs as one script in
 * its slot (see keys.ts for the keys beside the group):
 *
 * - `sync` creates the group when the workspace has a receiver and destroys it when not, so the events of a
 *   workspace without a receiver are never read and never pile up as pending entries; it keeps the list of
 *   workspaces with an open group (`openWorkspaces`), which spares readers a visit to every workspace;
 * - `take` hands out due retries, entries whose taker stopped renewing them for `leaseMs` (it died), then unread
 *   entries (XREADGROUP, COUNT-bounded, and not past the group's pending limit);
 * - `ack` settles entries, `retryAt` sets an entry aside in the retry zset (it stays pending, so its delivery count
 *   carries over), `renew` keeps taken entries from looking abandoned, `release` hands them back at once.
 */
export class RedisEventFeed {
  constructor(
    private readonly redis: RedisClient,
    private readonly scripts: ScriptCommands,
    private readonly keys: KeySpace,
    readonly group: string,
    readonly consumer: string,
    /** A taken entry not renewed for this long counts as abandoned by its taker. */
    readonly leaseMs: number,
  ) {
    // Names end up inside key names and XINFO replies: keep them plain.
    if (!/^[\w.:-]+$/.test(group)) throw new Error(`Invalid delivery group name: ${group}`);
    if (!/^[\w.:-]+$/.test(consumer)) throw new Error(`Invalid delivery consumer name: ${consumer}`);
  }

  /**
   * Opens or closes the workspace's group to match its records: open while `gate` names a receiver. A group opened
   * now starts at the update that named the receiver, yet no earlier than `notBefore` (ms). Consumers idle for
   * `consumerIdleMs` with nothing pending are removed on the way. Returns whether the group is open.
   */
  async sync(workspaceSid: string, gate: FeedGate, notBefore: number, consumerIdleMs: number): Promise<boolean> {
    const keys = this.keys.workspace(workspaceSid);
    const state = await this.scripts.syncFeed(
      keys.events,
      keys.records(gate.kind),
      keys.deliveryRetries(this.group),
      keys.deliveryOrder(this.group),
      this.group,
      gate.ownRecord ? workspaceSid : '',
      gate.property,
      String(Math.floor(notBefore)),
      String(Math.floor(consumerIdleMs)),
    );
    // The list of open workspaces lives in another slot, so it follows the group rather than moving with it: an
    // open group is (re)listed, a group just closed is unlisted, and a take that finds no group unlists it too.
    if (state > 0) await this.redis.zadd(this.openList, 'NX', 0, workspaceSid);
    else if (state < 0) await this.redis.zrem(this.openList, workspaceSid);
    return state > 0;
  }

  /** Hands out up to `options.count` of the workspace's entries to this consumer (see lua/takeDeliveries-3.lua). */
  async take(workspaceSid: string, options: TakeOptions): Promise<FeedTake> {
    const keys = this.keys.workspace(workspaceSid);
    const reply = await this.scripts.takeDeliveries(
      keys.events,
      keys.deliveryRetries(this.group),
      keys.deliveryOrder(this.group),
      this.group,
      this.consumer,
      String(Math.floor(options.now ?? Date.now())),
      String(options.count),
      String(this.leaseMs),
      options.ordered ? '1' : '0',
      String(options.pendingLimit),
      options.cursor ?? '0-0',
    );
    const [state, cursor, pending, gone] = reply as [FeedTake['state'], string, number, number];
    if (state === 'closed') await this.redis.zrem(this.openList, workspaceSid);
    const entries: FeedEntry[] = [];
    for (let i = 4; i + 3 < reply.length; i += 4) {
      const base = String(reply[i + 3]);
      // The script hands out an entry only with the base it names, so every entry decodes.
      const event = decodeEvent(workspaceSid, String(reply[i + 2]), base === '' ? undefined : base)!;
      entries.push({ id: String(reply[i]), deliveries: Number(reply[i + 1]), event });
    }
    return { state, entries, cursor, pending: Number(pending), gone: Number(gone) };
  }

  /** Settles entries for good; `releaseOrder` lets go of the workspace's order lease too. */
  async ack(workspaceSid: string, ids: string[], releaseOrder: boolean): Promise<void> {
    const keys = this.keys.workspace(workspaceSid);
    await this.scripts.ackDeliveries(
      keys.events,
      keys.deliveryRetries(this.group),
      keys.deliveryOrder(this.group),
      this.group,
      this.consumer,
      releaseOrder ? '1' : '0',
      ...ids,
    );
  }

  /** Sets a taken entry aside until `dueAt` (ms). Returns false when it was no longer pending. */
  async retryAt(workspaceSid: string, id: string, dueAt: number, releaseOrder: boolean): Promise<boolean> {
    const keys = this.keys.workspace(workspaceSid);
    const set = await this.scripts.retryDelivery(
      keys.events,
      keys.deliveryRetries(this.group),
      keys.deliveryOrder(this.group),
      this.group,
      this.consumer,
      id,
      String(Math.floor(dueAt)),
      releaseOrder ? '1' : '0',
    );
    return set === 1;
  }

  /** Counts entries this consumer is still delivering as just taken, and extends its order lease. */
  async renew(workspaceSid: string, ids: string[]): Promise<void> {
    await this.renewOrRelease(workspaceSid, ids, 'renew');
  }

  /** Hands entries back: the next take anywhere picks them up, their interrupted attempt not counted. */
  async release(workspaceSid: string, ids: string[]): Promise<void> {
    await this.renewOrRelease(workspaceSid, ids, 'release');
  }

  /** Pending entries of the workspace's group, and whether unread ones wait; null when it has no group. */
  async backlog(workspaceSid: string): Promise<{ pending: number; unread: boolean } | null> {
    const reply = await this.scripts.feedBacklog(this.keys.workspace(workspaceSid).events, this.group);
    return reply.length === 0 ? null : { pending: Number(reply[0]), unread: Number(reply[1]) > 0 };
  }

  /** Every workspace, in registration order after position `after` (null: from the start), `limit` of them. */
  async workspaces(after: number | null, limit: number): Promise<RegistryPage<number>> {
    const reply = await this.redis.zrangebyscore(this.keys.workspaces, after === null ? '-inf' : `(${after}`, '+inf', 'WITHSCORES', 'LIMIT', 0, limit);
    const workspaceSids: string[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) workspaceSids.push(reply[i]!);
    return { workspaceSids, next: workspaceSids.length < limit ? null : Number(reply[reply.length - 1]) };
  }

  /** Workspaces listed with an open group, by sid after `after` (null: from the start), `limit` of them. */
  async openWorkspaces(after: string | null, limit: number): Promise<RegistryPage<string>> {
    const workspaceSids = await this.redis.zrangebylex(this.openList, after === null ? '-' : `(${after}`, '+', 'LIMIT', 0, limit);
    return { workspaceSids, next: workspaceSids.length < limit ? null : workspaceSids[workspaceSids.length - 1]! };
  }

  private get openList(): string {
    return this.keys.deliveryWorkspaces(this.group);
  }

  private async renewOrRelease(workspaceSid: string, ids: string[], mode: 'renew' | 'release'): Promise<void> {
    const keys = this.keys.workspace(workspaceSid);
    await this.scripts.renewDeliveries(keys.events, keys.deliveryOrder(this.group), this.group, this.consumer, String(this.leaseMs), mode, ...ids);
  }
}
