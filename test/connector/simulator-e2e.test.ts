import { describe, expect, it } from 'vitest';
import { SettingsReader } from '../../src/connector/settings-reader.js';
import { startDelivery } from '../../src/events/delivery.js';
import { LOOPBACK_CALLBACKS } from '../helpers/callbacks.js';
import { jsonReply, startReceiver } from '../helpers/receiver.js';
import type { TwilioSim } from '../twilio-sim/index.js';
import { addWorker, attributes, configureNumber } from './flow-helpers.js';
import { createCallCenter, eventually, onlyTask, pendingReservation, randomCaller, taskIn, type ConnectorServer, useSimulatedTwilio } from './harness.js';

/**
 * End to end against the Twilio simulator: it places and answers calls, runs our TwiML (and flags any invalid
 * document), rings agents and bridges queues, and drives our webhooks with signed requests; the server places the
 * agents' legs through the simulator's REST API.
 */
let sim: TwilioSim;
let server: ConnectorServer;
let accountSid: string;
let authToken: string;
// The one thing the simulator leaves out is recording a voicemail; every other document we sent it ran.
useSimulatedTwilio({ clockSpeed: 100, startEngine: true, allowedWarnings: /Record/ }, (twilio) => ({ sim, server, accountSid, authToken } = twilio));

const webhookUrl = () => `${server.url}/webhooks/voice`;

