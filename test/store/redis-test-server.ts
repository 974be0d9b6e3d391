import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the tests use: REDIS_URL when set, else a local server on the default port. */
export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A key prefix no other test run uses. */
export function uniquePrefix(): string {
  return `sbtest:${randomBytes(6).toString('hex')}:`;
}

/** Removes every key under `prefix`. */
export async function removeKeys(prefix: string): Promise<void> {
  const redis = new Redis(testRedisUrl());
  try {
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/** Every key under `prefix`. */
export async function keysUnder(prefix: string): Promise<string[]> {
  const redis = new Redis(testRedisUrl());
  try {
    return await redis.keys(`${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`);
  } finally {
    await redis.quit();
  }
}
