import { Cluster } from 'ioredis';
import type { TaskRouterEvent } from '../../core/events/index.js';
import type { RedisClient } from './connection.js';
import { baseOutside, decodeEntryAmong, type StreamEntry } from './event-codec.js';
import type { KeySpace } from './keys.js';
import { FailureThrottle } from '../../telemetry/failure-throttle.js';
import { outsideRequests } from '../../telemetry/log-context.js';
import { log } from '../../telemetry/log.js';

/** Entries read at once per workspace. */
const READ_COUNT = 500;
/** How long one blocking read waits for new entries before it looks at the followed workspaces again. */
const BLOCK_MS = 2_000;
/** On a cluster, where one read cannot span slots: how long to wait between rounds that found nothing. */
const CLUSTER_POLL_MS = 50;

type Listener = (event: TaskRouterEvent) => void;

interface Followed {
  /** The id of the last entry handed on. */
  lastId: string;
  listeners: Set<Listener>;
}

/**
 * Tails the events streams of the workspaces followed, for every instance that serves live clients (the worker
 * SDK's sockets): each instance reads every entry itself, unlike delivery's consumer groups, which hand each entry to
 * one. A followed workspace is read from its stream's end as it was when the following began, so nothing committed
 * after is missed; entries are decoded with the bases they name (a later entry of the same commit, read too when a
 * read ended before it) and handed on in stream order. On a single Redis one blocking XREAD covers every followed
 * stream, on its own connection, woken with CLIENT UNBLOCK when the set changes; on a cluster each workspace's stream
 * is read in turn.
 */
export class RedisEventTail {
  private readonly followed = new Map<string, Followed>();
  /** The blocking reads' own connection, and the loop making them: from the first follow on. */
  private reader: RedisClient | null = null;
  private readerId: Promise<number> | null = null;
  private running = true;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  /** A read fails every second while Redis is away: reported once, then counted. */
  private readonly failures = new FailureThrottle({ message: 'reading the events streams failed; retrying', level: 'error' });

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: KeySpace,
  ) {}

  /** Hands `listener` each event of the workspace committed from now on; resolves once following has begun. */
  async follow(workspaceSid: string, listener: Listener): Promise<() => void> {
    // Begun by the first socket's upgrade, the reading loop serves every later one.
    if (!this.reader) outsideRequests(() => this.startReading());
    let followed = this.followed.get(workspaceSid);
    if (!followed) {
      const stream = this.keys.workspace(workspaceSid).events;
      const last = (await this.redis.xrevrange(stream, '+', '-', 'COUNT', 1))[0];
      followed = this.followed.get(workspaceSid) ?? { lastId: last?.[0] ?? '0-0', listeners: new Set() };
      this.followed.set(workspaceSid, followed);
      this.changed();
    }
    followed.listeners.add(listener);
    const held = followed;
    return () => {
      held.listeners.delete(listener);
      if (held.listeners.size === 0 && this.followed.get(workspaceSid) === held) this.followed.delete(workspaceSid);
    };
  }

  private startReading(): void {
    const reader = (this.reader = this.redis.duplicate());
    reader.on('error', () => {});
    this.loop = this.run(reader);
  }

  async close(): Promise<void> {
    this.running = false;
    this.changed();
    this.reader?.disconnect();
    await this.loop;
  }

  private async run(reader: RedisClient): Promise<void> {
    while (this.running) {
      try {
        if (this.followed.size === 0) await new Promise<void>((resolve) => (this.wake = resolve));
        else if (this.redis instanceof Cluster) await this.pollEach();
        else await this.readBlocking(reader);
        this.failures.succeeded('read');
      } catch (err) {
        if (!this.running) return;
        this.failures.failed('read', err);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private async readBlocking(reader: RedisClient): Promise<void> {
    this.readerId ??= reader.client('ID');
    await this.readerId;
    const sids = [...this.followed.keys()];
    const streams = sids.map((sid) => this.keys.workspace(sid).events);
    const ids = sids.map((sid) => this.followed.get(sid)!.lastId);
    const reply = await reader.xread('COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', ...streams, ...ids);
    for (const [stream, entries] of reply ?? []) await this.handOn(sids[streams.indexOf(stream)]!, stream, entries);
  }

  private async pollEach(): Promise<void> {
    let read = 0;
    for (const [sid, followed] of [...this.followed]) {
      const stream = this.keys.workspace(sid).events;
      const reply = await this.redis.xread('COUNT', READ_COUNT, 'STREAMS', stream, followed.lastId);
      const entries = reply?.[0]?.[1] ?? [];
      read += entries.length;
      await this.handOn(sid, stream, entries);
    }
    if (read === 0) await new Promise((resolve) => setTimeout(resolve, CLUSTER_POLL_MS));
  }

  private async handOn(workspaceSid: string, stream: string, entries: StreamEntry[]): Promise<void> {
    const followed = this.followed.get(workspaceSid);
    if (!followed || entries.length === 0) return;
    const known = [...entries];
    for (const entry of entries) {
      const base = baseOutside(entry, known);
      if (base !== undefined) known.push(...(await this.redis.xrange(stream, base, base)));
    }
    for (const entry of entries) {
      const event = decodeEntryAmong(workspaceSid, entry, known);
      if (!event) continue;
      for (const listener of followed.listeners) {
        try {
          listener(event);
        } catch (err) {
          log.error({ err, event_type: event.eventType, workspace_sid: workspaceSid }, 'event listener failed');
        }
      }
    }
    followed.lastId = entries[entries.length - 1]![0];
  }

  /** The set of followed workspaces changed: a blocked read is cut short so the next one covers them. */
  private changed(): void {
    this.wake?.();
    this.wake = null;
    if (this.readerId) void this.readerId.then((id) => this.redis.client('UNBLOCK', id)).catch(() => {});
  }
}
