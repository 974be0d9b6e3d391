import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectorServer, type ConnectorServer } from '../connector/harness.js';
import { raw } from '../helpers/http.js';

let server: ConnectorServer;
let wsSid: string;
let workflowSid: string;

beforeAll(async () => {
  server = await startConnectorServer();
  wsSid = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'bodies' })).sid;
  const queueSid = (await server.client.taskrouter.v1.workspaces(wsSid).taskQueues.create({ friendlyName: 'Q', targetWorkers: '1==2' })).sid;
  workflowSid = (
    await server.client.taskrouter.v1.workspaces(wsSid).workflows.create({
      friendlyName: 'W',
      configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queueSid } } }),
    })
  ).sid;
});
afterAll(() => server.close());

const auth = () => 'Basic ' + Buffer.from(`${server.accountSid}:${server.authToken}`).toString('base64');

async function send(path: string, contentType: string, body: string, headers: Record<string, string> = { Authorization: auth() }) {
  const res = await fetch(server.url + path, { method: 'POST', headers: { ...headers, 'Content-Type': contentType }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const taskCount = async () => (await server.client.taskrouter.v1.workspaces(wsSid).tasks.list()).length;

describe('request bodies the API does not read', () => {
  it("refuses a JSON task with 415 in Twilio's format and creates nothing", async () => {
    const before = await taskCount();
    const res = await send(`/v1/Workspaces/${wsSid}/Tasks`, 'application/json', JSON.stringify({ WorkflowSid: workflowSid, Priority: 5 }));
    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      code: 20415,
      message: expect.stringContaining('application/json'),
      more_info: 'https://www.twilio.com/docs/errors/20415',
      status: 415,
    });
    expect(await taskCount()).toBe(before);
  });

  it('refuses text, multipart and untyped bodies on TaskRouter resources, and leaves the record as it was', async () => {
    const path = `/v1/Workspaces/${wsSid}`;
    for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream']) {
      const res = await send(path, type, 'FriendlyName=changed');
      expect(res.status).toBe(415);
      expect(res.body.code).toBe(20415);
    }
    const untyped = await fetch(server.url + path, {
      method: 'POST',
      headers: { Authorization: auth() },
      body: new Uint8Array(Buffer.from('FriendlyName=changed')),
    });
    expect(untyped.status).toBe(415);
    expect((await server.client.taskrouter.v1.workspaces(wsSid).fetch()).friendlyName).toBe('bodies');
  });

  it('still takes forms (with a charset) and bodiless posts', async () => {
    const res = await send(
      `/v1/Workspaces/${wsSid}/Tasks`,
      'application/x-www-form-urlencoded; charset=utf-8',
      new URLSearchParams({ WorkflowSid: workflowSid, Priority: '7' }).toString(),
    );
    expect(res.status).toBe(201);
    expect(res.body.priority).toBe(7);
    const bodiless = await raw(server, 'POST', `/v1/Workspaces/${wsSid}`);
    expect(bodiless.status).toBe(200);
  });

  it('refuses unauthenticated requests before looking at the body', async () => {
    const res = await send(`/v1/Workspaces/${wsSid}/Tasks`, 'application/json', '{}', {});
    expect(res.status).toBe(401);
  });

  it("takes JSON and forms on the connector's own resources, and refuses other types there", async () => {
    const json = await send(
      '/v1/Connector/IvrMenus',
      'application/json',
      JSON.stringify({ unique_name: 'json-menu', prompt: 'Hello', options: [{ digits: '1', attributes: { department: 'sales' } }] }),
    );
    expect(json.status).toBe(201);
    const form = await send(
      '/v1/Connector/IvrMenus',
      'application/x-www-form-urlencoded',
      new URLSearchParams({ UniqueName: 'form-menu', Prompt: 'Hi', Options: JSON.stringify([{ digits: '2' }]) }).toString(),
    );
    expect(form.status).toBe(201);
    const text = await send('/v1/Connector/IvrMenus', 'text/plain', 'unique_name=text-menu');
    expect(text.status).toBe(415);
    const names = (await raw(server, 'GET', '/v1/Connector/IvrMenus')).body.ivr_menus.map((m: { unique_name: string }) => m.unique_name);
    expect(names).toEqual(expect.arrayContaining(['json-menu', 'form-menu']));
    expect(names).not.toContain('text-menu');
  });

  it('refuses webhooks whose body is not form-encoded, before acting on them', async () => {
    const call = { CallSid: 'CA' + 'd'.repeat(32), From: '+15550001111', To: '+15550002222', CallStatus: 'ringing' };
    const res = await send('/webhooks/voice', 'application/json', JSON.stringify(call), { 'X-Twilio-Signature': 'irrelevant' });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe(20415);
  });
});
