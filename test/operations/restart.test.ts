import { describe, expect, it } from 'vitest';
import { deploymentCredentials, startServerProcess } from '../helpers/server-process.js';

describe('the embedded store across a clean restart', () => {
  it('keeps configuration, work in progress, events and connector settings, and a reservation timer set before the stop fires after it', async () => {
    const env = deploymentCredentials();
    const first = await startServerProcess(env);
    const tr = first.client.taskrouter.v1;
    const ws = (await tr.workspaces.create({ friendlyName: 'Restart' })).sid;
    const queue = await tr.workspaces(ws).taskQueues.create({ friendlyName: 'Support', targetWorkers: "skills HAS 'support'" });
    const workflow = await tr.workspaces(ws).workflows.create({
      friendlyName: 'Support line',
      // A reservation offered and not answered is taken back after 4 seconds: the timer must outlive the restart.
      taskReservationTimeout: 4,
      configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
    });
    const activities = await tr.workspaces(ws).activities.list();
    const available = activities.find((a) => a.friendlyName === 'Available')!.sid;
    const worker = await tr.workspaces(ws).workers.create({
      friendlyName: 'alice',
      activitySid: available,
      attributes: JSON.stringify({ skills: ['support'] }),
    });
    const task = await tr.workspaces(ws).tasks.create({ workflowSid: workflow.sid, attributes: '{"customer":"Ada"}' });
    const [offered] = await tr.workspaces(ws).tasks(task.sid).reservations.list();
    expect(offered!.reservationStatus).toBe('pending');
    const auth = 'Basic ' + Buffer.from(`${env.TWILIO_ACCOUNT_SID}:${env.TWILIO_AUTH_TOKEN}`).toString('base64');
    const number = await fetch(`${first.url}/v1/Connector/PhoneNumbers`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ number: '+15550001234', workspace_sid: ws, workflow_sid: workflow.sid }),
    });
    expect(number.status).toBe(201);
    const eventsBefore = (await tr.workspaces(ws).events.list()).map((e) => e.sid);
    expect((await tr.workspaces(ws).tasks(task.sid).reservations(offered!.sid).fetch()).reservationStatus).toBe('pending');
    await first.stop();

    const second = await startServerProcess({ ...env, DATA_DIR: first.dataDir });
    try {
      const tr2 = second.client.taskrouter.v1;
      expect((await tr2.workspaces(ws).fetch()).friendlyName).toBe('Restart');
      expect((await tr2.workspaces(ws).taskQueues(queue.sid).fetch()).targetWorkers).toBe("skills HAS 'support'");
      expect((await tr2.workspaces(ws).workflows(workflow.sid).fetch()).taskReservationTimeout).toBe(4);
      expect(JSON.parse((await tr2.workspaces(ws).workers(worker.sid).fetch()).attributes)).toEqual({ skills: ['support'] });
      expect((await tr2.workspaces(ws).tasks(task.sid).fetch()).attributes).toBe('{"customer":"Ada"}');
      const eventsAfter = (await tr2.workspaces(ws).events.list()).map((e) => e.sid);
      expect(eventsAfter).toEqual(expect.arrayContaining(eventsBefore));
      const kept = await fetch(`${second.url}/v1/Connector/PhoneNumbers/${encodeURIComponent('+15550001234')}`, { headers: { authorization: auth } });
      expect(kept.status).toBe(200);
      expect(await kept.json()).toMatchObject({ workspace_sid: ws, workflow_sid: workflow.sid });

      // The reservation's timer, set by the first process, fires in the second.
      await expect
        .poll(async () => (await tr2.workspaces(ws).tasks(task.sid).reservations(offered!.sid).fetch()).reservationStatus, { timeout: 20_000, interval: 200 })
        .toBe('timeout');
      const timedOut = await tr2.workspaces(ws).events.list({ eventType: 'reservation.timeout' });
      expect(timedOut.map((e) => e.resourceSid)).toContain(offered!.sid);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
