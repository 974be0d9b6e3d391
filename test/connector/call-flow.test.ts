import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsReader } from '../../src/connector/settings-reader.js';
import { startFakeTwilioRest, type FakeTwilioRest } from './fake-twilio-rest.js';
import { addWorker, attributes, configureNumber, find, first, inboundCall, statusCallback, twilioFetch } from './flow-helpers.js';
import { createCallCenter, pendingReservation, startConnectorServer, type CallCenter, type ConnectorServer } from './harness.js';

/**
 * The call flow with Twilio's side played by signed requests, and its REST API by a recorder: every step's TwiML is
 * validated as Twilio would, for where it runs.
 */
let rest: FakeTwilioRest;
let server: ConnectorServer;
const accountSid = 'AC' + '1'.repeat(32);

beforeAll(async () => {
  rest = await startFakeTwilioRest(accountSid);
  server = await startConnectorServer({ accountSid, twilioApiBaseUrl: rest.url });
});
afterAll(async () => {
  await server.close();
  await rest.close();
});

async function ivrMenus(suffix: string) {
  const directory = server.connector.directory;
  await directory.createIvrMenu(
    SettingsReader.of({
      unique_name: `billing-${suffix}`,
      prompt: 'Say invoice or refund.',
      input: ['speech', 'dtmf'],
      options: [
        { digits: '1', speech: ['invoice'], attributes: { topic: 'invoice' } },
        { digits: '2', speech: ['refund'], attributes: { topic: 'refund' } },
      ],
    }),
  );
  return directory.createIvrMenu(
    SettingsReader.of({
      unique_name: `main-${suffix}`,
      prompt: 'Press 1 for sales, 2 for billing.',
      retries: 1,
      voice: 'Polly.Amy',
      language: 'en-GB',
      options: [
        { digits: '1', attributes: { department: 'sales' } },
        { digits: '2', attributes: { department: 'billing' }, next_menu_sid: `billing-${suffix}` },
      ],
    }),
  );
}

/** Calls `number`, picks 2 then says "invoice", and returns the task and the `<Enqueue>` it ended in. */
async function callThroughIvr(center: CallCenter, to: string) {
  const call = inboundCall(to);
  const menu = await twilioFetch(server, `${server.url}/webhooks/voice`, call);
  const gather = first(menu, 'Gather');
  expect(first(menu, 'Say').attributes).toMatchObject({ voice: 'Polly.Amy', language: 'en-GB' });
  const billing = await twilioFetch(server, gather.attributes.action!, { ...call, CallStatus: 'in-progress', Digits: '2' });
  const speechGather = first(billing, 'Gather');
  expect(speechGather.attributes.input).toBe('speech dtmf');
  const queued = await twilioFetch(server, speechGather.attributes.action!, {
    ...call,
    CallStatus: 'in-progress',
    SpeechResult: 'An invoice please',
    Confidence: '0.9',
  });
  const enqueue = first(queued, 'Enqueue');
  const task = await server.engine.store.get(center.workspaceSid, 'task', enqueue.text);
  expect(task).not.toBeNull();
  return { call, enqueue, task: task! };
}

