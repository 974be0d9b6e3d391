import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { startOwnRedis, type OwnRedis } from '../helpers/redis-server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const env = {
  TWILIO_ACCOUNT_SID: 'AC' + randomBytes(16).toString('hex'),
  TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex'),
  REDIS_PREFIX: 'durability:',
};
const dir = mkdtempSync(join(tmpdir(), 'switchboard-aof-'));
let redis: OwnRedis;
const processes: ServerProcess[] = [];

afterAll(async () => {
  for (const p of processes) await p.stop('SIGKILL');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(what: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await what().catch((err: unknown) => err as T);
    if (ok(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('loses nothing when Redis and every server stop, answers 503 while Redis is down, and resumes by itself', { timeout: 90_000 }, async () => {
  redis = await startOwnRedis({ dir });
  const start = async () => {
    const p = await startServerProcess({ ...env, REDIS_URL: redis.url });
    processes.push(p);
    return p;
  };
  const [a, b] = [await start(), await start()];
  const api = a.client.taskrouter.v1;
  const ws = await api.workspaces.create({ friendlyName: 'durable' });
  const wsApi = api.workspaces(ws.sid);
  const activities = await wsApi.activities.list();
  const available = activities.find((x) => x.friendlyName === 'Available')!.sid;
  const offline = activities.find((x) => x.friendlyName === 'Offline')!.sid;
  const queue = await wsApi.taskQueues.create({ friendlyName: 'Support', targetWorkers: '1==1' });
  const workflow = await wsApi.workflows.create({
    friendlyName: 'wf',
    taskReservationTimeout: 12,
    configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
  });
  const w1 = await wsApi.workers.create({ friendlyName: 'w1', activitySid: available });
  const w2 = await wsApi.workers.create({ friendlyName: 'w2', activitySid: offline });
  // Through the other process: both share the state.
  const viaB = b.client.taskrouter.v1.workspaces(ws.sid);
  const t1 = await viaB.tasks.create({ workflowSid: workflow.sid, attributes: '{"n":1}' });
  const w3 = await viaB.workers.create({ friendlyName: 'w3', activitySid: available });
  const t2 = await viaB.tasks.create({ workflowSid: workflow.sid, attributes: '{"n":2}' });
  const [r2] = await viaB.tasks(t2.sid).reservations.list();
  await viaB.tasks(t2.sid).reservations(r2!.sid).update({ reservationStatus: 'accepted' });
  const t3 = await wsApi.tasks.create({ workflowSid: workflow.sid, attributes: '{"n":3}' });
  const [r1] = await wsApi.tasks(t1.sid).reservations.list();
  expect(r1!.workerSid).toBe(w1.sid);

  // Redis goes away: clear 503s in Twilio's format, and back by itself once Redis returns.
  await redis.stop('crash');
  const down = await fetch(`${a.url}/v1/Workspaces/${ws.sid}/Tasks/${t1.sid}`, {
    headers: { authorization: 'Basic ' + Buffer.from(`${env.TWILIO_ACCOUNT_SID}:${env.TWILIO_AUTH_TOKEN}`).toString('base64') },
  });
  expect(down.status).toBe(503);
  expect(await down.json()).toMatchObject({ code: 20503, status: 503 });
  expect((await fetch(`${a.url}/readyz`)).status).toBe(503);
  await redis.restart();
  const back = await until(
    () => wsApi.tasks(t3.sid).fetch(),
    (t) => (t as { sid?: string }).sid === t3.sid,
  );
  expect((back as { assignmentStatus: string }).assignmentStatus).toBe('pending');

  // Every process and Redis stop; everything starts again from Redis's append-only file.
  await a.stop();
  await b.stop();
  await redis.stop('shutdown');
  await redis.restart();
  const [c, d] = [await start(), await start()];
  const viaC = c.client.taskrouter.v1.workspaces(ws.sid);
  expect((await viaC.tasks(t1.sid).fetch()).assignmentStatus).toBe('reserved');
  expect((await viaC.tasks(t2.sid).fetch()).assignmentStatus).toBe('assigned');
  expect((await viaC.tasks(t3.sid).fetch()).assignmentStatus).toBe('pending');
  expect((await viaC.workers.list()).map((w) => w.friendlyName).sort()).toEqual(['w1', 'w2', 'w3']);
  expect((await viaC.tasks(t1.sid).reservations(r1!.sid).fetch()).reservationStatus).toBe('pending');

  // The reservation timer set before the restart still fires: w1 goes to the timeout activity, t1 waits again.
  const timedOut = await until(
    () => viaC.tasks(t1.sid).reservations(r1!.sid).fetch(),
    (r) => r.reservationStatus === 'timeout',
    30_000,
  );
  expect(timedOut.reservationStatus).toBe('timeout');
  expect((await viaC.workers(w1.sid).fetch()).activitySid).toBe(offline);
  expect((await viaC.tasks(t1.sid).fetch()).assignmentStatus).toBe('pending');

  // Routing goes on: w2 comes online through the other new process and gets the longest-waiting task.
  const viaD = d.client.taskrouter.v1.workspaces(ws.sid);
  await viaD.workers(w2.sid).update({ activitySid: available });
  const [next] = await viaD.workers(w2.sid).reservations.list({ reservationStatus: 'pending' });
  expect(next!.taskSid).toBe(t1.sid);
  expect(w3.sid).toBeTruthy();
});