describe('voice connector against the Twilio simulator', () => {
  it('call → IVR choice → task → dequeue → agent answers → bridged → hang-up → wrapping → completed', async () => {
    const center = await createCallCenter(server);
    const menu = await server.connector.directory.createIvrMenu(
      SettingsReader.of({
        unique_name: `sim-main-${center.workspaceSid}`,
        prompt: 'Press 1 for sales or 2 for support.',
        options: [
          { digits: '1', attributes: { department: 'sales' } },
          { digits: '2', attributes: { department: 'support' } },
        ],
      }),
    );
    const number = await configureNumber(server, center, { ivr_menu_sid: menu.sid, announce_every_seconds: 10 });
    sim.agent('client:alice', { answer: 'auto', afterMs: 2000 });

    const from = randomCaller();
    const call = sim.inboundCall({ from, to: number.number, webhookUrl: webhookUrl(), statusCallback: `${server.url}/webhooks/voice/status` });
    call.press('2');
    const task = await onlyTask(server, center);
    expect(attributes(task)).toMatchObject({
      department: 'support',
      call_sid: call.sid,
      from,
      to: number.number,
      caller: from,
      called: number.number,
      direction: 'inbound',
      account_sid: accountSid,
    });
    // The hold announcement, heard by the caller once the wait URL's document runs.
    await call.waitFor((e) => e.type === 'heard' && /You are next in line/.test(e.text));

    const alice = await addWorker(server, center, 'alice', true);
    const reservation = await pendingReservation(server, center, task.sid, alice.sid);
    await server.client.taskrouter.v1
      .workspaces(center.workspaceSid)
      .tasks(task.sid)
      .reservations(reservation.sid)
      .update({ instruction: 'dequeue', dequeuePostWorkActivitySid: center.wrapUp });

    const assigned = await taskIn(server, center, task.sid, 'assigned');
    expect(assigned.workerSid).toBe(alice.sid);
    const agentLeg = sim.calls.find((c) => c.to === 'client:alice')!;
    expect(attributes(assigned).worker_call_sid).toBe(agentLeg.sid);
    expect(agentLeg.from).toBe(number.number);

    call.hangUp();
    await taskIn(server, center, task.sid, 'wrapping');
    await eventually(
      async () => (await server.engine.store.get(center.workspaceSid, 'worker', alice.sid))?.activitySid === center.wrapUp,
      'the post-work activity',
    );
    await agentLeg.waitForStatus('completed');
    const done = await server.client.taskrouter.v1
      .workspaces(center.workspaceSid)
      .tasks(task.sid)
      .update({ assignmentStatus: 'completed', reason: 'resolved' });
    expect(done.assignmentStatus).toBe('completed');
    await sim.quiesce();
  });

  it('cancels the task when the caller hangs up on hold', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const call = sim.inboundCall({ from: randomCaller(), to: number.number, webhookUrl: webhookUrl() });
    const task = await onlyTask(server, center);
    await call.waitForRequest('wait-url');
    call.hangUp();
    const canceled = await taskIn(server, center, task.sid, 'canceled');
    expect(canceled.reason).toMatch(/hangup/);
    await sim.quiesce();
  });

  it('an agent who does not answer: reservation rejected, caller still waiting, routed to the next agent', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    sim.agent('client:bob', { answer: 'never' });
    sim.agent('client:carol', { answer: 'auto', afterMs: 500 });
    const call = sim.inboundCall({ from: randomCaller(), to: number.number, webhookUrl: webhookUrl() });
    const task = await onlyTask(server, center);
    const bob = await addWorker(server, center, 'bob', true);
    const first = await pendingReservation(server, center, task.sid, bob.sid);
    const reservations = server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(task.sid).reservations;
    await reservations(first.sid).update({ instruction: 'dequeue', dequeueTimeout: 5 });

    await eventually(async () => (await server.engine.store.get(center.workspaceSid, 'reservation', first.sid))?.status === 'rejected', 'the rejection');
    expect(call.ended).toBe(false);
    const carol = await addWorker(server, center, 'carol', true);
    const second = await pendingReservation(server, center, task.sid, carol.sid);
    await reservations(second.sid).update({ instruction: 'dequeue' });
    const assigned = await taskIn(server, center, task.sid, 'assigned');
    expect(assigned.workerSid).toBe(carol.sid);
    call.hangUp();
    await taskIn(server, center, task.sid, 'wrapping');
    await sim.quiesce();
  });

  it('plays the voicemail fallback when no one is available, and keeps the task for a callback', async () => {
    const center = await createCallCenter(server);
    await addWorker(server, center, 'dana', false);
    const number = await configureNumber(server, center, { when_no_workers: 'voicemail' });
    const call = sim.inboundCall({ from: randomCaller(), to: number.number, webhookUrl: webhookUrl() });
    await call.waitForStatus('completed', { timeoutMs: 10_000 });
    const task = await onlyTask(server, center);
    expect(task.assignmentStatus).toBe('pending');
    expect(attributes(task)).toMatchObject({ callback_requested: true, fallback_reason: 'no_workers' });
    expect(call.heard().join(' ')).toMatch(/leave a message/);
    await sim.quiesce();
  });

  it('dequeues from an assignment callback answer, and bridges through the simulator', async () => {
    const receiver = await startReceiver();
    const delivery = startDelivery({
      engine: server.engine,
      authToken,
      accountSid,
      callbackUrls: LOOPBACK_CALLBACKS,
    });
    try {
      const center = await createCallCenter(server);
      receiver.answer('/assign', jsonReply({ instruction: 'dequeue', post_work_activity_sid: center.wrapUp }));
      await server.client.taskrouter.v1
        .workspaces(center.workspaceSid)
        .workflows(center.workflowSid)
        .update({ assignmentCallbackUrl: receiver.url('/assign') });
      const number = await configureNumber(server, center);
      sim.agent('client:erin', { answer: 'auto', afterMs: 500 });
      const call = sim.inboundCall({ from: randomCaller(), to: number.number, webhookUrl: webhookUrl() });
      const task = await onlyTask(server, center);
      const erin = await addWorker(server, center, 'erin', true);
      const assigned = await taskIn(server, center, task.sid, 'assigned');
      expect(assigned.workerSid).toBe(erin.sid);
      call.hangUp();
      await taskIn(server, center, task.sid, 'wrapping');
      await eventually(
        async () => (await server.engine.store.get(center.workspaceSid, 'worker', erin.sid))?.activitySid === center.wrapUp,
        'the post-work activity',
      );
      await sim.quiesce();
    } finally {
      await delivery.stop();
      await receiver.close();
    }
  });

  it("conference: the caller is moved from their queue into the task's conference when the agent answers", async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    sim.agent('client:fay', { answer: 'auto', afterMs: 500 });
    const call = sim.inboundCall({ from: randomCaller(), to: number.number, webhookUrl: webhookUrl() });
    const task = await onlyTask(server, center);
    await call.waitForRequest('wait-url');
    const fay = await addWorker(server, center, 'fay', true);
    const reservation = await pendingReservation(server, center, task.sid, fay.sid);
    await server.client.taskrouter.v1
      .workspaces(center.workspaceSid)
      .tasks(task.sid)
      .reservations(reservation.sid)
      .update({ instruction: 'conference', endConferenceOnExit: true, postWorkActivitySid: center.wrapUp });
    await taskIn(server, center, task.sid, 'assigned');
    const agentLeg = sim.calls.find((c) => c.to === 'client:fay')!;
    const joined = (leg: typeof call) => leg.waitFor((e) => e.type === 'conference' && e.phase === 'join' && e.name === task.sid);
    await Promise.all([joined(call), joined(agentLeg)]);
    agentLeg.hangUp();
    await taskIn(server, center, task.sid, 'wrapping');
    await call.waitForStatus('completed');
    await sim.quiesce();
  });
});