describe('voice call flow', () => {
  it('IVR → task with the answers and call attributes → dequeue → agent answers and is bridged → wrap-up → completed', async () => {
    const center = await createCallCenter(server);
    const menu = await ivrMenus('a');
    const number = await configureNumber(server, center, { ivr_menu_sid: menu.sid });
    const { call, enqueue, task } = await callThroughIvr(center, number.number);

    expect(attributes(task)).toMatchObject({
      department: 'billing',
      topic: 'invoice',
      call_sid: call.CallSid,
      account_sid: call.AccountSid,
      from: call.From,
      to: number.number,
      caller: call.From,
      called: number.number,
      direction: 'inbound',
      api_version: '2010-04-01',
      from_city: 'OAKLAND',
      from_state: 'CA',
      from_country: 'US',
      to_country: 'US',
    });
    expect(task.workflowSid).toBe(center.workflowSid);
    expect(task.assignmentStatus).toBe('pending');
    expect(enqueue.attributes).not.toHaveProperty('workflowSid');

    // On hold, alone in line: the announcement says so.
    const hold = await twilioFetch(server, enqueue.attributes.waitUrl!, { ...call, QueuePosition: '1', QueueTime: '0', CurrentQueueSize: '1' }, 'wait');
    expect(first(hold, 'Say').text).toMatch(/next in line/);

    const alice = await addWorker(server, center, 'alice', true);
    const reservation = await pendingReservation(server, center, task.sid);
    const workspace = server.client.taskrouter.v1.workspaces(center.workspaceSid);
    const updated = await workspace.tasks(task.sid).reservations(reservation.sid).update({ instruction: 'dequeue', dequeuePostWorkActivitySid: center.wrapUp });
    expect(updated.reservationStatus).toBe('pending');

    const placed = rest.calls.find((c) => c.path.endsWith('/Calls.json') && c.params.To === 'client:alice')!;
    expect(placed.params).toMatchObject({ From: number.number, Timeout: '60', Method: 'POST', StatusCallbackMethod: 'POST' });
    expect(placed.multi.StatusCallbackEvent).toEqual(['initiated', 'ringing', 'answered', 'completed']);
    const agentCall = {
      CallSid: placed.sid!,
      AccountSid: accountSid,
      From: number.number,
      To: 'client:alice',
      Direction: 'outbound-api',
      ApiVersion: '2010-04-01',
    };

    await statusCallback(server, placed.params.StatusCallback!, { ...agentCall, CallStatus: 'ringing' });
    expect((await server.engine.store.get(center.workspaceSid, 'reservation', reservation.sid))!.status).toBe('pending');

    const bridge = await twilioFetch(server, placed.params.Url!, { ...agentCall, CallStatus: 'in-progress' });
    const queue = first(bridge, 'Queue');
    expect(queue.text).toBe(task.sid);
    expect(queue.attributes).not.toHaveProperty('reservationSid');
    const assigned = (await server.engine.store.get(center.workspaceSid, 'task', task.sid))!;
    expect(assigned.assignmentStatus).toBe('assigned');
    expect(assigned.workerSid).toBe(alice.sid);
    expect(attributes(assigned).worker_call_sid).toBe(placed.sid);
    expect((await server.engine.store.get(center.workspaceSid, 'reservation', reservation.sid))!.status).toBe('accepted');

    // The caller hangs up: the agent's Dial ends, its leg is hung up, and its completed callback wraps up.
    const dialDone = await twilioFetch(server, first(bridge, 'Dial').attributes.action!, {
      ...agentCall,
      CallStatus: 'in-progress',
      DialCallStatus: 'completed',
    });
    expect(dialDone.verbs.map((v) => v.name)).toEqual(['Hangup']);
    await statusCallback(server, placed.params.StatusCallback!, { ...agentCall, CallStatus: 'completed', CallDuration: '42' });
    const wrapping = (await server.engine.store.get(center.workspaceSid, 'task', task.sid))!;
    expect(wrapping.assignmentStatus).toBe('wrapping');
    expect((await server.engine.store.get(center.workspaceSid, 'worker', alice.sid))!.activitySid).toBe(center.wrapUp);

    const after = await twilioFetch(server, enqueue.attributes.action!, { ...call, CallStatus: 'completed', QueueResult: 'bridged', QueueTime: '12' });
    expect(after.verbs.map((v) => v.name)).toEqual(['Hangup']);

    const completed = await workspace.tasks(task.sid).update({ assignmentStatus: 'completed', reason: 'done' });
    expect(completed.assignmentStatus).toBe('completed');
  });

  it('cancels the task when the caller hangs up on hold, with a reason naming the hang-up', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const call = inboundCall(number.number);
    const queued = await twilioFetch(server, `${server.url}/webhooks/voice`, call);
    const enqueue = first(queued, 'Enqueue');
    await twilioFetch(server, enqueue.attributes.action!, { ...call, CallStatus: 'completed', QueueResult: 'hangup', QueueTime: '30' });
    const task = (await server.engine.store.get(center.workspaceSid, 'task', enqueue.text))!;
    expect(task.assignmentStatus).toBe('canceled');
    expect(task.reason).toMatch(/hangup/);
  });

  it("cancels through the caller's status callback too, and never an assigned task", async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const call = inboundCall(number.number);
    const enqueue = first(await twilioFetch(server, `${server.url}/webhooks/voice`, call), 'Enqueue');
    await statusCallback(server, `${server.url}/webhooks/voice/status`, { ...call, CallStatus: 'completed' });
    expect((await server.engine.store.get(center.workspaceSid, 'task', enqueue.text))!.assignmentStatus).toBe('canceled');
    // A second report of the same call finds nothing left to do.
    await statusCallback(server, `${server.url}/webhooks/voice/status`, { ...call, CallStatus: 'completed' });
  });

  it('rejects the reservation when the agent does not answer; the caller stays in line and goes to the next agent', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const call = inboundCall(number.number);
    const enqueue = first(await twilioFetch(server, `${server.url}/webhooks/voice`, call), 'Enqueue');
    const bob = await addWorker(server, center, 'bob', true);
    const first1 = await pendingReservation(server, center, enqueue.text, bob.sid);
    const reservations = server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(enqueue.text).reservations;
    await reservations(first1.sid).update({ instruction: 'dequeue', dequeueTimeout: 15 });
    const placed = rest.calls.filter((c) => c.params.To === 'client:bob').at(-1)!;
    expect(placed.params.Timeout).toBe('15');
    const carol = await addWorker(server, center, 'carol', true);

    await statusCallback(server, placed.params.StatusCallback!, { CallSid: placed.sid!, AccountSid: accountSid, CallStatus: 'no-answer' });
    expect((await server.engine.store.get(center.workspaceSid, 'reservation', first1.sid))!.status).toBe('rejected');
    const next = await pendingReservation(server, center, enqueue.text, carol.sid);
    expect(next.workerSid).toBe(carol.sid);
    const task = (await server.engine.store.get(center.workspaceSid, 'task', enqueue.text))!;
    expect(task.assignmentStatus).toBe('reserved');

    // The caller is still on hold; a late answer by bob finds the call gone.
    const hold = await twilioFetch(server, enqueue.attributes.waitUrl!, { ...call, QueuePosition: '1' }, 'wait');
    expect(find(hold.verbs, 'Hangup')).toEqual([]);
    const late = await twilioFetch(server, placed.params.Url!, { CallSid: placed.sid!, AccountSid: accountSid, CallStatus: 'in-progress' });
    expect(late.verbs.map((v) => v.name)).toEqual(['Say', 'Hangup']);
  });

  it('surfaces a Twilio REST failure as a Twilio error and leaves the reservation as it was', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const enqueue = first(await twilioFetch(server, `${server.url}/webhooks/voice`, inboundCall(number.number)), 'Enqueue');
    await addWorker(server, center, 'dave', true);
    const reservation = await pendingReservation(server, center, enqueue.text);
    rest.fail = { status: 400, code: 21211, message: "The 'To' number client:dave is not valid" };
    const error = await server.client.taskrouter.v1
      .workspaces(center.workspaceSid)
      .tasks(enqueue.text)
      .reservations(reservation.sid)
      .update({ instruction: 'dequeue' })
      .then(
        () => null,
        (err: unknown) => err as { status: number; code: number; message: string },
      );
    expect(error).toMatchObject({ status: 400, code: 21211 });
    expect(error!.message).toMatch(/Twilio refused to place the agent call/);
    const after = (await server.engine.store.get(center.workspaceSid, 'reservation', reservation.sid))!;
    expect(after).toMatchObject({ status: 'pending', instruction: null, version: reservation.version });
  });

  it('refuses a dequeue to a worker with no address to call', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const enqueue = first(await twilioFetch(server, `${server.url}/webhooks/voice`, inboundCall(number.number)), 'Enqueue');
    const worker = await server.client.taskrouter.v1.workspaces(center.workspaceSid).workers.create({ friendlyName: 'nobody', activitySid: center.available });
    const reservation = await pendingReservation(server, center, enqueue.text, worker.sid);
    const error = await server.client.taskrouter.v1
      .workspaces(center.workspaceSid)
      .tasks(enqueue.text)
      .reservations(reservation.sid)
      .update({ instruction: 'dequeue' })
      .then(
        () => null,
        (err: unknown) => err as { status: number; message: string },
      );
    expect(error?.status).toBe(400);
    expect(error?.message).toMatch(/contact_uri/);
  });
});
