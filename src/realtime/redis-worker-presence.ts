import type { RoutingEngine } from '../engine/engine.js';
import type { RedisClient } from '../store/redis/connection.js';
import { takeOffline, type PresenceEntry, type WorkerPresence } from './worker-presence.js';

/** How long a session counts as present without its instance renewing it: an instance that died stops renewing. */
const LEASE_MS = 15_000;

interface Replacement {
  workspaceSid: string;
  workerSid: string;
  keep: string;
}

/**
 * Presence shared by every instance on one Redis. Per worker, a sorted set of its sessions scored by lease expiry,
 * renewed by the instance holding each socket (`{WS…}:bridge:presence:WK…`); a replaced session's token is a key
 * that expires with the token (`{WS…}:bridge:replaced:<digest>`); both live in the workspace's slot. A replacement
 * is announced on a pub/sub channel every instance listens to, so each closes the sessions it holds.
 */
export class RedisWorkerPresence implements WorkerPresence {
  private readonly local = new Map<string, PresenceEntry>();
  private readonly listeners = new Set<(workspaceSid: string, workerSid: string, keep: string) => void>();
  private readonly graceTimers = new Set<NodeJS.Timeout>();
  private subscriber: RedisClient | null = null;
  private readonly renewal: NodeJS.Timeout;
  private readonly channel: string;
  private subscribed: Promise<void> | null = null;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly engine: RoutingEngine,
    private readonly graceMs: number,
  ) {
    this.channel = `${prefix}bridge:replaced`;
    this.renewal = setInterval(() => void this.renew().catch((err: unknown) => console.error('worker presence renewal failed', err)), LEASE_MS / 3);
    this.renewal.unref();
  }

  async connected(entry: PresenceEntry, options: { closeExisting: boolean }): Promise<void> {
    await this.listen();
    this.local.set(entry.sessionId, entry);
    const key = this.presenceKey(entry);
    if (options.closeExisting) {
      // Every other session's token is refused from now on, wherever it is connected, then they are all told to go.
      const others = (await this.redis.zrange(key, 0, -1)).filter((member) => member.split(' ')[0] !== entry.sessionId);
      // One slot (the workspace's), so one transaction.
      const pipeline = this.redis.multi();
      for (const member of others) {
        const [, tokenId, expiresAt] = member.split(' ');
        if (tokenId && tokenId !== entry.tokenId) {
          const ttl = Math.max(1, Number(expiresAt) - this.engine.clock.now());
          pipeline.set(this.replacedKey(entry.workspaceSid, tokenId), '1', 'PX', ttl);
        }
        pipeline.zrem(key, member);
      }
      await pipeline.exec();
      const replacement: Replacement = { workspaceSid: entry.workspaceSid, workerSid: entry.workerSid, keep: entry.sessionId };
      await this.redis.publish(this.channel, JSON.stringify(replacement));
    }
    await this.redis.zadd(key, this.engine.clock.now() + LEASE_MS, memberOf(entry));
  }

  async disconnected(entry: PresenceEntry, options: { goOffline: boolean }): Promise<void> {
    this.local.delete(entry.sessionId);
    const key = this.presenceKey(entry);
    await this.redis.zrem(key, memberOf(entry));
    if (!options.goOffline) return;
    const timer = setTimeout(() => {
      this.graceTimers.delete(timer);
      void this.offlineIfGone(entry).catch((err: unknown) => console.error(`could not take worker ${entry.workerSid} offline`, err));
    }, this.graceMs);
    this.graceTimers.add(timer);
  }

  async isReplaced(workspaceSid: string, tokenId: string): Promise<boolean> {
    return (await this.redis.exists(this.replacedKey(workspaceSid, tokenId))) === 1;
  }

  onReplaced(listener: (workspaceSid: string, workerSid: string, keep: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    clearInterval(this.renewal);
    for (const timer of this.graceTimers) clearTimeout(timer);
    this.graceTimers.clear();
    this.subscriber?.disconnect();
  }

  /**
   * Subscribes to replacements once the first session connects here: an instance no SDK has connected to holds no
   * session to close and opens no connection for it.
   */
  private listen(): Promise<void> {
    if (!this.subscribed) {
      const subscriber = (this.subscriber = this.redis.duplicate());
      subscriber.on('error', () => {});
      subscriber.on('message', (_channel: string, text: string) => this.heard(text));
      this.subscribed = subscriber.subscribe(this.channel).then(
        () => undefined,
        (err: unknown) => {
          // Tried again at the next connection.
          this.subscribed = null;
          throw err;
        },
      );
    }
    return this.subscribed;
  }

  private async offlineIfGone(entry: PresenceEntry): Promise<void> {
    const key = this.presenceKey(entry);
    // Sessions whose instance stopped renewing them are gone too.
    await this.redis.zremrangebyscore(key, '-inf', this.engine.clock.now());
    if ((await this.redis.zcard(key)) > 0) return;
    await takeOffline(this.engine, entry.workspaceSid, entry.workerSid);
  }

  private async renew(): Promise<void> {
    if (this.local.size === 0) return;
    const until = this.engine.clock.now() + LEASE_MS;
    // One command each: the sessions' workspaces may live in different slots of a cluster.
    await Promise.all([...this.local.values()].map((entry) => this.redis.zadd(this.presenceKey(entry), 'XX', until, memberOf(entry))));
  }

  private heard(text: string): void {
    let replacement: Replacement;
    try {
      replacement = JSON.parse(text) as Replacement;
    } catch {
      return;
    }
    for (const listener of this.listeners) listener(replacement.workspaceSid, replacement.workerSid, replacement.keep);
  }

  private presenceKey(entry: { workspaceSid: string; workerSid: string }): string {
    return `${this.prefix}{${entry.workspaceSid}}:bridge:presence:${entry.workerSid}`;
  }

  private replacedKey(workspaceSid: string, tokenId: string): string {
    return `${this.prefix}{${workspaceSid}}:bridge:replaced:${tokenId}`;
  }
}

/** A session as its sorted-set member: what replacing it needs, without another read. */
function memberOf(entry: PresenceEntry): string {
  return `${entry.sessionId} ${entry.tokenId} ${entry.expiresAt}`;
}
