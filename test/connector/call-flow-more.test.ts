import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsReader } from '../../src/connector/settings-reader.js';
import { startDelivery, type Delivery } from '../../src/events/delivery.js';
import { LOOPBACK_CALLBACKS } from '../helpers/callbacks.js';
import { jsonReply, startReceiver, type Receiver } from '../helpers/receiver.js';
import { startFakeTwilioRest, type FakeTwilioRest } from './fake-twilio-rest.js';
import { addWorker, attributes, configureNumber, first, inboundCall, statusCallback, twilioFetch } from './flow-helpers.js';
import { createCallCenter, eventually, startConnectorServer, type CallCenter, type ConnectorServer } from './harness.js';

let rest: FakeTwilioRest;
let server: ConnectorServer;
let receiver: Receiver;
let delivery: Delivery;
const accountSid = 'AC' + '2'.repeat(32);

beforeAll(async () => {
  rest = await startFakeTwilioRest(accountSid);
  server = await startConnectorServer({ accountSid, twilioApiBaseUrl: rest.url });
  receiver = await startReceiver();
  delivery = startDelivery({ engine: server.engine, authToken: server.authToken, accountSid, callbackUrls: LOOPBACK_CALLBACKS });
});
afterAll(async () => {
  await delivery.stop();
  await receiver.close();
  await server.close();
  await rest.close();
});

const call = (number: string) => inboundCall(number);
const queueCall = async (number: string) => {
  const c = call(number);
  return { call: c, answer: await twilioFetch(server, `${server.url}/webhooks/voice`, c) };
};
const pending = (center: CallCenter, taskSid: string) =>
  eventually(async () => (await server.engine.reservationsOf(center.workspaceSid, { taskSid })).find((r) => r.status === 'pending'), 'a pending reservation');

