import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import type { RoutingStore } from '../../src/store/routing-store.js';

/** The Redis the tests use. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Removes the keys under `prefix` from the test Redis: what a test file's Redis stores left. */
export async function removeRedisKeys(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}

/** A store's name and how to open a fresh one, for `describe.each`. */
export type StoreMaker = [name: string, open: () => Promise<RoutingStore>];

/**
 * The embedded store and the Redis store, for a test file that runs the same behaviour on both. The Redis stores
 * share a prefix of the file's own (`label` and a random part), whose keys are removed once the file's tests are done.
 */
export function bothStores(label: string): StoreMaker[] {
  const prefix = `sbtest:${label}:${randomBytes(4).toString('hex')}:`;
  afterAll(() => removeRedisKeys(prefix));
  return [
    ['memory', async () => new MemoryStore()],
    ['redis', () => RedisStore.connect(TEST_REDIS_URL, { prefix })],
  ];
}
