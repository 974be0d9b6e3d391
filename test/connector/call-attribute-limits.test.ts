import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueCaller } from '../../src/connector/voice/caller.js';
import { SettingsReader } from '../../src/connector/settings-reader.js';
import type { PhoneNumberRecord } from '../../src/core/model.js';
import { MAX_ATTRIBUTES_LENGTH } from '../../src/core/validate.js';
import { voiceOutcomeTwiml } from '../../twiml/voice-outcome.js';
import { createCallCenter, signedWebhook, startConnectorServer, type CallCenter, type ConnectorServer } from './harness.js';

let server: ConnectorServer;
let center: CallCenter;
let number: PhoneNumberRecord;

beforeAll(async () => {
  server = await startConnectorServer();
  center = await createCallCenter(server);
  // Someone must be available, or the caller is sent to the number's fallback rather than queued.
  await server.client.taskrouter.v1.workspaces(center.workspaceSid).workers.create({ friendlyName: 'ann', activitySid: center.available });
  number = await server.connector.directory.createPhoneNumber(
    SettingsReader.of({ number: '+15550007000', workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid }),
  );
});
afterAll(() => server.close());

const attributesOf = async (taskSid: string) =>
  JSON.parse((await server.engine.store.get(center.workspaceSid, 'task', taskSid))!.attributes) as Record<string, unknown>;

describe("a call whose attributes would not fit TaskRouter's limit", () => {
  it('still queues a SIP caller with very long URIs, shortening them rather than failing', async () => {
    const sip = `sip:${'x'.repeat(3_000)}@pbx.example.com`;
    const call = {
      CallSid: 'CA' + 'e'.repeat(32),
      From: sip,
      Caller: sip,
      To: '+15550007000',
      Called: '+15550007000',
      CallStatus: 'ringing',
      Direction: 'inbound',
      FromCity: 'Ä'.repeat(500),
    };
    const res = await signedWebhook(server, '/webhooks/voice', call);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<Enqueue');
    const tasks = await server.engine.store.list(center.workspaceSid, 'task');
    const task = tasks.find((t) => (JSON.parse(t.attributes) as { call_sid?: string }).call_sid === call.CallSid);
    expect(task).toBeDefined();
    expect(task!.attributes.length).toBeLessThanOrEqual(MAX_ATTRIBUTES_LENGTH);
    const attributes = JSON.parse(task!.attributes) as Record<string, string>;
    expect(attributes).toMatchObject({ call_sid: call.CallSid, to: '+15550007000', direction: 'inbound' });
    // The place went first, then the parties, each kept as far as the limit allows.
    expect(attributes.from_city).toBe('');
    expect(sip.startsWith(attributes.from!)).toBe(true);
  });

  it('leaves out IVR answers too large to fit beside the call, and says so', async () => {
    const answers = { notes: 'n'.repeat(MAX_ATTRIBUTES_LENGTH) };
    const outcome = await queueCaller(
      { engine: server.engine, state: server.connector.state, publicUrl: () => server.url },
      number,
      { CallSid: 'CA' + 'f'.repeat(32), From: '+15550001234', To: '+15550007000' },
      answers,
    );
    expect(voiceOutcomeTwiml(outcome)).toContain('<Enqueue');
    const tasks = await server.engine.store.list(center.workspaceSid, 'task');
    const task = tasks.find((t) => (JSON.parse(t.attributes) as { call_sid?: string }).call_sid === 'CA' + 'f'.repeat(32))!;
    expect(await attributesOf(task.sid)).toEqual({ call_sid: 'CA' + 'f'.repeat(32), from: '+15550001234', to: '+15550007000', ivr_answers_dropped: true });
  });
});
