import { randomBytes } from 'node:crypto';
import type { Reservation } from 'twilio-taskrouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { startRedisCluster, type OwnRedisCluster } from '../helpers/redis-cluster.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { next, oneQueueWorkspace, readyWorker, sdkToken, SIGNING_KEY } from './sdk-helpers.js';

/**
 * The worker SDK bridge on a real three-node Redis Cluster, two instances sharing it: the event tail reads each
 * workspace's stream in its own slot, presence keys live in the workspace's slot, and replacements travel over the
 * cluster's pub/sub.
 */
describe('the worker SDK bridge on a Redis Cluster, two instances', () => {
  let cluster: OwnRedisCluster;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    const accountSid = 'AC' + randomBytes(16).toString('hex');
    const authToken = randomBytes(16).toString('hex');
    const open = () => RedisStore.connect(cluster.url, { cluster: true, prefix: 'bridge:' });
    const bridge = { bootstrapSettleMs: 20, maxHoldMs: 1000 };
    a = await startServer({ store: await open(), accountSid, authToken, apiKeys: [SIGNING_KEY], bridge });
    b = await startServer({ store: await open(), accountSid, authToken, apiKeys: [SIGNING_KEY], bridge });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await cluster?.stop();
  });

  it('offers a worker on one instance a task created through the other, and replaces its session from the other', async () => {
    const { workspaceSid: ws, available, workflowSid } = await oneQueueWorkspace(b, 'Cluster');
    const tr = b.client.taskrouter.v1.workspaces(ws);
    const sid = (await tr.workers.create({ friendlyName: 'clustered' })).sid;

    const onA = await readyWorker(a, ws, sid);
    await onA.activities.get(available)!.setAsCurrent();
    const offered = next<Reservation>(onA, 'reservationCreated');
    const task = await tr.tasks.create({ workflowSid, attributes: '{}' });
    expect((await offered).task.sid).toBe(task.sid);

    const replaced = next<{ message: string }>(onA, 'disconnected');
    const onB = await readyWorker(b, ws, sid, { closeExistingSessions: true }, sdkToken(b, { workspaceSid: ws, workerSid: sid, role: 'worker' }, 900));
    expect((await replaced).message).toMatch(/Another session/);
    expect([...onB.reservations.values()].map((r) => r.task.sid)).toEqual([task.sid]);
    onA.disconnect();
    onB.disconnect();
  });
});
