import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

const UNKNOWN_WS = 'WS' + 'f'.repeat(32);

describe('Workspaces', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('creates a workspace with every field twilio-node reads', async () => {
    const ws = await server.client.taskrouter.v1.workspaces.create({
      friendlyName: 'Support',
      eventCallbackUrl: 'https://example.com/events',
      eventsFilter: 'task.created,task.canceled',
      multiTaskEnabled: false,
      prioritizeQueueOrder: 'LIFO',
    });
    expect(ws.sid).toMatch(/^WS[0-9a-f]{32}$/);
    expect(ws.accountSid).toBe(server.accountSid);
    expect(ws.friendlyName).toBe('Support');
    expect(ws.eventCallbackUrl).toBe('https://example.com/events');
    expect(ws.eventsFilter).toBe('task.created,task.canceled');
    expect(ws.multiTaskEnabled).toBe(false);
    expect(ws.prioritizeQueueOrder).toBe('LIFO');
    expect(ws.defaultActivitySid).toMatch(/^WA/);
    expect(ws.defaultActivityName).toBe('Offline');
    expect(ws.timeoutActivitySid).toMatch(/^WA/);
    expect(ws.timeoutActivityName).toBe('Offline');
    expect(ws.dateCreated).toBeInstanceOf(Date);
    expect(ws.dateUpdated).toBeInstanceOf(Date);
    expect(ws.url).toBe(`${server.url}/v1/Workspaces/${ws.sid}`);
    expect(ws.links).toMatchObject({
      activities: `${server.url}/v1/Workspaces/${ws.sid}/Activities`,
      task_queues: `${server.url}/v1/Workspaces/${ws.sid}/TaskQueues`,
      tasks: `${server.url}/v1/Workspaces/${ws.sid}/Tasks`,
      workers: `${server.url}/v1/Workspaces/${ws.sid}/Workers`,
      workflows: `${server.url}/v1/Workspaces/${ws.sid}/Workflows`,
      task_channels: `${server.url}/v1/Workspaces/${ws.sid}/TaskChannels`,
      events: `${server.url}/v1/Workspaces/${ws.sid}/Events`,
    });
  });

  it('answers create with 201 and ISO dates without milliseconds', async () => {
    const res = await raw(server, 'POST', '/v1/Workspaces', { form: { FriendlyName: 'Raw' } });
    expect(res.status).toBe(201);
    expect(res.body.date_created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(res.body.multi_task_enabled).toBe(true);
    expect(res.body.prioritize_queue_order).toBe('FIFO');
  });

  it('fetches, updates and deletes', async () => {
    const created = await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Lifecycle' });
    const ctx = server.client.taskrouter.v1.workspaces(created.sid);
    expect((await ctx.fetch()).friendlyName).toBe('Lifecycle');
    const activities = await ctx.activities.list();
    const available = activities.find((a) => a.available)!;
    const updated = await ctx.update({
      friendlyName: 'Renamed',
      timeoutActivitySid: available.sid,
      eventCallbackUrl: 'https://example.com/cb',
    });
    expect(updated.friendlyName).toBe('Renamed');
    expect(updated.timeoutActivitySid).toBe(available.sid);
    expect(updated.timeoutActivityName).toBe(available.friendlyName);
    expect(updated.eventCallbackUrl).toBe('https://example.com/cb');
    expect(await ctx.remove()).toBe(true);
    await expect(ctx.fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('creates the FIFO template: a queue and a workflow', async () => {
    const ws = await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Templated', template: 'FIFO' });
    const ctx = server.client.taskrouter.v1.workspaces(ws.sid);
    expect(await ctx.taskQueues.list()).toHaveLength(1);
    expect(await ctx.workflows.list()).toHaveLength(1);
  });

  it('filters the list by FriendlyName', async () => {
    await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Findable' });
    const found = await server.client.taskrouter.v1.workspaces.list({ friendlyName: 'Findable' });
    expect(found.map((w) => w.friendlyName)).toEqual(['Findable']);
  });

  it('answers 404/20404 for an unknown workspace on every verb', async () => {
    const ctx = server.client.taskrouter.v1.workspaces(UNKNOWN_WS);
    await expect(ctx.fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(ctx.update({ friendlyName: 'x' })).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(ctx.remove()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(ctx.activities.list()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(ctx.tasks.create({ attributes: '{}' })).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('rejects bad input with 400/20001', async () => {
    const list = server.client.taskrouter.v1.workspaces;
    const missing = await raw(server, 'POST', '/v1/Workspaces', { form: {} });
    expect(missing.body).toMatchObject({ status: 400, code: 20001 });
    await expect(list.create({ friendlyName: 'x'.repeat(65) })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(list.create({ friendlyName: 'x', template: 'BOGUS' })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(list.create({ friendlyName: 'x', prioritizeQueueOrder: 'RANDOM' as never })).rejects.toMatchObject({ status: 400, code: 20001 });
    const res = await raw(server, 'POST', '/v1/Workspaces', { form: { FriendlyName: 'x', MultiTaskEnabled: 'maybe' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 20001, status: 400 });
  });

  it('accepts 1/yes/0/no for booleans', async () => {
    const yes = await raw(server, 'POST', '/v1/Workspaces', { form: { FriendlyName: 'b1', MultiTaskEnabled: 'yes' } });
    expect(yes.body.multi_task_enabled).toBe(true);
    const zero = await raw(server, 'POST', '/v1/Workspaces', { form: { FriendlyName: 'b2', MultiTaskEnabled: '0' } });
    expect(zero.body.multi_task_enabled).toBe(false);
  });
});
