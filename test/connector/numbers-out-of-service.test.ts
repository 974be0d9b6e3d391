import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsReader } from '../../src/connector/settings-reader.js';
import { createCallCenter, signedWebhook, startConnectorServer, type ConnectorServer } from './harness.js';
import { captureLogs } from '../helpers/log-capture.js';

let server: ConnectorServer;
beforeAll(async () => {
  server = await startConnectorServer();
});
afterAll(() => server.close());

describe('webhooks that reach nothing', () => {
  it('answers a number whose workspace was deleted as not in service, for calls and messages alike', async () => {
    const center = await createCallCenter(server);
    await server.connector.directory.createPhoneNumber(
      SettingsReader.of({ number: '+15550008000', workspace_sid: center.workspaceSid, workflow_sid: center.workflowSid }),
    );
    await server.client.taskrouter.v1.workspaces(center.workspaceSid).remove();
    const failures = captureLogs('error');
    try {
      const call = await signedWebhook(server, '/webhooks/voice', {
        CallSid: 'CA' + '8'.repeat(32),
        From: '+15550001111',
        To: '+15550008000',
        CallStatus: 'ringing',
      });
      expect(call.status).toBe(200);
      expect(call.body).toMatch(/not in service/i);
      expect(call.body).toContain('<Hangup');
      const sms = await signedWebhook(server, '/webhooks/sms', {
        MessageSid: 'SM' + '8'.repeat(32),
        From: '+15550001111',
        To: '+15550008000',
        Body: 'hello',
        NumMedia: '0',
      });
      expect(sms.status).toBe(200);
      expect(sms.body).toMatch(/<Response\s*\/>|<Response><\/Response>/);
      expect(failures.lines).toEqual([]);
    } finally {
      failures.restore();
    }
  });

  it('hangs up a conference caller whose URL names no task, without failing', async () => {
    const failures = captureLogs('error');
    try {
      const res = await signedWebhook(server, `/webhooks/voice/conference-caller?task=${encodeURIComponent('\ufeff\u0001 not a task')}`, {
        CallSid: 'CA' + '9'.repeat(32),
      });
      expect(res.status).toBe(200);
      expect(res.body).toContain('<Hangup');
      expect(res.body).not.toContain('<Conference');
      expect(failures.lines).toEqual([]);
    } finally {
      failures.restore();
    }
  });
});
