import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsReader } from '../../src/connector/settings-reader.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { removeKeys, testRedisUrl, uniquePrefix } from '../store/redis-test-server.js';
import { inboundCall, first, twilioFetch } from './flow-helpers.js';
import { createCallCenter, startConnectorServer, type ConnectorServer } from './harness.js';

/** Two server instances on one Redis: configuration written through one is served by the other. */
const prefix = uniquePrefix();
const accountSid = 'AC' + '3'.repeat(32);
const authToken = 'shared-token';
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

describe('connector configuration on the Redis store', () => {
  it('is shared by every instance, and the call flow continues on whichever instance Twilio reaches', async () => {
    const center = await createCallCenter(one);
    const menu = await one.connector.directory.createIvrMenu(
      SettingsReader.of({ unique_name: 'shared', prompt: 'Press 1.', options: [{ digits: '1', attributes: { via: 'redis' } }] }),
    );
    const number = await one.connector.directory.createPhoneNumber(
      SettingsReader.of({ number: '+18005550199', workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid, ivr_menu_sid: 'shared' }),
    );
    expect((await two.connector.directory.phoneNumber('+18005550199')).sid).toBe(number.sid);
    expect((await two.connector.directory.ivrMenu(menu.sid)).uniqueName).toBe('shared');

    // The menu is asked by one instance and answered by the other: the call's state travels in the signed URL.
    const call = inboundCall(number.number);
    const asked = await twilioFetch(one, `${one.url}/webhooks/voice`, call);
    const action = first(asked, 'Gather').attributes.action!.replace(one.url, two.url);
    const queued = await twilioFetch(two, action, { ...call, Digits: '1' });
    const task = (await two.engine.store.get(center.workspaceSid, 'task', first(queued, 'Enqueue').text))!;
    expect(JSON.parse(task.attributes)).toMatchObject({ via: 'redis', call_sid: call.CallSid });

    await two.connector.directory.deletePhoneNumber(number.number);
    expect(await one.connector.directory.findPhoneNumber(number.number)).toBeNull();
  });
});
