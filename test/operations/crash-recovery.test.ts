import { describe, expect, it } from 'vitest';
import { deploymentCredentials, startServerProcess } from '../helpers/server-process.js';

describe('the embedded store across a crash (kill -9) and a restart', () => {
  it('keeps everything it acknowledged: tasks created and reservations accepted under load', async () => {
    const env = deploymentCredentials();
    const first = await startServerProcess(env);
    const tr = first.client.taskrouter.v1;
    const ws = (await tr.workspaces.create({ friendlyName: 'Crash', multiTaskEnabled: true })).sid;
    const queue = await tr.workspaces(ws).taskQueues.create({ friendlyName: 'All', targetWorkers: '1==1' });
    const workflow = await tr.workspaces(ws).workflows.create({
      friendlyName: 'All',
      configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
    });
    const available = (await tr.workspaces(ws).activities.list({ friendlyName: 'Available' }))[0]!.sid;
    const workers = await Promise.all(
      ['alice', 'bob', 'carol', 'dan'].map((name) => tr.workspaces(ws).workers.create({ friendlyName: name, activitySid: available })),
    );
    for (const worker of workers) await tr.workspaces(ws).workers(worker.sid).workerChannels('default').update({ capacity: 50 });

    // Eight callers create tasks and accept their reservations; what the server acknowledged is noted.
    const created: string[] = [];
    const accepted: Array<{ task: string; reservation: string }> = [];
    let killed = false;
    const caller = async (n: number) => {
      while (!killed) {
        try {
          const task = await tr.workspaces(ws).tasks.create({ workflowSid: workflow.sid, attributes: JSON.stringify({ caller: n, at: created.length }) });
          created.push(task.sid);
          const [reservation] = await tr.workspaces(ws).tasks(task.sid).reservations.list({ reservationStatus: 'pending' });
          if (!reservation) continue;
          await tr.workspaces(ws).tasks(task.sid).reservations(reservation.sid).update({ reservationStatus: 'accepted' });
          accepted.push({ task: task.sid, reservation: reservation.sid });
        } catch (err) {
          if (!killed) throw err;
        }
      }
    };
    const callers = Array.from({ length: 8 }, (_, n) => caller(n));
    await expect.poll(() => accepted.length, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(80);
    // Killed while requests are in flight: no shutdown, no flush.
    killed = true;
    await first.stop('SIGKILL');
    await Promise.all(callers);
    const acknowledgedTasks = [...created];
    const acknowledgedAccepts = [...accepted];

    const second = await startServerProcess({ ...env, DATA_DIR: first.dataDir });
    try {
      const tasks = second.client.taskrouter.v1.workspaces(ws).tasks;
      for (const sid of acknowledgedTasks) expect((await tasks(sid).fetch()).sid).toBe(sid);
      for (const { task, reservation } of acknowledgedAccepts) {
        expect([task, (await tasks(task).reservations(reservation).fetch()).reservationStatus]).toEqual([task, 'accepted']);
        expect((await tasks(task).fetch()).assignmentStatus).toBe('assigned');
      }
      // And it carries on: a new task is offered to a worker with room.
      const next = await tasks.create({ workflowSid: workflow.sid, attributes: '{}' });
      expect((await tasks(next.sid).reservations.list()).length).toBe(1);
    } finally {
      await second.stop();
    }
  }, 120_000);

  it('keeps the generated development credentials beside the data, so the printed pair stays valid', async () => {
    const first = await startServerProcess({ TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined });
    const printed = (server: { output(): string }) => ({
      sid: /TWILIO_ACCOUNT_SID=(AC[0-9a-f]{32})/.exec(server.output())![1]!,
      token: /TWILIO_AUTH_TOKEN=([0-9a-f]{32})/.exec(server.output())![1]!,
    });
    const pair = printed(first);
    const auth = { Authorization: 'Basic ' + Buffer.from(`${pair.sid}:${pair.token}`).toString('base64') };
    const ws = (await (
      await fetch(`${first.url}/v1/Workspaces`, { method: 'POST', headers: auth, body: new URLSearchParams({ FriendlyName: 'Kept' }) })
    ).json()) as {
      sid: string;
    };
    await first.stop();

    const second = await startServerProcess({ TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined, DATA_DIR: first.dataDir });
    try {
      expect(printed(second)).toEqual(pair);
      const res = await fetch(`${second.url}/v1/Workspaces/${ws.sid}`, { headers: auth });
      expect([res.status, ((await res.json()) as { friendly_name: string }).friendly_name]).toEqual([200, 'Kept']);
    } finally {
      await second.stop();
    }
  });
});
