import { once } from 'node:events';
import twilio from 'twilio';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCallCenter, startConnectorServer, type ConnectorServer } from '../connector/harness.js';
import { captureLogs, type CapturedLogs, type LogLine } from '../helpers/log-capture.js';
import { SIGNING_KEY, sdkToken } from '../realtime/sdk-helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: ConnectorServer;
let logs: CapturedLogs;
beforeAll(async () => {
  server = await startConnectorServer({ apiKeys: [SIGNING_KEY] });
});
afterAll(() => server.close());
beforeEach(() => {
  logs = captureLogs('debug');
});
afterEach(() => logs.restore());

const basic = () => 'Basic ' + Buffer.from(`${server.accountSid}:${server.authToken}`).toString('base64');

/** The access line of the request `requestId`, once written (it is written when the answer is done). */
async function accessLine(requestId: string): Promise<LogLine> {
  for (let i = 0; i < 200; i++) {
    const line = logs.lines.find((l) => l.request_id === requestId && typeof l.status === 'number');
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no access line for request ${requestId}`);
}

/** A Twilio webhook POST, signed as Twilio signs it, with extra headers. */
async function webhook(path: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const url = server.url + path;
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': twilio.getExpectedTwilioSignature(server.authToken, url, params),
      ...headers,
    },
    body: new URLSearchParams(params).toString(),
  });
}

describe('request ids and access lines', () => {
  it("gives a webhook an id, returns it, and carries it into the connector's own lines and the access line", async () => {
    const messageSid = 'SM' + 'a'.repeat(32);
    const res = await webhook('/webhooks/sms', { MessageSid: messageSid, From: '+15550001111', To: '+15559990000', Body: 'hi', NumMedia: '0' });
    expect(res.status).toBe(200);
    const id = res.headers.get('x-request-id')!;
    expect(id).toMatch(UUID);

    const access = await accessLine(id);
    expect(access).toMatchObject({ level: 'info', method: 'POST', route: '/webhooks/sms', status: 200, message_sid: messageSid });
    expect(typeof access.duration_ms).toBe('number');
    // Logged deep in the SMS connector, after the body was parsed, with nothing but the context to name the request.
    const ignored = logs.lines.find((line) => line.msg === 'SMS ignored: the number is not configured');
    expect(ignored).toMatchObject({ level: 'warn', request_id: id, to: '+15559990000', message_sid: messageSid });
    // Nothing else this request logged went without its id.
    expect(logs.lines.filter((line) => line.message_sid === messageSid).every((line) => line.request_id === id)).toBe(true);
  });

  it('keeps a sane X-Request-Id from the client and replaces one that is too long or holds other characters', async () => {
    const kept = await fetch(`${server.url}/v1/Workspaces`, { headers: { Authorization: basic(), 'X-Request-Id': 'edge-7f3a.42:retry=1' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-7f3a.42:retry=1');
    expect(await accessLine('edge-7f3a.42:retry=1')).toMatchObject({ method: 'GET', route: '/v1/Workspaces', status: 200 });

    for (const insane of ['x'.repeat(129), 'two words', '"quoted"', 'a\tb']) {
      const res = await fetch(`${server.url}/v1/Workspaces`, { headers: { Authorization: basic(), 'X-Request-Id': insane } });
      const id = res.headers.get('x-request-id')!;
      expect(id).toMatch(UUID);
      expect((await accessLine(id)).request_id).toBe(id);
    }
    expect(logs.lines.some((line) => String(line.request_id).includes('words'))).toBe(false);
  });

  it('names the route template with its mount paths, never the sids of the URL', async () => {
    const center = await createCallCenter(server);
    const task = await server.client.taskrouter.v1
      .workspaces(center.workspaceSid)
      .tasks.create({ workflowSid: center.workflowSid, attributes: '{}', taskChannel: 'voice' });
    const res = await fetch(`${server.url}/v1/Workspaces/${center.workspaceSid}/Tasks/${task.sid}`, { headers: { Authorization: basic() } });
    const line = await accessLine(res.headers.get('x-request-id')!);
    expect(line.route).toMatch(/^\/v1\/Workspaces\/:\w+\/Tasks\/:\w+$/);
    expect(line.url).toBe(`/v1/Workspaces/${center.workspaceSid}/Tasks/${task.sid}`);
    expect(line.status).toBe(200);

    const missing = await fetch(`${server.url}/v1/Nothing/${task.sid}`, { headers: { Authorization: basic() } });
    const unrouted = await accessLine(missing.headers.get('x-request-id')!);
    expect(unrouted).toMatchObject({ status: 404, url: `/v1/Nothing/${task.sid}` });
    expect(unrouted).not.toHaveProperty('route');
  });

  it('writes health probes at debug, so LOG_LEVEL=info leaves them out', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(await accessLine(res.headers.get('x-request-id')!)).toMatchObject({ level: 'debug', route: '/healthz', status: 200 });
  });

  it('logs a WebSocket upgrade with its id, endpoint and status, and the token scrubbed from its URL', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJub2JvZHkifQ.c2lnbmF0dXJl';
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v1/wschannels?token=${jwt}&closeExistingSessions=false`, {
      headers: { 'X-Request-Id': 'upgrade-1' },
    });
    ws.on('error', () => {});
    const refused = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    ws.terminate();
    expect(refused).toBeGreaterThanOrEqual(400);
    const line = await accessLine('upgrade-1');
    expect(line).toMatchObject({ msg: 'upgrade completed', method: 'GET', route: '/v1/wschannels', status: refused });
    expect(line.url).toBe('/v1/wschannels?token=[Redacted]&closeExistingSessions=false');
    expect(JSON.stringify(logs.lines)).not.toContain(jwt.split('.')[1]);
  });

  it('logs an accepted upgrade with status 101', async () => {
    const center = await createCallCenter(server);
    const jwt = sdkToken(server, { workspaceSid: center.workspaceSid, role: 'admin' });
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v1/wschannels?token=${jwt}`, { headers: { 'X-Request-Id': 'upgrade-2' } });
    await once(ws, 'open');
    ws.close();
    const line = await accessLine('upgrade-2');
    expect(line).toMatchObject({ msg: 'upgrade completed', route: '/v1/wschannels', status: 101, url: '/v1/wschannels?token=[Redacted]' });
  });
});
