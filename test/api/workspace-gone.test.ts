import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { removeRedisKeys, TEST_REDIS_URL } from '../helpers/both-stores.js';
import { raw } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * Two instances on one Redis: one deletes a workspace the other has just worked in, and so still holds the
 * configuration of. The other's routes must answer 404 in Twilio's format and change nothing, though they no longer
 * read the workspace record before a change (the commit checks it).
 */
describe('a workspace deleted by another instance', () => {
  const prefix = `sbtest:workspace-gone:${randomBytes(4).toString('hex')}:`;
  const accountSid = 'AC' + randomBytes(16).toString('hex');
  const authToken = randomBytes(16).toString('hex');
  let here: TestServer;
  let there: TestServer;

  beforeAll(async () => {
    here = await startServer({ accountSid, authToken, store: await RedisStore.connect(TEST_REDIS_URL, { prefix }) });
    there = await startServer({ accountSid, authToken, store: await RedisStore.connect(TEST_REDIS_URL, { prefix }) });
  });
  afterAll(async () => {
    await here.close();
    await there.close();
    await removeRedisKeys(prefix);
  });

  it('is not found by the instance that worked in it last', async () => {
    const ws = (await here.client.taskrouter.v1.workspaces.create({ friendlyName: 'Soon gone' })).sid;
    const workspace = here.client.taskrouter.v1.workspaces(ws);
    const queue = await workspace.taskQueues.create({ friendlyName: 'All', targetWorkers: '1==1' });
    const configuration = JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } });
    const workflow = await workspace.workflows.create({ friendlyName: 'All', configuration });
    const available = (await workspace.activities.list()).find((a) => a.friendlyName === 'Available')!.sid;
    const worker = await workspace.workers.create({ friendlyName: 'alice', activitySid: available });
    const task = await workspace.tasks.create({ workflowSid: workflow.sid, attributes: '{}' });
    const [reservation] = await workspace.tasks(task.sid).reservations.list();
    expect(reservation?.workerSid).toBe(worker.sid);

    await there.client.taskrouter.v1.workspaces(ws).remove();

    const base = `/v1/Workspaces/${ws}`;
    const attempts = [
      raw(here, 'POST', `${base}/Tasks`, { form: { WorkflowSid: workflow.sid, Attributes: '{}' } }),
      raw(here, 'POST', `${base}/Tasks/${task.sid}`, { form: { AssignmentStatus: 'canceled' } }),
      raw(here, 'POST', `${base}/Tasks/${task.sid}/Reservations/${reservation!.sid}`, { form: { ReservationStatus: 'accepted' } }),
      raw(here, 'POST', `${base}/Workers/${worker.sid}`, { form: { FriendlyName: 'bob' } }),
      raw(here, 'POST', `${base}/TaskQueues`, { form: { FriendlyName: 'More', TargetWorkers: '1==1' } }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 20404, status: 404, message: expect.stringContaining(ws) });
    }
    // Nothing was written under the workspace's name meanwhile.
    expect((await raw(there, 'GET', `${base}/Tasks`)).status).toBe(404);
    expect(await there.engine.store.list(ws, 'task')).toEqual([]);
  });
});
