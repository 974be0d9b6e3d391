import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { statisticsCases } from './statistics.cases.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `sbtest:statistics:${randomBytes(4).toString('hex')}:`;

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('statistics on the Redis store', () => statisticsCases(() => RedisStore.connect(REDIS_URL, { prefix })));
