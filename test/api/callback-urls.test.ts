import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackUrlPolicy } from '../../src/core/callback-url.js';
import { raw } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Callback URLs a server with no allow-list refuses, and the reason its 400 gives. None is ever requested. */
const REFUSED: Array<[string, string]> = [
  ['http://127.0.0.1:8080/hook', 'points at 127.0.0.1, a loopback address not in the callback allow-list'],
  ['http://0x7f000001/hook', 'points at 127.0.0.1, a loopback address'],
  ['http://2130706433/hook', 'points at 127.0.0.1, a loopback address'],
  ['http://0177.0.0.1/hook', 'points at 127.0.0.1, a loopback address'],
  ['http://127.1/hook', 'points at 127.0.0.1, a loopback address'],
  ['http://[::1]/hook', 'points at ::1, a loopback address'],
  ['http://[::ffff:127.0.0.1]/hook', 'points at ::ffff:7f00:1, a loopback address'],
  ['http://localhost:3000/hook', 'points at localhost, a loopback host'],
  ['http://169.254.169.254/latest/meta-data/', 'points at 169.254.169.254, a link-local address, which callbacks may never reach'],
  ['http://[fe80::1]/hook', 'points at fe80::1, a link-local address'],
  ['http://0.0.0.0/hook', 'points at 0.0.0.0, an unspecified address'],
  ['http://10.0.0.1/hook', 'points at 10.0.0.1, a private address'],
  ['http://192.168.1.20/hook', 'points at 192.168.1.20, a private address'],
  ['http://[fd00::1]/hook', 'points at fd00::1, a private address'],
  ['http://user:secret@hooks.example.com/hook', 'must not carry credentials'],
  ['https://hooks.example.com/hook\r\nX-Injected: 1', 'must not contain control characters or whitespace'],
  ['https://hooks.example.com/ho ok', 'must not contain control characters or whitespace'],
  ['ftp://hooks.example.com/hook', 'must be an absolute http(s) URL'],
];

/** A URL the policy accepts: stored, never requested (this test server delivers no callbacks). */
const GOOD = 'https://hooks.example.com/events';
const CONFIGURATION = (queue: string) => JSON.stringify({ task_routing: { filters: [], default_filter: { queue } } });

describe('Callback URLs on a server with no allow-list', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ callbackUrls: CallbackUrlPolicy.publicOnly });
  });
  afterAll(() => server.close());
  const taskrouter = () => server.client.taskrouter.v1;

  it('refuses each bad EventCallbackUrl on workspace create and update with a 400 naming it, and changes nothing', async () => {
    const ws = await taskrouter().workspaces.create({ friendlyName: 'Callbacks', eventCallbackUrl: GOOD });
    const before = await taskrouter().workspaces.list();
    const events = await taskrouter().workspaces(ws.sid).events.list();
    for (const [url, reason] of REFUSED) {
      await expect(taskrouter().workspaces.create({ friendlyName: 'Refused', eventCallbackUrl: url }), url).rejects.toMatchObject({
        status: 400,
        code: 20001,
        message: expect.stringContaining(`EventCallbackUrl ${reason}`),
      });
      await expect(taskrouter().workspaces(ws.sid).update({ friendlyName: 'Renamed', eventCallbackUrl: url }), url).rejects.toMatchObject({
        status: 400,
        code: 20001,
        message: expect.stringContaining(`EventCallbackUrl ${reason}`),
      });
    }
    expect((await taskrouter().workspaces.list()).map((w) => w.sid)).toEqual(before.map((w) => w.sid));
    const after = await taskrouter().workspaces(ws.sid).fetch();
    expect(after).toMatchObject({ friendlyName: 'Callbacks', eventCallbackUrl: GOOD, dateUpdated: ws.dateUpdated });
    expect((await taskrouter().workspaces(ws.sid).events.list()).map((e) => e.sid)).toEqual(events.map((e) => e.sid));
  });

  it('refuses each bad AssignmentCallbackUrl and FallbackAssignmentCallbackUrl on workflow create and update, and changes nothing', async () => {
    const ws = await taskrouter().workspaces.create({ friendlyName: 'Workflows' });
    const api = taskrouter().workspaces(ws.sid);
    const queue = await api.taskQueues.create({ friendlyName: 'Everyone', targetWorkers: '1==1' });
    const workflow = await api.workflows.create({
      friendlyName: 'Route',
      configuration: CONFIGURATION(queue.sid),
      assignmentCallbackUrl: 'https://hooks.example.com/assign',
      fallbackAssignmentCallbackUrl: 'https://hooks.example.com/fallback',
    });
    for (const [url, reason] of REFUSED) {
      for (const [param, key] of [
        ['AssignmentCallbackUrl', 'assignmentCallbackUrl'],
        ['FallbackAssignmentCallbackUrl', 'fallbackAssignmentCallbackUrl'],
      ] as const) {
        const refusal = { status: 400, code: 20001, message: expect.stringContaining(`${param} ${reason}`) };
        await expect(api.workflows.create({ friendlyName: 'Refused', configuration: CONFIGURATION(queue.sid), [key]: url }), url).rejects.toMatchObject(
          refusal,
        );
        await expect(api.workflows(workflow.sid).update({ friendlyName: 'Renamed', [key]: url }), url).rejects.toMatchObject(refusal);
      }
    }
    expect((await api.workflows.list()).map((w) => w.sid)).toEqual([workflow.sid]);
    expect(await api.workflows(workflow.sid).fetch()).toMatchObject({
      friendlyName: 'Route',
      assignmentCallbackUrl: 'https://hooks.example.com/assign',
      fallbackAssignmentCallbackUrl: 'https://hooks.example.com/fallback',
      dateUpdated: workflow.dateUpdated,
    });
  });

  it("answers in Twilio's error format", async () => {
    const res = await raw(server, 'POST', '/v1/Workspaces', { form: { FriendlyName: 'Raw', EventCallbackUrl: 'http://169.254.169.254/' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 20001,
      message: 'EventCallbackUrl points at 169.254.169.254, a link-local address, which callbacks may never reach',
      more_info: 'https://www.twilio.com/docs/errors/20001',
      status: 400,
    });
  });

  it('still clears a callback URL with an empty value', async () => {
    const ws = await taskrouter().workspaces.create({ friendlyName: 'Clear', eventCallbackUrl: GOOD });
    expect((await taskrouter().workspaces(ws.sid).update({ eventCallbackUrl: '' })).eventCallbackUrl).toBeFalsy();
  });
});

describe('Callback URLs on a server whose allow-list names loopback', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ callbackUrls: CallbackUrlPolicy.parse('127.0.0.0/8,::1,localhost') });
  });
  afterAll(() => server.close());

  it('accepts loopback URLs in any spelling, and still refuses link-local and private ones', async () => {
    const workspaces = server.client.taskrouter.v1.workspaces;
    for (const url of ['http://127.0.0.1:8080/hook', 'http://0x7f000001/hook', 'http://[::1]:9000/hook', 'http://localhost:3000/hook']) {
      expect((await workspaces.create({ friendlyName: 'Loopback', eventCallbackUrl: url })).eventCallbackUrl).toBe(url);
    }
    for (const url of ['http://169.254.169.254/', 'http://10.0.0.1/hook']) {
      await expect(workspaces.create({ friendlyName: 'Refused', eventCallbackUrl: url })).rejects.toMatchObject({ status: 400, code: 20001 });
    }
  });
});
