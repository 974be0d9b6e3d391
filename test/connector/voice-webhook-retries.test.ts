import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskOfCall } from '../../src/connector/call-index.js';
import { SettingsReader } from '../../src/connector/settings-reader.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { removeKeys, testRedisUrl, uniquePrefix } from '../store/redis-test-server.js';
import { addWorker, attributes, configureNumber, first, inboundCall, statusCallback, twilioFetch, type Answer } from './flow-helpers.js';
import { createCallCenter, eventually, startConnectorServer, type CallCenter, type ConnectorServer } from './harness.js';

/**
 * Twilio retries a voice webhook it got no timely answer to, and the retry can reach another instance while the
 * first delivery is still being served. However often, and however concurrently, a call's task is created once:
 * every delivery answers with that task's TwiML, and nobody is hung up on.
 */
const accountSid = 'AC' + '7'.repeat(32);
const authToken = randomBytes(16).toString('hex');

/** The TwiML document with the instance's own address left out, so answers can be compared across instances. */
function shape(answer: Answer): string {
  return answer.xml.replace(/http:\/\/127\.0\.0\.1:\d+/g, 'PUBLIC_URL');
}

function describeRetries(storeName: string, servers: () => ConnectorServer[]) {
  describe(`retried voice webhooks (${storeName})`, () => {
    async function tasksOf(center: CallCenter) {
      return servers()[0]!.engine.store.list(center.workspaceSid, 'task');
    }

    /** Delivers the same request `times` times at once, spread over every instance. */
    function deliverConcurrently(path: string, params: Record<string, string>, times: number, context: 'call' | 'wait' = 'call'): Promise<Answer[]> {
      const all = servers();
      return Promise.all(
        Array.from({ length: times }, (_, i) => {
          const server = all[i % all.length]!;
          return twilioFetch(server, `${server.url}${path}`, params, context);
        }),
      );
    }

    it('answers a delivery made three times in a row with the same task, and creates one', async () => {
      const [server] = servers();
      const center = await createCallCenter(server!);
      const number = await configureNumber(server!, center);
      const call = inboundCall(number.number);
      const answers: Answer[] = [];
      for (let i = 0; i < 3; i++) answers.push(await twilioFetch(server!, `${server!.url}/webhooks/voice`, call));

      const tasks = await tasksOf(center);
      expect(tasks).toHaveLength(1);
      for (const answer of answers) {
        expect(first(answer, 'Enqueue').text).toBe(tasks[0]!.sid);
        expect(shape(answer)).toEqual(shape(answers[0]!));
      }
      // The caller's hang-up still finds the task and cancels it.
      await statusCallback(server!, `${server!.url}/webhooks/voice/status`, { ...call, CallStatus: 'completed' });
      expect((await server!.engine.store.get(center.workspaceSid, 'task', tasks[0]!.sid))!.assignmentStatus).toBe('canceled');
    });

    it('creates one task for deliveries that arrive together, on every instance', async () => {
      const [server] = servers();
      const center = await createCallCenter(server!);
      const number = await configureNumber(server!, center);
      const call = inboundCall(number.number);
      const answers = await deliverConcurrently('/webhooks/voice', call, 6);

      const tasks = await tasksOf(center);
      expect(tasks).toHaveLength(1);
      expect(answers.map((a) => first(a, 'Enqueue').text)).toEqual(Array(6).fill(tasks[0]!.sid));
      expect(new Set(answers.map(shape)).size).toBe(1);
    });

    it('creates one task when the IVR answer that queues the caller is delivered again, even together', async () => {
      const [server] = servers();
      const center = await createCallCenter(server!);
      const menu = await server!.connector.directory.createIvrMenu(
        SettingsReader.of({
          unique_name: `retry-${randomBytes(3).toString('hex')}`,
          prompt: 'Press 1 for sales.',
          options: [{ digits: '1', attributes: { department: 'sales' } }],
        }),
      );
      const number = await configureNumber(server!, center, { ivr_menu_sid: menu.sid });
      const call = inboundCall(number.number);
      // The first webhook itself is delivered twice: both ask the menu, and nothing is created yet.
      const asked = await deliverConcurrently('/webhooks/voice', call, 2);
      expect(await tasksOf(center)).toEqual([]);
      const action = first(asked[0]!, 'Gather').attributes.action!.slice(server!.url.length);
      const answers = await deliverConcurrently(action, { ...call, CallStatus: 'in-progress', Digits: '1' }, 4);
      const again = await twilioFetch(server!, `${server!.url}${action}`, { ...call, CallStatus: 'in-progress', Digits: '1' });

      const tasks = await tasksOf(center);
      expect(tasks).toHaveLength(1);
      expect(attributes(tasks[0]!)).toMatchObject({ department: 'sales', call_sid: call.CallSid });
      expect([...answers, again].map((a) => first(a, 'Enqueue').text)).toEqual(Array(5).fill(tasks[0]!.sid));
    });

    it('answers a retried delivery with the same voicemail when no one is available, and keeps one callback task', async () => {
      const [server] = servers();
      const center = await createCallCenter(server!);
      await addWorker(server!, center, `away-${randomBytes(2).toString('hex')}`, false);
      const number = await configureNumber(server!, center, { when_no_workers: 'voicemail' });
      const call = inboundCall(number.number);
      const answers = await deliverConcurrently('/webhooks/voice', call, 3);

      const tasks = await tasksOf(center);
      expect(tasks).toHaveLength(1);
      expect(attributes(tasks[0]!)).toMatchObject({ callback_requested: true, fallback_reason: 'no_workers' });
      for (const answer of answers) {
        expect(answer.verbs.map((v) => v.name)).toEqual(['Say', 'Record', 'Hangup']);
        expect(first(answer, 'Record').attributes.action).toContain(tasks[0]!.sid);
      }
      // The caller hanging up after the message leaves the callback task waiting.
      await statusCallback(server!, `${server!.url}/webhooks/voice/status`, { ...call, CallStatus: 'completed' });
      expect((await server!.engine.store.get(center.workspaceSid, 'task', tasks[0]!.sid))!.assignmentStatus).toBe('pending');
    });

    it('forgets a fallback call once its callback task is done, with no status callback to say the call ended', async () => {
      const [server] = servers();
      const center = await createCallCenter(server!);
      const number = await configureNumber(server!, center, { when_no_workers: 'message' });
      const call = inboundCall(number.number);
      const answer = await twilioFetch(server!, `${server!.url}/webhooks/voice`, call);
      expect(answer.verbs.map((v) => v.name)).toEqual(['Say', 'Hangup']);
      const [task] = await tasksOf(center);
      expect(await taskOfCall(server!.connector.state, call.CallSid!)).toMatchObject({ taskSid: task!.sid, answer: 'message' });

      await server!.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(task!.sid).update({ assignmentStatus: 'canceled', reason: 'called back' });
      await eventually(async () => (await taskOfCall(servers()[servers().length - 1]!.connector.state, call.CallSid!)) === null, 'the call forgotten');
    });
  });
}

describe('one instance on the memory store', () => {
  let server: ConnectorServer;
  beforeAll(async () => {
    server = await startConnectorServer({ accountSid, authToken });
  });
  afterAll(async () => {
    await server.close();
  });
  describeRetries('memory store', () => [server]);
});

describe('two instances on one Redis', () => {
  const prefix = uniquePrefix();
  let one: ConnectorServer;
  let two: ConnectorServer;
  beforeAll(async () => {
    one = await startConnectorServer({ accountSid, authToken, store: await RedisStore.connect(testRedisUrl(), { prefix }) });
    two = await startConnectorServer({ accountSid, authToken, store: await RedisStore.connect(testRedisUrl(), { prefix }) });
  });
  afterAll(async () => {
    await one.close();
    await two.close();
    await removeKeys(prefix);
  });
  describeRetries('Redis store', () => [one, two]);
});
