import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('TaskQueues and Workflows', () => {
  let server: TestServer;
  let wsSid: string;
  let offline: string;
  let available: string;
  const api = () => server.client.taskrouter.v1.workspaces(wsSid);
  beforeAll(async () => {
    server = await startServer();
    wsSid = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'qw' })).sid;
    const activities = await api().activities.list();
    offline = activities.find((a) => a.friendlyName === 'Offline')!.sid;
    available = activities.find((a) => a.friendlyName === 'Available')!.sid;
  });
  afterAll(() => server.close());

  it('creates a queue with defaults and every field', async () => {
    const q = await api().taskQueues.create({ friendlyName: 'Defaults' });
    expect(q.sid).toMatch(/^WQ/);
    expect(q).toMatchObject({
      friendlyName: 'Defaults',
      targetWorkers: '1==1',
      maxReservedWorkers: 1,
      taskOrder: 'FIFO',
      reservationActivitySid: null,
      assignmentActivitySid: null,
      workspaceSid: wsSid,
      accountSid: server.accountSid,
    });
    expect(q.url).toBe(`${server.url}/v1/Workspaces/${wsSid}/TaskQueues/${q.sid}`);
    expect(q.links).toMatchObject({ workspace: `${server.url}/v1/Workspaces/${wsSid}` });
  });

  it('creates, fetches, updates and deletes a queue with activities', async () => {
    const q = await api().taskQueues.create({
      friendlyName: 'Sales',
      targetWorkers: 'skills HAS "sales"',
      maxReservedWorkers: 3,
      taskOrder: 'LIFO',
      reservationActivitySid: offline,
      assignmentActivitySid: available,
    });
    expect(q).toMatchObject({
      maxReservedWorkers: 3,
      taskOrder: 'LIFO',
      reservationActivitySid: offline,
      reservationActivityName: 'Offline',
      assignmentActivitySid: available,
      assignmentActivityName: 'Available',
    });
    expect((await api().taskQueues(q.sid).fetch()).targetWorkers).toBe('skills HAS "sales"');
    const updated = await api().taskQueues(q.sid).update({ friendlyName: 'Sales 2', maxReservedWorkers: 50, taskOrder: 'FIFO' });
    expect(updated).toMatchObject({ friendlyName: 'Sales 2', maxReservedWorkers: 50, taskOrder: 'FIFO' });
    expect(await api().taskQueues(q.sid).remove()).toBe(true);
    await expect(api().taskQueues(q.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('rejects MaxReservedWorkers 51 and 0, a non-integer, a bad order, a bad expression and a duplicate name', async () => {
    await expect(api().taskQueues.create({ friendlyName: 'M51', maxReservedWorkers: 51 })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(api().taskQueues.create({ friendlyName: 'M0', maxReservedWorkers: 0 })).rejects.toMatchObject({ status: 400, code: 20001 });
    const typed = await raw(server, 'POST', `/v1/Workspaces/${wsSid}/TaskQueues`, { form: { FriendlyName: 'T', MaxReservedWorkers: 'two' } });
    expect(typed.body).toMatchObject({ status: 400, code: 20001 });
    await expect(api().taskQueues.create({ friendlyName: 'O', taskOrder: 'RANDOM' as never })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(api().taskQueues.create({ friendlyName: 'E', targetWorkers: 'skills HAS' })).rejects.toMatchObject({ status: 400, code: 20001 });
    await api().taskQueues.create({ friendlyName: 'Twice' });
    await expect(api().taskQueues.create({ friendlyName: 'Twice' })).rejects.toMatchObject({ status: 400 });
    expect((await api().taskQueues.list({ friendlyName: 'M51' })).length).toBe(0);
  });

  it('lists queues by FriendlyName, EvaluateWorkerAttributes, WorkerSid and Ordering', async () => {
    const en = await api().taskQueues.create({ friendlyName: 'English', targetWorkers: 'languages HAS "en"' });
    const fr = await api().taskQueues.create({ friendlyName: 'French', targetWorkers: 'languages HAS "fr"' });
    expect((await api().taskQueues.list({ friendlyName: 'English' })).map((q) => q.sid)).toEqual([en.sid]);
    const forFrench = await api().taskQueues.list({ evaluateWorkerAttributes: JSON.stringify({ languages: ['fr'] }) });
    expect(forFrench.map((q) => q.sid)).toContain(fr.sid);
    expect(forFrench.map((q) => q.sid)).not.toContain(en.sid);
    const worker = await api().workers.create({ friendlyName: 'polyglot', attributes: JSON.stringify({ languages: ['en'] }) });
    const ofWorker = await api().taskQueues.list({ workerSid: worker.sid });
    expect(ofWorker.map((q) => q.sid)).toContain(en.sid);
    expect(ofWorker.map((q) => q.sid)).not.toContain(fr.sid);
    const desc = await api().taskQueues.list({ ordering: 'DateCreated:desc' });
    const asc = await api().taskQueues.list({ ordering: 'DateCreated:asc' });
    expect(new Set(desc.map((q) => q.sid))).toEqual(new Set(asc.map((q) => q.sid)));
    for (let i = 1; i < desc.length; i++) expect(desc[i - 1]!.dateCreated.getTime()).toBeGreaterThanOrEqual(desc[i]!.dateCreated.getTime());
    const badJson = await raw(server, 'GET', `/v1/Workspaces/${wsSid}/TaskQueues?EvaluateWorkerAttributes=%7Bnope`);
    expect(badJson.body).toMatchObject({ status: 400, code: 20001 });
    const badOrder = await raw(server, 'GET', `/v1/Workspaces/${wsSid}/TaskQueues?Ordering=Size:asc`);
    expect(badOrder.body).toMatchObject({ status: 400, code: 20001 });
  });

  it('creates, fetches, updates, lists and deletes a workflow', async () => {
    const q = await api().taskQueues.create({ friendlyName: 'WF queue' });
    const configuration = JSON.stringify({ task_routing: { filters: [], default_filter: { queue: q.sid } } });
    const wf = await api().workflows.create({
      friendlyName: 'Main',
      configuration,
      assignmentCallbackUrl: 'https://example.com/assign',
      fallbackAssignmentCallbackUrl: 'https://example.com/fallback',
      taskReservationTimeout: 30,
    });
    expect(wf.sid).toMatch(/^WW/);
    expect(wf).toMatchObject({
      friendlyName: 'Main',
      assignmentCallbackUrl: 'https://example.com/assign',
      fallbackAssignmentCallbackUrl: 'https://example.com/fallback',
      taskReservationTimeout: 30,
      documentContentType: 'application/json',
      workspaceSid: wsSid,
    });
    expect(JSON.parse(wf.configuration)).toEqual(JSON.parse(configuration));
    expect(wf.url).toBe(`${server.url}/v1/Workspaces/${wsSid}/Workflows/${wf.sid}`);
    expect((await api().workflows(wf.sid).fetch()).friendlyName).toBe('Main');
    expect((await api().workflows.list({ friendlyName: 'Main' })).map((w) => w.sid)).toEqual([wf.sid]);
    const updated = await api().workflows(wf.sid).update({ friendlyName: 'Main 2', taskReservationTimeout: 60, reEvaluateTasks: 'true' });
    expect(updated).toMatchObject({ friendlyName: 'Main 2', taskReservationTimeout: 60 });
    expect(await api().workflows(wf.sid).remove()).toBe(true);
    await expect(api().workflows(wf.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('rejects a malformed configuration, an unknown queue and a bad timeout', async () => {
    await expect(api().workflows.create({ friendlyName: 'bad', configuration: '{nope' })).rejects.toMatchObject({ status: 400, code: 20001 });
    const unknownQueue = JSON.stringify({ task_routing: { filters: [], default_filter: { queue: 'WQ' + '0'.repeat(32) } } });
    await expect(api().workflows.create({ friendlyName: 'bad2', configuration: unknownQueue })).rejects.toMatchObject({ status: 400 });
    const typed = await raw(server, 'POST', `/v1/Workspaces/${wsSid}/Workflows`, {
      form: { FriendlyName: 'bad3', Configuration: '{}', TaskReservationTimeout: '1.5' },
    });
    expect(typed.body).toMatchObject({ status: 400, code: 20001 });
    expect(await api().workflows.list({ friendlyName: 'bad' })).toHaveLength(0);
  });
});
