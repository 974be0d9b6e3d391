import type { RoutingEngine } from '../engine/engine.js';
import type { RedisClient } from '../store/redis/connection.js';
import { takeOffline, type PresenceEntry, type WorkerPresence } from './worker-presence.js';
import { FailureThrottle } from '../telemetry/failure-throttle.js';
import { outsideRequests } from '../telemetry/log-context.js';
import { log } from '../telemetry/log.js';

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
 *
 * A worker whose SDK asked to go offline when gone is also listed per workspace (`{WS…}:bridge:leaving`, scored by
 * its sessions' latest lease), with the workspaces so listed in `bridge:workspaces`. When an instance dies or stops,
 * nobody closes its sessions' sockets here; every instance sweeps the lists, and a worker whose sessions' leases all
 * ran out a grace period ago, with none since, is taken offline — so agents of a dead instance who never come back do
 * not stay available for callers to be offered to.
 */
export class RedisWorkerPresence implements WorkerPresence {
  private readonly local = new Map<string, PresenceEntry>();
  private readonly listeners = new Set<(workspaceSid: string, workerSid: string, keep: string) => void>();
  private readonly graceTimers = new Set<NodeJS.Timeout>();
  private subscriber: RedisClient | null = null;
  private readonly renewal: NodeJS.Timeout;
  private readonly channel: string;
  private subscribed: Promise<void> | null = null;
  private readonly failures = new FailureThrottle({ message: 'worker presence upkeep failing', level: 'error' });

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly engine: RoutingEngine,
    private readonly graceMs: number,
    /** How long a session counts as present without its instance renewing it: an instance that died stops renewing. */
    private readonly leaseMs: number,
  ) {
    this.channel = `${prefix}bridge:replaced`;
    this.renewal = setInterval(() => {
      // Every few seconds, so a Redis outage is reported through the throttle: once, then a count per interval.
      this.renew().then(
        () => this.failures.succeeded('renewal'),
        (err: unknown) => this.failures.failed('renewal', err, { during: 'renewal' }),
      );
      this.sweep().then(
        () => this.failures.succeeded('sweep'),
        (err: unknown) => this.failures.failed('sweep', err, { during: 'sweep' }),
      );
    }, leaseMs / 3);
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
    const until = this.engine.clock.now() + this.leaseMs;
    await this.redis.zadd(key, until, memberOf(entry));
    if (entry.offlineIfGone) {
      await this.redis.zadd(this.leavingKey(entry.workspaceSid), 'GT', until, entry.workerSid);
      await this.redis.sadd(this.workspacesKey, entry.workspaceSid);
    }
  }

  async disconnected(entry: PresenceEntry, options: { shuttingDown: boolean }): Promise<void> {
    this.local.delete(entry.sessionId);
    const key = this.presenceKey(entry);
    await this.redis.zrem(key, memberOf(entry));
    // Stopping: the client may reconnect to another instance; if it does not, the sweep takes its worker offline.
    if (options.shuttingDown) return;
    if (!entry.offlineIfGone) {
      if ((await this.redis.zcard(key)) === 0) await this.redis.zrem(this.leavingKey(entry.workspaceSid), entry.workerSid);
      return;
    }
    const timer = setTimeout(() => {
      this.graceTimers.delete(timer);
      void this.offlineIfGone(entry).catch((err: unknown) =>
        log.error({ err, workspace_sid: entry.workspaceSid, worker_sid: entry.workerSid }, 'could not take a disconnected worker offline'),
      );
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
    // Opened by the first session's upgrade, the subscription serves every later one.
    if (!this.subscribed) outsideRequests(() => this.subscribe());
    return this.subscribed!;
  }

  private subscribe(): void {
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

  /** Takes the worker offline if it has no session left (those whose instance stopped renewing them count as gone). */
  private async offlineIfGone(entry: { workspaceSid: string; workerSid: string }): Promise<void> {
    const key = this.presenceKey(entry);
    await this.redis.zremrangebyscore(key, '-inf', this.engine.clock.now());
    if ((await this.redis.zcard(key)) > 0) return;
    // Dealt with: not swept again (a session connecting meanwhile is listed again at its instance's next renewal).
    await this.redis.zrem(this.leavingKey(entry.workspaceSid), entry.workerSid);
    await takeOffline(this.engine, entry.workspaceSid, entry.workerSid);
  }

  private async renew(): Promise<void> {
    if (this.local.size === 0) return;
    const until = this.engine.clock.now() + this.leaseMs;
    // One command each: the sessions' workspaces may live in different slots of a cluster.
    await Promise.all(
      [...this.local.values()].map(async (entry) => {
        await this.redis.zadd(this.presenceKey(entry), 'XX', until, memberOf(entry));
        if (entry.offlineIfGone) await this.redis.zadd(this.leavingKey(entry.workspaceSid), 'GT', until, entry.workerSid);
      }),
    );
  }

  /** Workers whose every lease ran out a grace period ago, on whichever instance they were connected: offline. */
  private async sweep(): Promise<void> {
    const lapsed = this.engine.clock.now() - this.graceMs;
    for (const workspaceSid of await this.redis.smembers(this.workspacesKey)) {
      const workers = await this.redis.zrangebyscore(this.leavingKey(workspaceSid), '-inf', lapsed);
      for (const workerSid of workers) await this.offlineIfGone({ workspaceSid, workerSid });
    }
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

  private get workspacesKey(): string {
    return `${this.prefix}bridge:workspaces`;
  }

  private leavingKey(workspaceSid: string): string {
    return `${this.prefix}{${workspaceSid}}:bridge:leaving`;
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
