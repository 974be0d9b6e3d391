import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSid } from '../../src/core/sid.js';
import { RedisOutbox } from '../../src/events/redis-outbox.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { startRedisCluster, type OwnRedisCluster } from '../helpers/redis-cluster.js';
import { assignmentCases } from '../routing/assignment.cases.js';
import { invariantCases } from '../routing/invariants.cases.js';
import { lifecycleCases } from '../routing/lifecycle.cases.js';
import { workflowCases } from '../routing/workflow.cases.js';
import { statisticsCases } from '../statistics/statistics.cases.js';
import { eventRecord, workspaceRecord } from './records.js';
import { storeCases, type StoreCaseOptions } from './store.cases.js';

/**
 * The Redis store on a real three-node Redis Cluster: every command and script must name keys of one slot (a
 * workspace's keys share its hash tag; the registries share theirs), or the cluster refuses it with CROSSSLOT. The
 * store's own cases and the routing and statistics suites run here as they run on one server.
 */
let cluster: OwnRedisCluster;
let stores = 0;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
}, 60_000);
afterAll(() => cluster?.stop());

/** A fresh key prefix, one per store. */
const nextPrefix = () => `c${stores++}:`;
const connect = (options: StoreCaseOptions = {}, prefix = nextPrefix()) => RedisStore.connect(cluster.url, { ...options, cluster: true, prefix });

describe('redis store on a Redis Cluster', () => {
  storeCases(connect);

  it('spreads workspaces over the nodes, each whole in one slot, and deletes every key of one on its node', async () => {
    const prefix = nextPrefix();
    const store = await connect({}, prefix);
    const nodes = cluster.url.split(',').map((url) => new Redis(url));
    const keysOn = (node: Redis, sid: string) => node.keys(`${prefix}{${sid}}:*`);
    try {
      const sids = Array.from({ length: 12 }, () => newSid('WS'));
      for (const sid of sids) {
        await store.commit(sid, {
          expect: [{ kind: 'workspace', sid, version: null }],
          put: [{ kind: 'workspace', record: workspaceRecord(sid) }],
          index: [{ op: 'add', index: 'idle:WQ1:TC1', member: '1:WK1' }],
          counters: [{ group: 'ws', key: 'total', delta: 1 }],
          timers: [{ op: 'set', id: 'ttl:WT1', due: 1_000 }],
        });
      }
      expect((await store.list('', 'workspace')).map((w) => w.sid).sort()).toEqual([...sids].sort());
      const holders = await Promise.all(sids.map(async (sid) => (await Promise.all(nodes.map((n) => keysOn(n, sid)))).map((k) => k.length)));
      // Each workspace's keys sit on exactly one node; together they use more than one.
      for (const counts of holders) expect(counts.filter((n) => n > 0)).toHaveLength(1);
      expect(new Set(holders.map((counts) => counts.findIndex((n) => n > 0))).size).toBeGreaterThan(1);

      const gone = sids.slice(0, 4);
      for (const sid of gone) await store.commit(sid, { expect: [{ kind: 'workspace', sid, version: 1 }], delete: [{ kind: 'workspace', sid }] });
      expect((await store.list('', 'workspace')).map((w) => w.sid).sort()).toEqual(sids.slice(4).sort());
      for (const sid of gone) for (const node of nodes) expect(await keysOn(node, sid)).toEqual([]);
      expect((await store.claimDueTimers(2_000, 100, 30_000)).map((t) => t.workspaceSid).sort()).toEqual(sids.slice(4).sort());
    } finally {
      await store.close();
      await Promise.all(nodes.map((node) => node.quit()));
    }
  });
});

describe('routing on a Redis Cluster', () => {
  describe('assignment', () => assignmentCases(() => connect()));
  describe('workflow', () => workflowCases(() => connect()));
  describe('lifecycle', () => lifecycleCases(() => connect()));
  describe('invariants', () => invariantCases(() => connect()));
});

describe('statistics on a Redis Cluster', () => statisticsCases(() => connect()));

describe('event delivery on a Redis Cluster', () => {
  const outbox = (store: RedisStore, consumer: string) =>
    new RedisOutbox({
      feed: store.eventFeed('event-callbacks', consumer, 300),
      gate: { kind: 'workspace', property: 'eventCallbackUrl', ownRecord: true },
      gateChanged: (event) => event.eventType.startsWith('workspace.'),
      inOrder: false,
      pendingLimit: 100,
      pollMs: 20,
    });

  it('hands every event of workspaces on every node to exactly one of two processes, and retries one', async () => {
    const prefix = nextPrefix();
    const [one, two] = [await connect({}, prefix), await connect({}, prefix)];
    const outboxes = [outbox(one, 'one'), outbox(two, 'two')];
    try {
      const now = Date.now();
      const committed: string[] = [];
      for (let w = 0; w < 6; w++) {
        const sid = newSid('WS');
        const record = { ...workspaceRecord(sid), eventCallbackUrl: 'https://receiver.test/events', dateCreated: now, dateUpdated: now };
        await one.commit(sid, { expect: [{ kind: 'workspace', sid, version: null }], put: [{ kind: 'workspace', record }] });
        for (let i = 0; i < 5; i++) {
          const event = eventRecord(sid, now + 1 + i);
          await one.commit(sid, { events: [event] });
          outboxes.forEach((o) => o.notice(event));
          committed.push(event.sid);
        }
      }
      const taken: string[] = [];
      let retried: string | null = null;
      const deadline = Date.now() + 10_000;
      while (taken.length < committed.length + 1 && Date.now() < deadline) {
        for (const o of outboxes) {
          for (const entry of await o.take(10)) {
            taken.push(entry.event.sid);
            if (retried === null) {
              retried = entry.event.sid;
              await o.retryLater(entry.id, Date.now());
            } else {
              await o.done(entry.id);
            }
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Once each, but the retried event twice.
      expect([...taken].sort()).toEqual([...committed, retried!].sort());
      expect((await Promise.all(outboxes.map((o) => o.size()))).every((size) => size === 0)).toBe(true);
    } finally {
      await Promise.all(outboxes.map((o) => o.close()));
      await Promise.all([one.close(), two.close()]);
    }
  });
});