describe('voice call flow: answers and fallbacks', () => {
  it('politely hangs up on a number it does not serve', async () => {
    const answer = await twilioFetch(server, `${server.url}/webhooks/voice`, call('+18009999999'));
    expect(answer.verbs.map((v) => v.name)).toEqual(['Say', 'Hangup']);
    expect(answer.verbs[0]!.text).toMatch(/not in service/);
  });

  it('asks a menu again on no or unknown input, then queues the caller when retries run out', async () => {
    const center = await createCallCenter(server);
    const menu = await server.connector.directory.createIvrMenu(
      SettingsReader.of({
        unique_name: 'retry-menu',
        prompt: 'Press 1.',
        retries: 1,
        options: [{ digits: '1', attributes: { picked: true } }],
      }),
    );
    const number = await configureNumber(server, center, { ivr_menu_sid: menu.sid });
    const c = call(number.number);
    const asked = await twilioFetch(server, `${server.url}/webhooks/voice`, c);
    // Nothing pressed: Twilio follows the Redirect after the Gather.
    const again = await twilioFetch(server, first(asked, 'Redirect').text, c);
    expect(again.verbs[0]!.text).toMatch(/didn't get that/);
    expect(first(again, 'Gather').attributes.action).toMatch(/attempt=1/);
    const queued = await twilioFetch(server, first(again, 'Gather').attributes.action!, { ...c, Digits: '7' });
    const task = (await server.engine.store.get(center.workspaceSid, 'task', first(queued, 'Enqueue').text))!;
    expect(attributes(task)).not.toHaveProperty('picked');
    expect(attributes(task).call_sid).toBe(c.CallSid);
  });

  it('announces position and wait every announce_every_seconds, between hold music', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center, { hold_music_url: 'https://cdn.example/hold.mp3', announce_every_seconds: 60 });
    const firstCaller = await queueCall(number.number);
    const second = await queueCall(number.number);
    const waitUrl = first(second.answer, 'Enqueue').attributes.waitUrl!;
    const hold = await twilioFetch(server, waitUrl, { ...second.call, QueuePosition: '1' }, 'wait');
    expect(first(hold, 'Say').text).toBe('You are number 2 in line.');
    expect(first(hold, 'Play').text).toBe('https://cdn.example/hold.mp3');
    // The next fetch comes sooner than the interval: music only.
    const music = await twilioFetch(server, first(hold, 'Redirect').text, { ...second.call, QueuePosition: '1' }, 'wait');
    expect(music.verbs.map((v) => v.name)).toEqual(['Play', 'Redirect']);

    // Once the queue has a pace (a task reserved), the estimated wait is announced too.
    await addWorker(server, center, 'erin', true);
    await pending(center, first(firstCaller.answer, 'Enqueue').text);
    const paced = await twilioFetch(server, waitUrl, { ...second.call, QueuePosition: '1' }, 'wait');
    expect(first(paced, 'Say').text).toMatch(/^You are next in line\. Your estimated wait time is about \d+ minutes?\.$/);
  });

  it('tells a caller whose task ended while on hold, and hangs up', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center, { fallback_message: 'Please try again tomorrow.' });
    const { call: c, answer } = await queueCall(number.number);
    const enqueue = first(answer, 'Enqueue');
    await server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(enqueue.text).update({ assignmentStatus: 'canceled', reason: 'closed' });
    const hold = await twilioFetch(server, enqueue.attributes.waitUrl!, c, 'wait');
    expect(hold.verbs.map((v) => [v.name, v.text])).toEqual([
      ['Say', 'Please try again tomorrow.'],
      ['Hangup', ''],
    ]);
  });

  it('records a voicemail when no one is available, keeping the task for a callback', async () => {
    const center = await createCallCenter(server);
    await addWorker(server, center, 'offline-frank', false);
    const number = await configureNumber(server, center, { when_no_workers: 'voicemail', voicemail_max_seconds: 60 });
    const { call: c, answer } = await queueCall(number.number);
    expect(answer.verbs.map((v) => v.name)).toEqual(['Say', 'Record', 'Hangup']);
    const record = first(answer, 'Record');
    expect(record.attributes.maxLength).toBe('60');
    const done = await twilioFetch(server, record.attributes.action!, { ...c, RecordingUrl: 'https://api.twilio.com/recordings/RE1', RecordingDuration: '14' });
    expect(done.verbs.map((v) => v.name)).toEqual(['Say', 'Hangup']);
    const tasks = await server.engine.store.list(center.workspaceSid, 'task');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.assignmentStatus).toBe('pending');
    expect(attributes(tasks[0]!)).toMatchObject({
      callback_requested: true,
      fallback_reason: 'no_workers',
      voicemail_url: 'https://api.twilio.com/recordings/RE1',
      voicemail_duration: 14,
      call_sid: c.CallSid,
    });
    // The caller's hang-up after the voicemail leaves the callback task alone.
    await statusCallback(server, `${server.url}/webhooks/voice/status`, { ...c, CallStatus: 'completed' });
    expect((await server.engine.store.get(center.workspaceSid, 'task', tasks[0]!.sid))!.assignmentStatus).toBe('pending');
  });

  it('says the callback message when the queue is full', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center, { max_queue_size: 1, fallback_message: 'We will call you back.' });
    const admitted = await queueCall(number.number);
    expect(first(admitted.answer, 'Enqueue').text).toMatch(/^WT/);
    const turnedAway = await queueCall(number.number);
    expect(turnedAway.answer.verbs.map((v) => [v.name, v.text])).toEqual([
      ['Say', 'We will call you back.'],
      ['Hangup', ''],
    ]);
    const tasks = await server.engine.store.list(center.workspaceSid, 'task');
    expect(tasks.map((t) => attributes(t).fallback_reason ?? null).sort()).toEqual(['queue_full', null].sort());
  });
});

