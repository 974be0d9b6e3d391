import { randomBytes } from 'node:crypto';
import type { Reservation } from 'twilio-taskrouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { removeRedisKeys, TEST_REDIS_URL } from '../helpers/both-stores.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { next, readyWorker, sdkToken, SIGNING_KEY, until } from './sdk-helpers.js';

const prefix = `sbtest:bridge-instances:${randomBytes(4).toString('hex')}:`;
const accountSid = 'AC' + randomBytes(16).toString('hex');
const authToken = randomBytes(16).toString('hex');

describe('the worker SDK bridge on two instances sharing one Redis', () => {
  let a: TestServer;
  let b: TestServer;
  /** A third instance, stopped by a test. */
  let c: TestServer;
  let ws: string;
  let available: string;
  let offline: string;

  beforeAll(async () => {
    const timings = { offlineGraceMs: 300, heartbeatIntervalMs: 200, bootstrapSettleMs: 20, maxHoldMs: 1000, presenceLeaseMs: 600 };
    a = await startServer({ store: await RedisStore.connect(TEST_REDIS_URL, { prefix }), accountSid, authToken, apiKeys: [SIGNING_KEY], bridge: timings });
    b = await startServer({ store: await RedisStore.connect(TEST_REDIS_URL, { prefix }), accountSid, authToken, apiKeys: [SIGNING_KEY], bridge: timings });
    c = await startServer({ store: await RedisStore.connect(TEST_REDIS_URL, { prefix }), accountSid, authToken, apiKeys: [SIGNING_KEY], bridge: timings });
    ws = (await a.client.taskrouter.v1.workspaces.create({ friendlyName: 'Two instances' })).sid;
    const activities = await a.client.taskrouter.v1.workspaces(ws).activities.list();
    available = activities.find((x) => x.friendlyName === 'Available')!.sid;
    offline = activities.find((x) => x.friendlyName === 'Offline')!.sid;
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await c.close();
    await removeRedisKeys(prefix);
  });

  const activityOf = async (sid: string) => (await a.client.taskrouter.v1.workspaces(ws).workers(sid).fetch()).activitySid;

  it('closes a session on one instance when the worker connects to the other with closeExistingSessions', async () => {
    const sid = (await a.client.taskrouter.v1.workspaces(ws).workers.create({ friendlyName: 'roamer' })).sid;
    const onA = await readyWorker(a, ws, sid);
    const disconnected = next<{ message: string }>(onA, 'disconnected');
    const onB = await readyWorker(b, ws, sid, { closeExistingSessions: true }, sdkToken(b, { workspaceSid: ws, workerSid: sid, role: 'worker' }, 900));
    expect((await disconnected).message).toMatch(/Another session/);
    onA.disconnect();
    onB.disconnect();
  });

  it('offers a worker connected to one instance a task created through the other', async () => {
    const tr = b.client.taskrouter.v1.workspaces(ws);
    const queue = await tr.taskQueues.create({ friendlyName: 'Across', targetWorkers: "team == 'across'" });
    const workflow = await tr.workflows.create({
      friendlyName: 'Across',
      configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
    });
    const sid = (await tr.workers.create({ friendlyName: 'remote', attributes: JSON.stringify({ team: 'across' }) })).sid;
    const onA = await readyWorker(a, ws, sid);
    await onA.activities.get(available)!.setAsCurrent();
    const offered = next<Reservation>(onA, 'reservationCreated');
    const task = await tr.tasks.create({ workflowSid: workflow.sid, attributes: JSON.stringify({ via: 'b' }) });
    const reservation = await offered;
    expect(reservation.task.sid).toBe(task.sid);
    const accepted = next(reservation, 'accepted');
    // Accepted through instance A's bridge; the event reaches A's socket from the shared stream either way.
    await reservation.accept();
    await accepted;
    onA.disconnect();
  });

  it('keeps a worker available while it has a session on either instance, and takes it offline once it has none', async () => {
    const sid = (await a.client.taskrouter.v1.workspaces(ws).workers.create({ friendlyName: 'steady' })).sid;
    const onA = await readyWorker(a, ws, sid);
    await onA.activities.get(available)!.setAsCurrent();
    const onB = await readyWorker(b, ws, sid);
    onA.disconnect();
    await new Promise((r) => setTimeout(r, 600));
    expect(await activityOf(sid)).toBe(available);
    onB.disconnect();
    await until(async () => (await activityOf(sid)) === offline, 'the worker to go offline');
  });

  it('takes offline, from the other instance, a worker whose instance stopped and who never came back', async () => {
    const sid = (await a.client.taskrouter.v1.workspaces(ws).workers.create({ friendlyName: 'stranded' })).sid;
    const stranded = await readyWorker(c, ws, sid);
    await stranded.activities.get(available)!.setAsCurrent();
    // Its instance stops (its bridge closes every socket, as on shutdown) and the agent's application is gone too.
    await c.bridge.close();
    stranded.disconnect();
    await until(async () => (await activityOf(sid)) === offline, 'the worker to go offline');
  });
});
