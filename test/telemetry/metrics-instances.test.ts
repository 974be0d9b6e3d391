import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothStores } from '../helpers/both-stores.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { ScriptClock } from '../statistics/fixture.js';
import { basic, scrape, total, type Sample } from './metrics-exposition.js';

// The Redis store of the file's own prefix, whose keys are removed once its tests are done.
const openRedis = bothStores('metrics-instances').find(([name]) => name === 'redis')![1];

describe('two processes on one Redis: each counts the events it commits, and the sum is every event once', () => {
  const accountSid = 'AC' + randomBytes(16).toString('hex');
  const authToken = randomBytes(16).toString('hex');
  const clock = new ScriptClock(Math.ceil(Date.now() / 1000) * 1000 + 1000);
  let a: TestServer;
  let b: TestServer;
  const sum = async (name: string, match: Record<string, string>) => {
    const scrapes = await Promise.all([a, b].map((s) => scrape(`${s.url}/metrics`, basic(accountSid, authToken))));
    return { sum: scrapes.reduce((n, samples: Sample[]) => n + total(samples, name, match), 0), each: scrapes.map((samples) => total(samples, name, match)) };
  };

  beforeAll(async () => {
    a = await startServer({ store: await openRedis(), clock, accountSid, authToken, metrics: true });
    b = await startServer({ store: await openRedis(), clock, accountSid, authToken, metrics: true });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('counts reservations, handle and wrap-up time once across the processes that committed them', async () => {
    const onA = a.client.taskrouter.v1.workspaces((await a.client.taskrouter.v1.workspaces.create({ friendlyName: 'Shared' })).sid);
    const ws = (await onA.fetch()).sid;
    const onB = b.client.taskrouter.v1.workspaces(ws);
    const available = (await onA.activities.list()).find((x) => x.friendlyName === 'Available')!.sid;
    const queue = await onA.taskQueues.create({ friendlyName: 'Support', targetWorkers: '1==1' });
    const workflow = await onA.workflows.create({
      friendlyName: 'Main',
      configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
    });
    const worker = await onA.workers.create({ friendlyName: 'alice', activitySid: available });
    const reservationOf = async (taskSid: string) => (await onB.tasks(taskSid).reservations.list({ reservationStatus: 'pending' }))[0]!;

    // Offered on A, rejected on B; offered again on B's commit, accepted on B, wrapped on A, completed on B.
    const first = await onA.tasks.create({ workflowSid: workflow.sid, attributes: '{}' });
    await onB
      .tasks(first.sid)
      .reservations((await reservationOf(first.sid)).sid)
      .update({ reservationStatus: 'rejected' });
    await onB.workers(worker.sid).update({ activitySid: available });
    const second = await onA.tasks.create({ workflowSid: workflow.sid, attributes: '{}' });
    clock.advance(4_000);
    await onB
      .tasks(second.sid)
      .reservations((await reservationOf(second.sid)).sid)
      .update({ reservationStatus: 'accepted' });
    clock.advance(60_000);
    await onA.tasks(second.sid).update({ assignmentStatus: 'wrapping' });
    clock.advance(20_000);
    await onB.tasks(second.sid).update({ assignmentStatus: 'completed', reason: 'done' });

    const inQueue = { workspace_sid: ws, task_queue_sid: queue.sid };
    const stats = await onA.taskQueues(queue.sid).cumulativeStatistics().fetch();
    for (const [outcome, count] of Object.entries({ accepted: stats.reservationsAccepted, rejected: stats.reservationsRejected })) {
      expect((await sum('switchboard_reservations_total', { ...inQueue, outcome })).sum, outcome).toBe(count);
    }
    expect((await sum('switchboard_reservations_total', { ...inQueue, outcome: 'accepted' })).each).toEqual([0, 1]);
    expect(await sum('switchboard_task_handle_seconds_sum', inQueue)).toEqual({ sum: 60, each: [60, 0] });
    expect(await sum('switchboard_task_wrapup_seconds_sum', inQueue)).toEqual({ sum: 20, each: [0, 20] });
    expect((await sum('switchboard_tasks_ended_total', { ...inQueue, outcome: 'completed' })).sum).toBe(stats.tasksCompleted);
    // Gauges read from the shared store: every process tells the same.
    const waiting = await sum('switchboard_queue_tasks', { ...inQueue, status: 'pending' });
    expect(waiting.each[0]).toBe(waiting.each[1]);
    expect(waiting.each[0]).toBe(1);
  });
});
