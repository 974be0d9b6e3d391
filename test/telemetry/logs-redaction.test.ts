import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { log } from '../../src/telemetry/log.js';
import { scrubbedTarget } from '../../src/telemetry/log-redaction.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { captureLogs, type CapturedLogs } from '../helpers/log-capture.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJncmFudHMiOnt9fQ.bm90LWEtcmVhbC1zaWduYXR1cmU';

let logs: CapturedLogs;
beforeEach(() => {
  logs = captureLogs('debug');
});
afterEach(() => logs.restore());

describe('redaction', () => {
  it('hides credentials in headers, token fields, auth tokens and API key secrets', () => {
    log.warn(
      {
        req: { headers: { authorization: 'Basic QUM6c2VjcmV0', cookie: 'session=abc', 'x-twilio-signature': 'c2lnbmVk', host: 'localhost' } },
        headers: { authorization: `Bearer ${JWT}` },
        token: JWT,
        params: { Token: JWT, FriendlyName: 'kept' },
        authToken: '0123456789abcdef0123456789abcdef',
        config: { apiKeySecret: 'the-api-key-secret' },
      },
      'something to say',
    );
    const [line] = logs.lines;
    expect(line).toMatchObject({
      req: { headers: { authorization: '[Redacted]', cookie: '[Redacted]', 'x-twilio-signature': '[Redacted]', host: 'localhost' } },
      headers: { authorization: '[Redacted]' },
      token: '[Redacted]',
      params: { Token: '[Redacted]', FriendlyName: 'kept' },
      authToken: '[Redacted]',
      config: { apiKeySecret: '[Redacted]' },
    });
    const text = JSON.stringify(line);
    for (const secret of ['QUM6c2VjcmV0', 'session=abc', 'c2lnbmVk', 'eyJncmFudHMiOnt9fQ', '0123456789abcdef', 'the-api-key-secret'])
      expect(text).not.toContain(secret);
  });

  it('scrubs tokens from request targets, whatever the parameter is called, and keeps the rest as sent', () => {
    expect(scrubbedTarget(`/v1/wschannels?token=${JWT}&closeExistingSessions=true`)).toBe('/v1/wschannels?token=[Redacted]&closeExistingSessions=true');
    expect(scrubbedTarget('/webhooks/media?AccessToken=abc&Secret=def&api_password=x&X-Twilio-Signature=s&ws=WS1')).toBe(
      '/webhooks/media?AccessToken=[Redacted]&Secret=[Redacted]&api_password=[Redacted]&X-Twilio-Signature=[Redacted]&ws=WS1',
    );
    expect(scrubbedTarget(`/agent/${JWT}?grant=${JWT}`)).toBe('/agent/[Redacted]?grant=[Redacted]');
    expect(scrubbedTarget('/v1/Workspaces?PageSize=50')).toBe('/v1/Workspaces?PageSize=50');
    expect(scrubbedTarget('/plain')).toBe('/plain');
  });

  describe('on the access line', () => {
    let server: TestServer;
    beforeEach(async () => {
      server = await startServer();
    });
    afterEach(() => server.close());

    it('writes no credential the request carried', async () => {
      const auth = 'Basic ' + Buffer.from(`${server.accountSid}:${server.authToken}`).toString('base64');
      const res = await fetch(`${server.url}/v1/Workspaces?Token=${JWT}&PageSize=5`, { headers: { Authorization: auth, Cookie: 'sid=secret-cookie' } });
      expect(res.status).toBe(200);
      await server.close();
      const access = logs.lines.find((line) => line.request_id === res.headers.get('x-request-id') && line.status === 200);
      expect(access).toMatchObject({ route: '/v1/Workspaces', url: '/v1/Workspaces?Token=[Redacted]&PageSize=5' });
      const text = JSON.stringify(logs.lines);
      for (const secret of [server.authToken, auth.slice(6), 'secret-cookie', 'eyJncmFudHMiOnt9fQ']) expect(text).not.toContain(secret);
    });
  });
});
