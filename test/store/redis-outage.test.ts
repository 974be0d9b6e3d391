import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TwilioError } from '../../src/core/errors.js';
import { newSid } from '../../src/core/sid.js';
import { STORE_UNAVAILABLE } from '../../src/store/redis/outage.js';
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
      // A 503 with a fixed message: nothing of the Redis client's wording (retry limits, option names) reaches clients.
      const outage = { name: 'TwilioError', status: 503, code: 20503, message: STORE_UNAVAILABLE };
      await expect(store.lookupUnique(ws, 'worker:alice')).rejects.toMatchObject(outage);
      await expect(store.commit(ws, { unique: [{ op: 'claim', key: 'worker:bob', sid: 'WKb' }] })).rejects.toMatchObject(outage);

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

  it('sends a script again to a Redis that no longer knows it', { timeout: 20_000 }, async () => {
    const own = await startOwnRedis();
    const store = await RedisStore.connect(own.url);
    const admin = new Redis(own.url);
    try {
      const ws = newSid('WS');
      await store.commit(ws, { unique: [{ op: 'claim', key: 'worker:alice', sid: 'WKa' }] });
      await admin.config('RESETSTAT');
      await admin.script('FLUSH');
      await store.commit(ws, { unique: [{ op: 'claim', key: 'worker:bob', sid: 'WKb' }] });
      expect(await store.lookupUnique(ws, 'worker:bob')).toBe('WKb');
      const stats = await admin.info('commandstats');
      // The first call after the flush was refused (NOSCRIPT) and the body went along with the retry.
      expect(stats).toMatch(/cmdstat_eval:calls=1,/);
      expect(stats).toMatch(/cmdstat_evalsha:calls=\d+,[^\n]*failed_calls=1\b/);
    } finally {
      await admin.quit();
      await store.close();
      await own.stop();
    }
  });

  it('keeps the error of a call that fails for another reason than an outage', async () => {
    const own = await startOwnRedis();
    const store = await RedisStore.connect(own.url);
    try {
      const ws = newSid('WS');
      // A record nested deeper than JSON encoding can go: a bug or bad input, not the store being away.
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 100_000; i++) deep = { d: deep };
      const record = { sid: newSid('WK'), workspaceSid: ws, version: 1, attributes: deep } as never;
      const failure = await store.commit(ws, { put: [{ kind: 'worker', record }] } as never).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(RangeError);
      expect(failure).not.toBeInstanceOf(TwilioError);
      // The store still answers: nothing was written.
      expect(await store.get(ws, 'worker', (record as { sid: string }).sid)).toBeNull();
    } finally {
      await store.close();
      await own.stop();
    }
  });
});
