import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsReader } from '../../src/connector/settings-reader.js';
import { signedUrl } from '../../src/connector/twilio/signature.js';
import { createCallCenter, signedWebhook, startConnectorServer, type ConnectorServer } from './harness.js';

let server: ConnectorServer;

beforeAll(async () => {
  server = await startConnectorServer();
});
afterAll(() => server.close());

const call = {
  CallSid: 'CA' + 'c'.repeat(32),
  AccountSid: 'AC' + 'a'.repeat(32),
  From: '+15550009999',
  To: '+15550004000',
  CallStatus: 'ringing',
  Direction: 'inbound',
};

describe('webhook signatures', () => {
  it('answers a correctly signed call as text/xml', async () => {
    const res = await signedWebhook(server, '/webhooks/voice', call);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/xml/);
  });

  it('refuses a missing signature with 400 and a forged one with 403', async () => {
    const missing = await signedWebhook(server, '/webhooks/voice', call, null);
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).code).toBe(20001);
    const forged = await signedWebhook(server, '/webhooks/voice', call, 'bm90IGEgc2lnbmF0dXJl');
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body).code).toBe(20403);
  });

  it('covers the query string and the parameters: state in a URL cannot be altered', async () => {
    const center = await createCallCenter(server);
    await server.connector.directory.createPhoneNumber(
      SettingsReader.of({ number: '+15550004001', workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid }),
    );
    const url = `${server.url}/webhooks/voice/hold?ws=${center.workspaceSid}&task=WT1`;
    const signature = twilio.getExpectedTwilioSignature(server.authToken, url, call);
    const tampered = await signedWebhook(server, `/webhooks/voice/hold?ws=${center.workspaceSid}&task=WT2`, call, signature);
    expect(tampered.status).toBe(403);
    const changedParams = await signedWebhook(server, `/webhooks/voice/hold?ws=${center.workspaceSid}&task=WT1`, { ...call, From: '+15550000000' }, signature);
    expect(changedParams.status).toBe(403);
  });

  it('signs against PUBLIC_URL, restoring a path prefix a proxy stripped', () => {
    expect(signedUrl('https://sb.example', '/webhooks/voice?x=1')).toBe('https://sb.example/webhooks/voice?x=1');
    expect(signedUrl('https://sb.example/switchboard/', '/webhooks/voice')).toBe('https://sb.example/switchboard/webhooks/voice');
    expect(signedUrl('https://sb.example/switchboard', '/switchboard/webhooks/voice')).toBe('https://sb.example/switchboard/webhooks/voice');
  });
});
