import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../src/core/model.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { raw } from '../helpers/http.js';
import { removeKeys, testRedisUrl, uniquePrefix } from '../store/redis-test-server.js';
import type { TwilioSim } from '../twilio-sim/index.js';
import { addWorker, attributes, configureNumber } from './flow-helpers.js';
import {
  createCallCenter,
  eventually,
  pendingReservation,
  randomCaller,
  signedWebhook,
  startConnectorServer,
  type CallCenter,
  type ConnectorServer,
  useSimulatedTwilio,
} from './harness.js';

/**
 * SMS conversations end to end against the Twilio simulator: customers' messages arrive as signed webhooks, agents
 * answer through the API, which sends through the simulator's Messages API, and ending the task closes the
 * conversation.
 */
const AUTO_REPLY = 'Thanks for your message! An agent will answer shortly.';
let sim: TwilioSim;
let server: ConnectorServer;
let accountSid: string;
let authToken: string;
useSimulatedTwilio({ clockSpeed: 100 }, (twilio) => ({ sim, server, accountSid, authToken } = twilio));

const smsWebhook = (s: ConnectorServer) => `${s.url}/webhooks/sms`;

async function tasksOf(s: ConnectorServer, center: CallCenter): Promise<TaskRecord[]> {
  return s.engine.store.list(center.workspaceSid, 'task');
}

async function text(s: ConnectorServer, from: string, to: string, body: string) {
  const sms = sim.inboundSms({ from, to, body, webhookUrl: smsWebhook(s) });
  await sms.finished;
  return sms;
}

