import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/engine/clock.js';
import { raw } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('Tasks', () => {
  let server: TestServer;
  const clock = new AdjustableClock();
  let wsSid: string;
  let queueSid: string;
  let workflowSid: string;
  const api = () => server.client.taskrouter.v1.workspaces(wsSid);
  const path = (p = '') => `/v1/Workspaces/${wsSid}${p}`;
  beforeAll(async () => {
    server = await startServer({ clock });
    wsSid = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'tasks' })).sid;
    // Nobody matches, so tasks stay pending and list contents are predictable.
    queueSid = (await api().taskQueues.create({ friendlyName: 'Nobody', targetWorkers: '1==2' })).sid;
    workflowSid = (
      await api().workflows.create({
        friendlyName: 'Main',
        configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queueSid } } }),
      })
    ).sid;
  });
  afterAll(() => server.close());

  it('creates a task with every field twilio-node reads', async () => {
    const vst = new Date(Math.floor(clock.now() / 1000) * 1000 - 60_000);
    const t = await api().tasks.create({
      workflowSid,
      attributes: JSON.stringify({ type: 'support' }),
      priority: 5,
      timeout: 3600,
      taskChannel: 'sms',
      virtualStartTime: vst,
    });
    expect(t.sid).toMatch(/^WT/);
    expect(t).toMatchObject({
      accountSid: server.accountSid,
      workspaceSid: wsSid,
      assignmentStatus: 'pending',
      priority: 5,
      timeout: 3600,
      workflowSid,
      workflowFriendlyName: 'Main',
      taskQueueSid: queueSid,
      taskQueueFriendlyName: 'Nobody',
      taskChannelUniqueName: 'sms',
      reason: null,
    });
    expect(t.taskChannelSid).toMatch(/^TC/);
    expect(t.age).toBe(0);
    expect(JSON.parse(t.attributes)).toEqual({ type: 'support' });
    expect(t.virtualStartTime.getTime()).toBe(vst.getTime());
    expect(t.taskQueueEnteredDate).toBeInstanceOf(Date);
    expect(t.url).toBe(`${server.url}${path(`/Tasks/${t.sid}`)}`);
    expect(t.links).toMatchObject({
      reservations: `${server.url}${path(`/Tasks/${t.sid}/Reservations`)}`,
      task_queue: `${server.url}${path(`/TaskQueues/${queueSid}`)}`,
      workflow: `${server.url}${path(`/Workflows/${workflowSid}`)}`,
      workspace: `${server.url}${path()}`,
    });
    clock.advance(90_000);
    expect((await api().tasks(t.sid).fetch()).age).toBe(90);
  });

  it('answers 201 with the raw wire shape', async () => {
    const res = await raw(server, 'POST', path('/Tasks'), { form: { WorkflowSid: workflowSid, Attributes: '{}' } });
    expect(res.status).toBe(201);
    for (const field of ['addons', 'ignore_capacity', 'routing_target', 'virtual_start_time', 'task_queue_entered_date', 'age']) {
      expect(res.body).toHaveProperty(field);
    }
    expect(res.headers.get('etag')).toBeTruthy();
    expect(res.body.virtual_start_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('updates priority and attributes, cancels with a reason, deletes', async () => {
    const t = await api().tasks.create({ workflowSid, attributes: '{"a":1}' });
    const updated = await api().tasks(t.sid).update({ priority: 9, attributes: '{"a":2}' });
    expect(updated).toMatchObject({ priority: 9, attributes: '{"a":2}' });
    const canceled = await api().tasks(t.sid).update({ assignmentStatus: 'canceled', reason: 'no longer needed' });
    expect(canceled).toMatchObject({ assignmentStatus: 'canceled', reason: 'no longer needed' });
    expect(await api().tasks(t.sid).remove()).toBe(true);
    await expect(api().tasks(t.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(api().tasks(t.sid).update({ priority: 1 })).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(api().tasks(t.sid).remove()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('rejects malformed or oversized attributes and creates nothing', async () => {
    const before = (await api().tasks.list()).length;
    await expect(api().tasks.create({ workflowSid, attributes: '{"oops"' })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(api().tasks.create({ workflowSid, attributes: JSON.stringify({ pad: 'x'.repeat(5000) }) })).rejects.toMatchObject({
      status: 400,
      code: 20001,
    });
    expect((await api().tasks.list()).length).toBe(before);
    const t = await api().tasks.create({ workflowSid, attributes: '{"keep":1}' });
    await expect(api().tasks(t.sid).update({ attributes: 'not json' })).rejects.toMatchObject({ status: 400, code: 20001 });
    expect((await api().tasks(t.sid).fetch()).attributes).toBe('{"keep":1}');
  });

  it('rejects wrongly typed parameters with 400/20001', async () => {
    const forms: Array<Record<string, string>> = [
      { WorkflowSid: workflowSid, Priority: 'high' },
      { WorkflowSid: workflowSid, Timeout: '1e3' },
      { WorkflowSid: workflowSid, VirtualStartTime: 'yesterday' },
      { WorkflowSid: workflowSid, IgnoreCapacity: 'sure' },
    ];
    for (const form of forms) {
      const res = await raw(server, 'POST', path('/Tasks'), { form });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(20001);
    }
    const status = await raw(server, 'GET', path('/Tasks?AssignmentStatus=lost'));
    expect(status.body).toMatchObject({ status: 400, code: 20001 });
  });

  it('enforces If-Match on update and delete', async () => {
    const created = await raw(server, 'POST', path('/Tasks'), { form: { WorkflowSid: workflowSid } });
    const sid = created.body.sid as string;
    const etag = created.headers.get('etag')!;
    await api().tasks(sid).update({ priority: 2, ifMatch: etag });
    await expect(api().tasks(sid).update({ priority: 3, ifMatch: etag })).rejects.toMatchObject({ status: 412, code: 20412 });
    expect((await api().tasks(sid).fetch()).priority).toBe(2);
    const stale = await raw(server, 'DELETE', path(`/Tasks/${sid}`), { headers: { 'If-Match': etag } });
    expect(stale.body).toMatchObject({ status: 412, code: 20412 });
    const current = (await raw(server, 'GET', path(`/Tasks/${sid}`))).headers.get('etag')!;
    expect(current).not.toBe(etag);
    expect((await raw(server, 'DELETE', path(`/Tasks/${sid}`), { headers: { 'If-Match': current } })).status).toBe(204);
  });

  it('filters and orders the task list', async () => {
    const ws = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'task filters' })).sid;
    const tr = server.client.taskrouter.v1.workspaces(ws);
    const q1 = await tr.taskQueues.create({ friendlyName: 'Q1', targetWorkers: '1==2' });
    const q2 = await tr.taskQueues.create({ friendlyName: 'Q2', targetWorkers: '1==2' });
    const config = (q: string) => JSON.stringify({ task_routing: { filters: [], default_filter: { queue: q } } });
    const wf1 = await tr.workflows.create({ friendlyName: 'WF1', configuration: config(q1.sid) });
    const wf2 = await tr.workflows.create({ friendlyName: 'WF2', configuration: config(q2.sid) });
    const base = Math.floor(clock.now() / 1000) * 1000;
    const a = await tr.tasks.create({ workflowSid: wf1.sid, priority: 1, attributes: '{"lang":"en"}', virtualStartTime: new Date(base - 10_000) });
    clock.advance(2000);
    const b = await tr.tasks.create({ workflowSid: wf2.sid, priority: 3, attributes: '{"lang":"fr"}', virtualStartTime: new Date(base - 30_000) });
    clock.advance(2000);
    const c = await tr.tasks.create({ workflowSid: wf1.sid, priority: 3, attributes: '{"lang":"fr"}', virtualStartTime: new Date(base - 20_000) });
    await tr.tasks(c.sid).update({ assignmentStatus: 'canceled', reason: 'test' });
    const sids = (list: { sid: string }[]) => list.map((t) => t.sid);

    expect(sids(await tr.tasks.list())).toEqual([a.sid, b.sid, c.sid]);
    expect(sids(await tr.tasks.list({ priority: 3 }))).toEqual([b.sid, c.sid]);
    expect(sids(await tr.tasks.list({ assignmentStatus: ['canceled'] }))).toEqual([c.sid]);
    expect(sids(await tr.tasks.list({ assignmentStatus: ['pending', 'canceled'] }))).toEqual([a.sid, b.sid, c.sid]);
    const comma = await raw(server, 'GET', `/v1/Workspaces/${ws}/Tasks?AssignmentStatus=pending%2Creserved`);
    expect(comma.body.tasks.map((t: { sid: string }) => t.sid)).toEqual([a.sid, b.sid]);
    expect(sids(await tr.tasks.list({ workflowSid: wf2.sid }))).toEqual([b.sid]);
    expect(sids(await tr.tasks.list({ workflowName: 'WF1' }))).toEqual([a.sid, c.sid]);
    expect(sids(await tr.tasks.list({ taskQueueSid: q2.sid }))).toEqual([b.sid]);
    expect(sids(await tr.tasks.list({ taskQueueName: 'Q1' }))).toEqual([a.sid, c.sid]);
    expect(sids(await tr.tasks.list({ evaluateTaskAttributes: 'lang == "fr"' }))).toEqual([b.sid, c.sid]);
    expect(sids(await tr.tasks.list({ hasAddons: false }))).toEqual([a.sid, b.sid, c.sid]);
    expect(sids(await tr.tasks.list({ hasAddons: true }))).toEqual([]);
    expect(sids(await tr.tasks.list({ ordering: 'DateCreated:desc' }))).toEqual([c.sid, b.sid, a.sid]);
    expect(sids(await tr.tasks.list({ ordering: 'VirtualStartTime:asc' }))).toEqual([b.sid, c.sid, a.sid]);
    expect(sids(await tr.tasks.list({ ordering: 'Priority:desc,DateCreated:asc' }))).toEqual([b.sid, c.sid, a.sid]);
    expect(sids(await tr.tasks.list({ ordering: 'Priority:desc,VirtualStartTime:desc' }))).toEqual([c.sid, b.sid, a.sid]);

    await expect(tr.tasks.list({ ordering: 'DateCreated:asc,VirtualStartTime:desc' })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(tr.tasks.list({ ordering: 'Age:asc' })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(tr.tasks.list({ ordering: 'Priority:sideways' })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(tr.tasks.list({ evaluateTaskAttributes: 'lang ==' })).rejects.toMatchObject({ status: 400, code: 20001 });
  });
});
