import type { RoutingEngine } from '../engine/engine.js';
import type { BridgeAccess } from './bridge-router.js';
import { eventFollowerFor } from './event-follower.js';
import { WorkerBridge } from './worker-bridge.js';
import { RedisStore } from '../store/redis/redis-store.js';
import { RedisWorkerPresence } from './redis-worker-presence.js';
import { MemoryWorkerPresence, type WorkerPresence } from './worker-presence.js';

/** The timings of the worker SDK's sockets; docs/environment.md names the variables that set them. */
export interface BridgeTimings {
  heartbeatIntervalMs: number;
  /** How long a worker's last session may be gone before the worker is taken offline. */
  offlineGraceMs: number;
  bootstrapSettleMs: number;
  maxHoldMs: number;
  /** On Redis: how long a session counts as present without its instance renewing it (a dead instance stops). */
  presenceLeaseMs: number;
}

export const DEFAULT_BRIDGE_TIMINGS: BridgeTimings = {
  heartbeatIntervalMs: 15_000,
  offlineGraceMs: 3_000,
  bootstrapSettleMs: 250,
  maxHoldMs: 5_000,
  presenceLeaseMs: 15_000,
};

/**
 * The worker SDK's sockets for `engine`'s store: on Redis, presence is shared by every instance on it (a worker may
 * reconnect to any of them); on the embedded store, it is this process's.
 */
export function createWorkerBridge(engine: RoutingEngine, publicUrl: () => string, access: BridgeAccess, timings: Partial<BridgeTimings> = {}): WorkerBridge {
  const t = { ...DEFAULT_BRIDGE_TIMINGS, ...timings };
  let presence: WorkerPresence;
  if (engine.store instanceof RedisStore) {
    const { redis, prefix } = engine.store.sharedConnection();
    presence = new RedisWorkerPresence(redis, prefix, engine, t.offlineGraceMs, t.presenceLeaseMs);
  } else {
    presence = new MemoryWorkerPresence(engine, t.offlineGraceMs);
  }
  return new WorkerBridge({ engine, publicUrl, access, presence, follower: eventFollowerFor(engine), ...t });
}
