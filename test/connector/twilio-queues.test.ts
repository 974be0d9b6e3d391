import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTwilioRestClient } from '../../src/connector/twilio/rest-client.js';
import type { SimCall, TwilioSim } from '../twilio-sim/index.js';
import { addWorker, configureNumber } from './flow-helpers.js';
import { createCallCenter, pendingReservation, randomCaller, taskIn, type CallCenter, type ConnectorServer, useSimulatedTwilio } from './harness.js';

/**
 * The Twilio queues callers wait in: one per call, named after its task, found again by the QueueSid Twilio sends on
 * every hold request rather than by listing the account's queues, and deleted once the caller is out of it.
 */
let sim: TwilioSim;
let server: ConnectorServer;
let accountSid: string;
let authToken: string;
useSimulatedTwilio({ clockSpeed: 100, startEngine: true }, (twilio) => ({ sim, server, accountSid, authToken } = twilio));

const queueLists = () => sim.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/Queues.json'));
const ourQueues = () => sim.queues.filter((q) => q.friendlyName.startsWith('WT'));

/** A caller waiting in line on `center`'s number, and their task. */
async function waitingCaller(center: CallCenter, to: string): Promise<{ call: SimCall; taskSid: string }> {
  const before = new Set((await server.engine.store.list(center.workspaceSid, 'task')).map((t) => t.sid));
  const call = sim.inboundCall({ from: randomCaller(), to, webhookUrl: `${server.url}/webhooks/voice`, statusCallback: `${server.url}/webhooks/voice/status` });
  await call.waitForRequest('wait-url');
  const task = (await server.engine.store.list(center.workspaceSid, 'task')).find((t) => !before.has(t.sid))!;
  return { call, taskSid: task.sid };
}

async function instruct(center: CallCenter, taskSid: string, workerSid: string, params: Record<string, unknown>) {
  const reservation = await pendingReservation(server, center, taskSid, workerSid);
  await server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(taskSid).reservations(reservation.sid).update(params);
}

describe('Twilio queues of waiting callers', () => {
  it("moves a caller into a conference without listing the account's queues, however many there are", async () => {
    // Queues of earlier calls and of other applications on the same account.
    const client = createTwilioRestClient(accountSid, authToken, sim.url);
    for (let i = 0; i < 120; i++) await client.queues.create({ friendlyName: `other-${i}` });
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    sim.agent('client:gus', { answer: 'auto', afterMs: 300 });
    const { call, taskSid } = await waitingCaller(center, number.number);
    const gus = await addWorker(server, center, 'gus', true);
    const listsBefore = queueLists().length;

    await instruct(center, taskSid, gus.sid, { instruction: 'conference', endConferenceOnExit: true });
    await call.waitFor((e) => e.type === 'conference' && e.phase === 'join' && e.name === taskSid);
    expect(queueLists()).toHaveLength(listsBefore);
    // The caller left their queue for the conference: it is gone, the other queues stay.
    await call.waitForRequest('enqueue-action');
    expect(sim.queue(taskSid)).toBeUndefined();
    expect(sim.queues.filter((q) => q.friendlyName.startsWith('other-'))).toHaveLength(120);

    sim.agent('client:gus').hangUp();
    await taskIn(server, center, taskSid, 'wrapping');
    await call.waitForStatus('completed');
    await sim.quiesce();
  });

  it('leaves no queue behind after many calls: hung up on hold, bridged and ended, moved to a conference', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const workspace = server.client.taskrouter.v1.workspaces(center.workspaceSid);
    const listsBefore = queueLists().length;

    // Callers who hang up while waiting.
    for (let i = 0; i < 4; i++) {
      const { call, taskSid } = await waitingCaller(center, number.number);
      expect(sim.queue(taskSid)?.currentSize).toBe(1);
      call.hangUp();
      await taskIn(server, center, taskSid, 'canceled');
      await call.finished;
    }

    // Callers bridged to an agent who dequeues them; the call ends.
    const ida = `ida${randomBytes(2).toString('hex')}`;
    sim.agent(`client:${ida}`, { answer: 'auto', afterMs: 200 });
    const agent = await addWorker(server, center, ida, false);
    for (let i = 0; i < 3; i++) {
      const { call, taskSid } = await waitingCaller(center, number.number);
      await workspace.workers(agent.sid).update({ activitySid: center.available });
      await instruct(center, taskSid, agent.sid, { instruction: 'dequeue', dequeuePostWorkActivitySid: center.offline });
      await call.waitFor((e) => e.type === 'bridge' && e.phase === 'start');
      call.hangUp();
      await taskIn(server, center, taskSid, 'wrapping');
      await call.finished;
      await workspace.tasks(taskSid).update({ assignmentStatus: 'completed', reason: 'resolved' });
    }

    // Callers moved into a conference.
    const joe = `joe${randomBytes(2).toString('hex')}`;
    sim.agent(`client:${joe}`, { answer: 'auto', afterMs: 200 });
    const conferee = await addWorker(server, center, joe, false);
    for (let i = 0; i < 2; i++) {
      const { call, taskSid } = await waitingCaller(center, number.number);
      await workspace.workers(conferee.sid).update({ activitySid: center.available });
      await instruct(center, taskSid, conferee.sid, { instruction: 'conference', endConferenceOnExit: true, postWorkActivitySid: center.offline });
      await call.waitFor((e) => e.type === 'conference' && e.phase === 'join');
      // The agent leaves, which ends the conference and the caller's call.
      sim.agent(`client:${joe}`).hangUp();
      await taskIn(server, center, taskSid, 'wrapping');
      await call.finished;
      await workspace.tasks(taskSid).update({ assignmentStatus: 'completed', reason: 'resolved' });
    }

    await sim.quiesce();
    expect(ourQueues().map((q) => q.friendlyName)).toEqual([]);
    expect(queueLists()).toHaveLength(listsBefore);
  });
});