describe('voice call flow: other instructions', () => {
  it('dequeues from an assignment callback answer', async () => {
    const center = await createCallCenter(server);
    const path = `/assign-${center.workspaceSid}`;
    receiver.answer(path, jsonReply({ instruction: 'dequeue', post_work_activity_sid: center.wrapUp, timeout: 20 }));
    await server.client.taskrouter.v1
      .workspaces(center.workspaceSid)
      .workflows(center.workflowSid)
      .update({ assignmentCallbackUrl: receiver.url(path) });
    const number = await configureNumber(server, center);
    const { answer } = await queueCall(number.number);
    const taskSid = first(answer, 'Enqueue').text;
    await addWorker(server, center, 'gina', true);
    const placed = await eventually(() => rest.calls.find((c) => c.params.To === 'client:gina'), 'the agent leg');
    expect(placed.params).toMatchObject({ From: number.number, Timeout: '20' });
    const reservation = (await server.engine.reservationsOf(center.workspaceSid, { taskSid }))[0]!;
    expect(reservation.instruction).toMatchObject({ instruction: 'dequeue', DequeuePostWorkActivitySid: center.wrapUp });
    const bridge = await twilioFetch(server, placed.params.Url!, { CallSid: placed.sid!, AccountSid: accountSid, CallStatus: 'in-progress' });
    expect(first(bridge, 'Queue').text).toBe(taskSid);
    expect((await server.engine.store.get(center.workspaceSid, 'task', taskSid))!.assignmentStatus).toBe('assigned');
  });

  it("conference: rings the agent, and on answer moves the caller from the queue into the task's conference", async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const { call: c, answer } = await queueCall(number.number);
    const taskSid = first(answer, 'Enqueue').text;
    // The caller's hold request names their queue.
    await twilioFetch(server, first(answer, 'Enqueue').attributes.waitUrl!, { ...c, QueueSid: 'QU' + 'a'.repeat(32), QueuePosition: '1' }, 'wait');
    const hank = await addWorker(server, center, 'hank', true);
    const reservation = await pending(center, taskSid);
    await server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(taskSid).reservations(reservation.sid).update({
      instruction: 'conference',
      endConferenceOnExit: true,
      endConferenceOnCustomerExit: true,
      beep: 'false',
      postWorkActivitySid: center.wrapUp,
    });
    const placed = rest.calls.find((c2) => c2.params.To === 'client:hank')!;
    expect(placed.params.From).toBe(number.number);
    const agentCall = { CallSid: placed.sid!, AccountSid: accountSid, CallStatus: 'in-progress' };
    const joined = await twilioFetch(server, placed.params.Url!, agentCall);
    expect(first(joined, 'Conference')).toMatchObject({
      text: taskSid,
      attributes: { startConferenceOnEnter: 'true', endConferenceOnExit: 'true', beep: 'false' },
    });
    const moved = rest.calls.find((r) => r.path.endsWith(`/Members/${c.CallSid}.json`))!;
    expect(moved.path).toContain(`/Queues/QU${'a'.repeat(32)}/`);
    const callerJoins = await twilioFetch(server, moved.params.Url!, c);
    expect(first(callerJoins, 'Conference')).toMatchObject({ text: taskSid, attributes: { endConferenceOnExit: 'true', beep: 'false' } });
    expect((await server.engine.store.get(center.workspaceSid, 'task', taskSid))!.assignmentStatus).toBe('assigned');
    // The caller leaving the queue this way is not a hang-up.
    await twilioFetch(server, first(answer, 'Enqueue').attributes.action!, { ...c, QueueResult: 'redirected' });
    await statusCallback(server, placed.params.StatusCallback!, { ...agentCall, CallStatus: 'completed' });
    expect((await server.engine.store.get(center.workspaceSid, 'task', taskSid))!.assignmentStatus).toBe('wrapping');
    expect((await server.engine.store.get(center.workspaceSid, 'worker', hank.sid))!.activitySid).toBe(center.wrapUp);
  });

  it("call: places the application's call and accepts at once with CallAccept; redirect: moves a live call", async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const { answer } = await queueCall(number.number);
    const taskSid = first(answer, 'Enqueue').text;
    await addWorker(server, center, 'ivy', true);
    const reservation = await pending(center, taskSid);
    const reservations = server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(taskSid).reservations;
    const accepted = await reservations(reservation.sid).update({
      instruction: 'call',
      callFrom: '+18005550100',
      callUrl: 'https://app.example/agent.xml',
      callAccept: true,
    });
    expect(accepted.reservationStatus).toBe('accepted');
    const placed = rest.calls.find((c) => c.params.To === 'client:ivy')!;
    expect(placed.params).toMatchObject({ From: '+18005550100', Url: 'https://app.example/agent.xml' });
    expect(attributes((await server.engine.store.get(center.workspaceSid, 'task', taskSid))!).worker_call_sid).toBe(placed.sid);

    const second = await queueCall(number.number);
    const secondTask = first(second.answer, 'Enqueue').text;
    await addWorker(server, center, 'jack', true);
    const next = await pending(center, secondTask);
    const redirected = await server.client.taskrouter.v1
      .workspaces(center.workspaceSid)
      .tasks(secondTask)
      .reservations(next.sid)
      .update({ instruction: 'redirect', redirectCallSid: second.call.CallSid, redirectUrl: 'https://app.example/elsewhere.xml', redirectAccept: true });
    expect(redirected.reservationStatus).toBe('accepted');
    const update = rest.calls.find((c) => c.path.endsWith(`/Calls/${second.call.CallSid}.json`))!;
    expect(update.params).toMatchObject({ Url: 'https://app.example/elsewhere.xml', Method: 'POST' });
  });
});
