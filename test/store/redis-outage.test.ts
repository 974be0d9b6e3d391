import { afterAll, describe, expect, it } from 'vitest';
import { newSid } from '../../src/core/sid.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { startOwnRedis, type OwnRedis } from '../helpers/redis-server.js';

describe('redis store when Redis goes away', () => {
  let redis: OwnRedis | undefined;
  afterAll(async () => redis?.stop());

  it('fails calls while Redis is down and recovers by itself when it is back', { timeout: 20_000 }, async () => {
    redis = await startOwnRedis();
    const store = await RedisStore.connect(redis.url);
    try {
      const ws = newSid('WS');
      await store.commit(ws, { unique: [{ op: 'claim', key: 'worker:alice', sid: 'WKa' }] });

      await redis.stop();
      await expect(store.lookupUnique(ws, 'worker:alice')).rejects.toThrow();
      await expect(store.commit(ws, { unique: [{ op: 'claim', key: 'worker:bob', sid: 'WKb' }] })).rejects.toThrow();

      await redis.restart();
      // The new server is empty; what matters is that the same store answers again without being rebuilt.
      let answer: string | null | undefined;
      for (let attempt = 0; attempt < 50 && answer === undefined; attempt++) {
        answer = await store.lookupUnique(ws, 'worker:alice').catch(() => undefined);
        if (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(answer).toBeNull();
      await store.commit(ws, { unique: [{ op: 'claim', key: 'worker:alice', sid: 'WKa' }] });
      expect(await store.lookupUnique(ws, 'worker:alice')).toBe('WKa');
    } finally {
      await store.close();
    }
  });
});