async function conversation(s: ConnectorServer, id: string) {
  const res = await raw(s, 'GET', `/v1/Connector/Conversations/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Record<string, any>;
}

async function messages(s: ConnectorServer, id: string): Promise<Record<string, any>[]> {
  const res = await raw(s, 'GET', `/v1/Connector/Conversations/${id}/Messages`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.messages as Record<string, any>[];
}

function reply(s: ConnectorServer, id: string, form: Record<string, string | string[]>) {
  return raw(s, 'POST', `/v1/Connector/Conversations/${id}/Messages`, { form });
}

/** Takes the task to an agent (reservation accepted) and completes it, as an agent's application would. */
async function completeTask(s: ConnectorServer, center: CallCenter, taskSid: string, workerName: string): Promise<void> {
  const worker = await addWorker(s, center, workerName, true);
  const reservation = await pendingReservation(s, center, taskSid, worker.sid);
  const tasks = s.client.taskrouter.v1.workspaces(center.workspaceSid).tasks;
  await tasks(taskSid).reservations(reservation.sid).update({ reservationStatus: 'accepted' });
  await tasks(taskSid).update({ assignmentStatus: 'completed', reason: 'answered' });
}

describe('SMS conversations against the Twilio simulator', () => {
  it('first message → task and conversation → agent reply through Twilio → follow-up joins → task completed → next message opens a new task', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center, { sms_auto_reply: AUTO_REPLY });
    const customer = randomCaller();

    const first = await text(server, customer, number.number, 'Where is my order #1234?');
    const found = await tasksOf(server, center);
    expect(found).toHaveLength(1);
    const [task] = found;
    const attrs = attributes(task!);
    expect(attrs).toMatchObject({
      from: customer,
      to: number.number,
      channel: 'sms',
      first_message: 'Where is my order #1234?',
      message_sid: first.sid,
      message_count: 1,
      from_city: 'SAN FRANCISCO',
    });
    expect(attrs.conversation_sid).toMatch(/^CH[0-9a-f]{32}$/);
    const fetched = await server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(task!.sid).fetch();
    expect(fetched.taskChannelUniqueName).toBe('sms');
    expect(fetched.workflowSid).toBe(center.workflowSid);

    // The automatic reply answers the first message, in the webhook's own TwiML.
    const twiml = first.events.find((e) => e.type === 'twiml');
    expect(twiml && 'xml' in twiml ? twiml.xml : '').toContain(`<Message>${AUTO_REPLY}</Message>`);
    expect(first.replies.map((r) => [r.from, r.to, r.body])).toEqual([[number.number, customer, AUTO_REPLY]]);

    const opened = await conversation(server, task!.sid);
    expect(opened).toMatchObject({
      sid: attrs.conversation_sid,
      task_sid: task!.sid,
      workspace_sid: center.workspaceSid,
      phone_number_sid: number.sid,
      number: number.number,
      customer,
      status: 'open',
      message_count: 2,
      date_closed: null,
    });
    const chSid = opened.sid as string;

    // The agent answers through the API; the message goes out through Twilio's Messages API, from our number.
    const sent = await reply(server, chSid, { Body: 'It ships tomorrow.', Author: 'alice' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toMatchObject({
      conversation_sid: chSid,
      direction: 'outbound',
      from: number.number,
      to: customer,
      body: 'It ships tomorrow.',
      author: 'alice',
    });
    expect(sent.body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    const create = sim.requests.find((r) => r.method === 'POST' && r.path.endsWith('/Messages.json') && r.params.Body === 'It ships tomorrow.');
    expect(create?.params).toMatchObject({ From: number.number, To: customer, Body: 'It ships tomorrow.' });
    expect(create?.params.StatusCallback).toBe(`${server.url}/webhooks/sms/status?conversation=${chSid}`);
    // Twilio's delivery reports are kept with the message.
    await eventually(async () => (await messages(server, chSid)).find((m) => m.sid === sent.body.sid)?.status === 'delivered', 'the delivery report');

    // A follow-up joins the same conversation and task: no new task, no second automatic reply.
    const followUp = await text(server, customer, number.number, 'Great, thanks. Can you use the side door?');
    expect(followUp.replies).toEqual([]);
    expect(await tasksOf(server, center)).toHaveLength(1);
    const updated = (await server.engine.store.get(center.workspaceSid, 'task', task!.sid))!;
    expect(attributes(updated)).toMatchObject({
      message_count: 2,
      last_message: 'Great, thanks. Can you use the side door?',
      first_message: 'Where is my order #1234?',
    });
    const history = await messages(server, task!.sid);
    expect(history.map((m) => [m.direction, m.author, m.body])).toEqual([
      ['inbound', 'customer', 'Where is my order #1234?'],
      ['outbound', 'auto_reply', AUTO_REPLY],
      ['outbound', 'alice', 'It ships tomorrow.'],
      ['inbound', 'customer', 'Great, thanks. Can you use the side door?'],
    ]);
    expect(history[0]).toMatchObject({ sid: first.sid, from: customer, to: number.number, status: 'received' });

    // Completing the task closes the conversation: replies are refused, and the customer's next message opens a new task.
    await completeTask(server, center, task!.sid, `agent-${randomBytes(2).toString('hex')}`);
    await eventually(async () => (await conversation(server, chSid)).status === 'closed', 'the conversation to close');
    expect(await conversation(server, chSid)).toMatchObject({ closed_reason: 'task completed', date_closed: expect.any(String) });
    const refused = await reply(server, chSid, { Body: 'One more thing…' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ status: 400, code: expect.any(Number), more_info: expect.stringContaining('twilio.com/docs/errors') });
    expect(refused.body.message).toMatch(/closed/);
    expect(sim.messages.filter((m) => m.body === 'One more thing…')).toEqual([]);

    const again = await text(server, customer, number.number, 'Hello again!');
    const tasks = await tasksOf(server, center);
    expect(tasks).toHaveLength(2);
    const second = tasks.find((t) => t.sid !== task!.sid)!;
    expect(attributes(second)).toMatchObject({ first_message: 'Hello again!', from: customer });
    expect(attributes(second).conversation_sid).not.toBe(chSid);
    expect(again.replies.map((r) => r.body)).toEqual([AUTO_REPLY]);
    await sim.quiesce();
  });

  it('a canceled or deleted task closes its conversation too', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const customer = randomCaller();
    const tasks = server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks;

    const first = await text(server, customer, number.number, 'Hi');
    expect(first.replies).toEqual([]);
    const [task] = await tasksOf(server, center);
    await tasks(task!.sid).update({ assignmentStatus: 'canceled', reason: 'spam' });
    await eventually(async () => (await conversation(server, task!.sid)).status === 'closed', 'closing on cancel');
    expect((await conversation(server, task!.sid)).closed_reason).toBe('task canceled');

    await text(server, customer, number.number, 'Hello?');
    const second = (await tasksOf(server, center)).find((t) => t.sid !== task!.sid)!;
    expect(second.assignmentStatus).toBe('pending');
    await tasks(second.sid).remove();
    await eventually(async () => (await conversation(server, second.sid)).status === 'closed', 'closing on delete');

    await text(server, customer, number.number, 'Anyone?');
    expect((await tasksOf(server, center)).filter((t) => t.assignmentStatus === 'pending')).toHaveLength(1);
    await sim.quiesce();
  });

  it('files a message Twilio sends twice once, and pages the history like the rest of the API', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const customer = randomCaller();
    const params = {
      MessageSid: 'SM' + randomBytes(16).toString('hex'),
      AccountSid: accountSid,
      From: customer,
      To: number.number,
      Body: 'Once',
      NumMedia: '0',
    };
    for (let i = 0; i < 2; i++) {
      const res = await signedWebhook(server, '/webhooks/sms', params);
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^text\/xml/);
    }
    const tasks = await tasksOf(server, center);
    expect(tasks).toHaveLength(1);
    const [task] = tasks;
    for (const body of ['two', 'three', 'four']) await text(server, customer, number.number, body);
    expect(attributes((await server.engine.store.get(center.workspaceSid, 'task', task!.sid))!).message_count).toBe(4);

    const page = await raw(server, 'GET', `/v1/Connector/Conversations/${task!.sid}/Messages?PageSize=3`);
    expect(page.status).toBe(200);
    expect(page.body.meta).toMatchObject({ key: 'messages', page: 0, page_size: 3 });
    expect(page.body.messages.map((m: { body: string }) => m.body)).toEqual(['Once', 'two', 'three']);
    const next = await raw(server, 'GET', page.body.meta.next_page_url as string);
    expect(next.body.messages.map((m: { body: string }) => m.body)).toEqual(['four']);
    expect(next.body.meta.next_page_url).toBeNull();
    await sim.quiesce();
  });

  it('refuses forged and unsigned SMS webhooks, unknown conversations and empty replies', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const params = { MessageSid: 'SM' + randomBytes(16).toString('hex'), From: randomCaller(), To: number.number, Body: 'forged' };
    const forged = await sim.forge({ url: smsWebhook(server), params, signature: 'wrong-token' });
    expect(forged.status).toBe(403);
    const tampered = await sim.forge({ url: smsWebhook(server), params, signature: 'tampered' });
    expect(tampered.status).toBe(403);
    const unsigned = await sim.forge({ url: smsWebhook(server), params, signature: 'missing' });
    expect(unsigned.status).toBe(400);
    expect(JSON.parse(unsigned.body)).toMatchObject({ status: 400, code: 20001 });
    const status = await sim.forge({
      url: `${server.url}/webhooks/sms/status?conversation=CH${'0'.repeat(32)}`,
      params: { MessageSid: params.MessageSid, MessageStatus: 'delivered' },
    });
    expect(status.status).toBe(403);
    expect(await tasksOf(server, center)).toEqual([]);

    expect((await raw(server, 'GET', `/v1/Connector/Conversations/CH${'0'.repeat(32)}`)).status).toBe(404);
    expect((await reply(server, `CH${'0'.repeat(32)}`, { Body: 'x' })).status).toBe(404);
    expect((await raw(server, 'GET', `/v1/Connector/Conversations/CH${'0'.repeat(32)}`, { auth: false })).status).toBe(401);

    await text(server, randomCaller(), number.number, 'Hello');
    const [task] = await tasksOf(server, center);
    const empty = await reply(server, task!.sid, {});
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe(21602);
    const badMedia = await reply(server, task!.sid, { MediaUrl: 'ftp://example.com/a.png' });
    expect(badMedia.status).toBe(400);
    const withMedia = await reply(server, task!.sid, { Body: 'Here is the label', MediaUrl: ['https://example.com/label.pdf', 'https://example.com/a,b.png'] });
    expect(withMedia.status).toBe(201);
    const create = sim.requests.find((r) => r.path.endsWith('/Messages.json') && r.params.Body === 'Here is the label');
    expect(create?.multi.MediaUrl).toEqual(['https://example.com/label.pdf', 'https://example.com/a,b.png']);
    await sim.quiesce();
  });

  it('exposes the SMS settings of a phone number', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center, { sms_auto_reply: 'Hi!' });
    const res = await raw(server, 'GET', `/v1/Connector/PhoneNumbers/${number.sid}`);
    expect(res.body).toMatchObject({ sms_task_channel: 'sms', sms_auto_reply: 'Hi!' });
    const missing = await raw(server, 'POST', `/v1/Connector/PhoneNumbers/${number.sid}`, { form: { SmsTaskChannel: 'carrier-pigeon' } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/sms_task_channel/);
    const cleared = await raw(server, 'POST', `/v1/Connector/PhoneNumbers/${number.sid}`, { form: { SmsAutoReply: '', SmsTaskChannel: 'chat' } });
    expect(cleared.body).toMatchObject({ sms_task_channel: 'chat', sms_auto_reply: null });
  });
});

describe('SMS conversations shared by two instances on one Redis', () => {
  const prefix = uniquePrefix();
  let one: ConnectorServer;
  let two: ConnectorServer;

  beforeAll(async () => {
    one = await startConnectorServer({ accountSid, authToken, twilioApiBaseUrl: sim.url, store: await RedisStore.connect(testRedisUrl(), { prefix }) });
    two = await startConnectorServer({ accountSid, authToken, twilioApiBaseUrl: sim.url, store: await RedisStore.connect(testRedisUrl(), { prefix }) });
  });
  afterAll(async () => {
    await one.close();
    await two.close();
    await removeKeys(prefix);
  });

  it('a conversation opened through one instance is joined, answered and closed through either', async () => {
    const center = await createCallCenter(one);
    const number = await configureNumber(one, center, { sms_auto_reply: AUTO_REPLY });
    const customer = randomCaller();

    const first = await text(one, customer, number.number, 'Is my refund processed?');
    expect(first.replies.map((r) => r.body)).toEqual([AUTO_REPLY]);
    const [task] = await tasksOf(two, center);
    const chSid = attributes(task!).conversation_sid as string;

    // The follow-up reaches the other instance: it joins the same conversation and task.
    const followUp = await text(two, customer, number.number, 'Order #99');
    expect(followUp.replies).toEqual([]);
    expect(await tasksOf(one, center)).toHaveLength(1);

    const sent = await reply(two, chSid, { Body: 'Yes, it went out today.' });
    expect(sent.status).toBe(201);
    expect(sim.messages.find((m) => m.direction === 'outbound-api' && m.body === 'Yes, it went out today.')).toMatchObject({
      from: number.number,
      to: customer,
    });
    expect((await messages(one, chSid)).map((m) => m.body)).toEqual(['Is my refund processed?', AUTO_REPLY, 'Order #99', 'Yes, it went out today.']);

    // Completed through the first instance: the second sees the conversation closed and opens a new one.
    await completeTask(one, center, task!.sid, `agent-${randomBytes(2).toString('hex')}`);
    await eventually(async () => (await conversation(two, chSid)).status === 'closed', 'the close, seen by the other instance');
    expect((await reply(two, chSid, { Body: 'late' })).status).toBe(400);
    const again = await text(two, customer, number.number, 'Thanks!');
    expect(again.replies.map((r) => r.body)).toEqual([AUTO_REPLY]);
    const tasks = await tasksOf(one, center);
    expect(tasks).toHaveLength(2);
    expect(attributes(tasks.find((t) => t.sid !== task!.sid)!).conversation_sid).not.toBe(chSid);
    await sim.quiesce();
  });
});
