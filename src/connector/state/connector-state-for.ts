import type { RoutingEngine } from '../../engine/engine.js';
import { MemoryStore } from '../../store/memory/memory-store.js';
import { RedisStore } from '../../store/redis/redis-store.js';
import type { RoutingStore } from '../../store/routing-store.js';
import { DEFAULT_RETENTION, type ConnectorRetention, type ConnectorState } from './connector-state.js';
import { journaledConnectorState } from './journaled-connector-state.js';
import { MemoryConnectorState } from './memory-connector-state.js';
import { RedisConnectorState } from './redis-connector-state.js';

/** One state per routing store, so connectors built on the same store (instances in one process) share it. */
const states = new WeakMap<RoutingStore, ConnectorState>();

/**
 * The connector's state beside the engine's routing store: on Redis when the store is (its connection and prefix),
 * so every instance sharing the Redis shares it; otherwise in memory, expiring by the engine's clock, and kept in
 * the embedded store's journal when that store keeps its data.
 */
export function connectorStateFor(engine: RoutingEngine, retention: ConnectorRetention = DEFAULT_RETENTION): ConnectorState {
  const store = engine.store;
  let state = states.get(store);
  if (!state) {
    if (store instanceof RedisStore) {
      const { redis, prefix } = store.sharedConnection();
      state = new RedisConnectorState(redis, prefix, retention);
    } else if (store instanceof MemoryStore && store.companions) {
      state = journaledConnectorState(store.companions, engine.clock, retention);
    } else {
      state = new MemoryConnectorState(engine.clock, retention);
    }
    states.set(store, state);
  }
  return state;
}
