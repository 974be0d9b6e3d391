import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectRedis } from '../store/redis/connection.js';

/** How long the lock outlives a holder that died; renewed while the holder works. */
const LEASE_MS = 30_000;
const RENEW_EVERY_MS = 10_000;
const POLL_MS = 200;
/** Long enough for another instance to apply a large file; a holder that hangs longer is reported. */
const WAIT_AT_MOST_MS = 120_000;

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";

export interface SetupLockOptions {
  redisUrl: string;
  prefix: string;
  cluster: boolean;
}

/**
 * Runs `work` holding the deployment's configuration lock in Redis. Instances that start together all apply the same
 * file: one at a time, each after the others, so a workspace or workflow (whose names TaskRouter does not keep
 * unique) is created once, and the later ones find everything in place and change nothing. The lock is a key with a
 * lease, renewed while `work` runs and released only by its holder; a holder that dies frees it when the lease ends.
 */
export async function withSetupLock<T>(options: SetupLockOptions, work: () => Promise<T>): Promise<T> {
  const redis = await connectRedis(options.redisUrl, options.cluster);
  const key = `${options.prefix}setup-lock`;
  const token = randomBytes(16).toString('hex');
  try {
    const deadline = Date.now() + WAIT_AT_MOST_MS;
    while ((await redis.set(key, token, 'PX', LEASE_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error(`another instance has held the configuration lock (${key}) for over ${WAIT_AT_MOST_MS / 1000} s`);
      await sleep(POLL_MS);
    }
    const renewal = setInterval(() => void redis.eval(RENEW, 1, key, token, LEASE_MS).catch(() => undefined), RENEW_EVERY_MS);
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await redis.eval(RELEASE, 1, key, token);
    }
  } finally {
    redis.disconnect();
  }
}
