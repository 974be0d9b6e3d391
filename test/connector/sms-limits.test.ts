import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../src/core/model.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { raw } from '../helpers/http.js';
import { removeKeys, testRedisUrl, uniquePrefix } from '../store/redis-test-server.js';
import { startTwilioSim, type InboundSmsOptions, type TwilioSim } from '../twilio-sim/index.js';
import { attributes, configureNumber } from './flow-helpers.js';
import { createCallCenter, randomCaller, startConnectorServer, type CallCenter, type ConnectorServer } from './harness.js';

/**
 * Whatever a customer sends — bodies beyond Twilio's limit, text whose JSON escapes outgrow TaskRouter's 4,096
 * characters, characters outside the Basic Multilingual Plane, long addresses — the message opens or joins its
 * conversation, the task's attributes fit, and what is kept is cut to Twilio's 1,600 characters without splitting a
 * character. On both stores: Redis keeps messages as UTF-8, where a split character does not survive.
 */
const accountSid = 'AC' + randomBytes(16).toString('hex');
const authToken = randomBytes(16).toString('hex');
/** A character outside the Basic Multilingual Plane: two UTF-16 code units. */
const EMOJI = '\u{1F600}';
/** A lone surrogate: what cutting between the halves of a pair leaves behind. */
const LONE_SURROGATE = /\p{Cs}/u;

const prefix = uniquePrefix();
const stores: Array<[string, () => Promise<RoutingStore | undefined>]> = [
  ['memory', async () => undefined],
  ['Redis', async () => RedisStore.connect(testRedisUrl(), { prefix })],
];

