import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { assignmentCases } from './assignment.cases.js';
import { invariantCases } from './invariants.cases.js';
import { layoutCases } from './layout.cases.js';
import { lifecycleCases } from './lifecycle.cases.js';
import { transferCases } from './transfer.cases.js';
import { workflowCases } from './workflow.cases.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `sbtest:routing:${randomBytes(4).toString('hex')}:`;
const makeStore = () => RedisStore.connect(REDIS_URL, { prefix });

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('routing on the Redis store', () => {
  describe('assignment', () => assignmentCases(makeStore));
  describe('workflow', () => workflowCases(makeStore));
  describe('lifecycle', () => lifecycleCases(makeStore));
  describe('transfers', () => transferCases(makeStore));
});

describe('routing invariants on the Redis store', () => invariantCases(makeStore));

describe('persisted layout of routing state on the Redis store', () => layoutCases(makeStore));
