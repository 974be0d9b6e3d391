import { Redis } from 'ioredis';
import { afterAll, describe, expect } from 'vitest';
import { pairTag } from '../../../src/connector/sms/conversation-keys.js';
import { RedisConnectorState } from '../../../src/connector/state/redis-connector-state.js';
import { ConnectorKeys } from '../../../src/connector/state/redis-keys.js';
import { removeKeys, testRedisUrl, uniquePrefix } from '../../store/redis-test-server.js';
import { connectorStateCases, type Kept } from './connector-state.cases.js';

const filePrefix = uniquePrefix();
let states = 0;
const prefixes = new WeakMap<object, string>();
const connections: Redis[] = [];

/** The keys `kept` lives in that exist now. */
async function keysOf(redis: Redis, prefix: string, kept: Kept): Promise<string[]> {
  const keys = new ConnectorKeys(prefix);
  const all =
    'claim' in kept
      ? [keys.claim(kept.claim)]
      : 'filing' in kept
        ? [keys.inbound(pairTag(kept.filing.number, kept.filing.customer), kept.filing.messageSid)]
        : Object.values(keys.conversation(kept.conversation));
  const exists = await Promise.all(all.map((key) => redis.exists(key)));
  return all.filter((_, i) => exists[i] === 1);
}

describe('redis connector state', () => {
  afterAll(async () => {
    for (const redis of connections) redis.disconnect();
    await removeKeys(filePrefix);
  });

  connectorStateCases({
    make: async (retention) => {
      const redis = new Redis(testRedisUrl());
      connections.push(redis);
      const prefix = `${filePrefix}${states++}:`;
      const state = new RedisConnectorState(redis, prefix, retention);
      prefixes.set(state, prefix);
      return state;
    },
    expectExpiry: async (state, kept, afterMs, read) => {
      expect(await read()).not.toBeNull();
      const redis = connections.at(-1)!;
      const keys = await keysOf(redis, prefixes.get(state)!, kept);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const ttl = await redis.pttl(key);
        expect(ttl, key).toBeGreaterThan(afterMs - 60_000);
        expect(ttl, key).toBeLessThanOrEqual(afterMs);
      }
    },
    expectNoExpiry: async (state, kept, read) => {
      expect(await read()).not.toBeNull();
      const redis = connections.at(-1)!;
      const keys = await keysOf(redis, prefixes.get(state)!, kept);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(await redis.pttl(key), key).toBe(-1);
    },
    close: async () => {},
  });
});