describe.each(stores)('SMS limits (%s store)', (_name, makeStore) => {
  let sim: TwilioSim;
  let server: ConnectorServer;

  beforeAll(async () => {
    sim = await startTwilioSim({ accountSid, authToken, clockSpeed: 100 });
    server = await startConnectorServer({ accountSid, authToken, twilioApiBaseUrl: sim.url, store: await makeStore() });
  });
  afterAll(async () => {
    await sim.close();
    await server.close();
    await removeKeys(prefix);
  });
  afterEach(() => {
    // A webhook answered with a 500 shows here: Twilio would have handed the message to the fallback URL.
    expect(sim.errors).toEqual([]);
  });

  async function text(from: string, to: string, body: string, extra: Partial<InboundSmsOptions> = {}) {
    const sms = sim.inboundSms({ from, to, body, webhookUrl: `${server.url}/webhooks/sms`, ...extra });
    await sms.finished;
    await sim.quiesce();
    return sms;
  }

  async function onlyTask(center: CallCenter): Promise<TaskRecord> {
    const tasks = await server.engine.store.list(center.workspaceSid, 'task');
    expect(tasks).toHaveLength(1);
    return tasks[0]!;
  }

  async function history(taskSid: string): Promise<Array<{ body: string; media_urls: string[] }>> {
    const res = await raw(server, 'GET', `/v1/Connector/Conversations/${taskSid}/Messages`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.messages;
  }

  it('gives every SMS task num_media, 0 when nothing is attached', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    await text(randomCaller(), number.number, 'Just text');
    expect(attributes(await onlyTask(center))).toMatchObject({ num_media: 0, message_count: 1, first_message: 'Just text' });

    const other = await createCallCenter(server);
    const mms = await configureNumber(server, other);
    const media = [1, 2].map((n) => ({ url: `https://media.example/photo-${n}.jpg`, contentType: 'image/jpeg' }));
    // A URL far longer than any Twilio hands out is not kept: cut, it would lead nowhere.
    const overlong = { url: `https://media.example/${'p'.repeat(3000)}.jpg`, contentType: 'image/jpeg' };
    await text(randomCaller(), mms.number, 'Two photos', { media: [media[0]!, overlong, media[1]!] });
    const task = await onlyTask(other);
    expect(attributes(task).num_media).toBe(2);
    expect((await history(task.sid)).map((m) => m.media_urls)).toEqual([media.map((m) => m.url)]);
  });

  it('keeps a body beyond 1,600 characters to its first 1,600, in the conversation and the task', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const body = 'Order 1234 never arrived. '.repeat(4_000);
    await text(randomCaller(), number.number, body);
    const task = await onlyTask(center);
    expect(attributes(task).first_message).toBe(body.slice(0, 1600));
    expect((await history(task.sid)).map((m) => m.body)).toEqual([body.slice(0, 1600)]);
  });

  it('opens the conversation when the escaped text would outgrow 4,096 characters of attributes', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    // 1,600 characters that JSON writes as 4,800: quotes, backslashes, newlines and control characters.
    const body = '"\\\n\u0001'.repeat(400);
    await text(randomCaller(), number.number, body);
    const task = await onlyTask(center);
    expect(task.attributes.length).toBeLessThanOrEqual(4096);
    const firstMessage = attributes(task).first_message as string;
    expect(firstMessage.length).toBeGreaterThan(0);
    expect(body.startsWith(firstMessage)).toBe(true);
    // The conversation keeps the message whole: only the task's copy gives way.
    expect((await history(task.sid)).map((m) => m.body)).toEqual([body]);
  });

  it('never splits a character when it cuts the stored body, the first message or the latest one', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const customer = randomCaller();
    // The 1,600th code unit is the first half of an emoji, the 160th of the follow-up too.
    const first = 'a'.repeat(1599) + EMOJI.repeat(5);
    const second = 'b'.repeat(159) + EMOJI.repeat(5);
    await text(customer, number.number, first);
    await text(customer, number.number, second);
    const task = await onlyTask(center);
    const { first_message: firstMessage, last_message: lastMessage, message_count: count } = attributes(task);
    expect(count).toBe(2);
    expect(firstMessage).toBe('a'.repeat(1599));
    expect(lastMessage).toBe('b'.repeat(159));
    const bodies = (await history(task.sid)).map((m) => m.body);
    expect(bodies).toEqual(['a'.repeat(1599), second]);
    for (const text of [firstMessage, lastMessage, ...bodies]) expect(text).not.toMatch(LONE_SURROGATE);
  });

  it('opens the conversation for a sender whose address and whereabouts are far longer than any Twilio sends', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const customer = 'whatsapp:+1415' + '5'.repeat(2_000);
    const city = 'SAN FRANCISCO '.repeat(300);
    await text(customer, number.number, 'x'.repeat(1600), { geo: { from: { city, state: 'CA' } } });
    const task = await onlyTask(center);
    expect(task.attributes.length).toBeLessThanOrEqual(4096);
    const found = attributes(task);
    // Where the sender is gives way first, the message next, the address last: it is what an agent answers.
    expect(found).toMatchObject({ from: customer, to: number.number, channel: 'whatsapp', first_message: 'x'.repeat(1600), num_media: 0 });
    expect(city.startsWith(found.from_city as string)).toBe(true);
    expect((found.from_city as string).length).toBeLessThan(city.length);
    const conversation = await raw(server, 'GET', `/v1/Connector/Conversations/${task.sid}`);
    expect(conversation.body).toMatchObject({ customer, status: 'open', message_count: 1 });
  });

  it('notes a later message even when the task carries 4,096 characters of attributes already', async () => {
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    const customer = randomCaller();
    const first = 'First question: ' + 'q'.repeat(1000);
    await text(customer, number.number, first);
    const opened = await onlyTask(center);
    // An agent's application adds its own notes to the task, up to TaskRouter's limit.
    const current = attributes(opened);
    const notes = 'n'.repeat(4096 - JSON.stringify({ ...current, crm_notes: '' }).length);
    await server.client.taskrouter.v1
      .workspaces(center.workspaceSid)
      .tasks(opened.sid)
      .update({ attributes: JSON.stringify({ ...current, crm_notes: notes }) });

    const followUp = 'And a second question, long enough to need room of its own in the task. '.repeat(3);
    await text(customer, number.number, followUp);
    const task = await onlyTask(center);
    expect(task.attributes.length).toBeLessThanOrEqual(4096);
    const found = attributes(task);
    expect(found.message_count).toBe(2);
    expect(found.crm_notes).toBe(notes);
    // The first message gives way to the latest one, which keeps its usual 160 characters.
    expect(found.last_message).toBe(followUp.slice(0, 160));
    expect(first.startsWith(found.first_message as string)).toBe(true);
    expect((found.first_message as string).length).toBeLessThan(first.length);
    expect((await history(task.sid)).map((m) => m.body)).toEqual([first, followUp]);
  });
});
