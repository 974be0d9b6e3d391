import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/engine/clock.js';
import { raw } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('Reservations', () => {
  let server: TestServer;
  const clock = new AdjustableClock();
  let wsSid: string;
  let workflowSid: string;
  let available: string;
  const api = () => server.client.taskrouter.v1.workspaces(wsSid);
  const path = (p = '') => `/v1/Workspaces/${wsSid}${p}`;

  beforeEach(async () => {
    server ??= await startServer({ clock });
    wsSid = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: `res ${Math.random()}` })).sid;
    available = (await api().activities.list({ friendlyName: 'Available' }))[0]!.sid;
    const queue = await api().taskQueues.create({ friendlyName: 'All', targetWorkers: '1==1' });
    workflowSid = (
      await api().workflows.create({
        friendlyName: 'Main',
        taskReservationTimeout: 30,
        configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
      })
    ).sid;
  });
  afterAll(() => server.close());

  it('reserves a new task for an available worker and shows the reservation on both paths', async () => {
    const worker = await api().workers.create({ friendlyName: 'agent', activitySid: available });
    const task = await api().tasks.create({ workflowSid, attributes: '{"x":1}' });
    expect((await api().tasks(task.sid).fetch()).assignmentStatus).toBe('reserved');

    const viaTask = await api().tasks(task.sid).reservations.list();
    expect(viaTask).toHaveLength(1);
    const r = viaTask[0]!;
    expect(r.sid).toMatch(/^WR/);
    expect(r).toMatchObject({
      reservationStatus: 'pending',
      taskSid: task.sid,
      workerSid: worker.sid,
      workerName: 'agent',
      workspaceSid: wsSid,
      accountSid: server.accountSid,
    });
    expect(r.url).toBe(`${server.url}${path(`/Tasks/${task.sid}/Reservations/${r.sid}`)}`);
    expect(r.links).toMatchObject({
      task: `${server.url}${path(`/Tasks/${task.sid}`)}`,
      worker: `${server.url}${path(`/Workers/${worker.sid}`)}`,
      workspace: `${server.url}${path()}`,
    });

    const viaWorker = await api().workers(worker.sid).reservations.list();
    expect(viaWorker.map((x) => x.sid)).toEqual([r.sid]);
    expect(viaWorker[0]!.url).toBe(`${server.url}${path(`/Workers/${worker.sid}/Reservations/${r.sid}`)}`);
    expect((await api().workers(worker.sid).reservations(r.sid).fetch()).reservationStatus).toBe('pending');
    expect((await api().tasks(task.sid).reservations.list({ reservationStatus: 'pending' })).length).toBe(1);
    expect((await api().tasks(task.sid).reservations.list({ reservationStatus: 'accepted' })).length).toBe(0);
    expect((await api().tasks(task.sid).reservations.list({ workerSid: worker.sid })).length).toBe(1);
    expect((await api().workers(worker.sid).reservations.list({ reservationStatus: 'pending' })).length).toBe(1);

    const fetched = await raw(server, 'GET', path(`/Tasks/${task.sid}/Reservations/${r.sid}`));
    expect(fetched.headers.get('etag')).toBeTruthy();
  });

  it('accepts through the worker path and completes the task', async () => {
    const worker = await api().workers.create({ friendlyName: 'acceptor', activitySid: available });
    const task = await api().tasks.create({ workflowSid });
    const [r] = await api().workers(worker.sid).reservations.list();
    const accepted = await api().workers(worker.sid).reservations(r!.sid).update({ reservationStatus: 'accepted' });
    expect(accepted.reservationStatus).toBe('accepted');
    expect((await api().tasks(task.sid).fetch()).assignmentStatus).toBe('assigned');
    const done = await api().tasks(task.sid).update({ assignmentStatus: 'completed', reason: 'done' });
    expect(done.assignmentStatus).toBe('completed');
  });

  it('times out a reservation nobody answers', async () => {
    await api().workers.create({ friendlyName: 'slow', activitySid: available });
    const task = await api().tasks.create({ workflowSid });
    const [r] = await api().tasks(task.sid).reservations.list();
    clock.advance(31_000);
    await server.engine.runDueTimers();
    expect((await api().tasks(task.sid).reservations(r!.sid).fetch()).reservationStatus).toBe('timeout');
  });

  it('rejects through the task path', async () => {
    await api().workers.create({ friendlyName: 'rejector', activitySid: available });
    const second = await api().tasks.create({ workflowSid });
    const [r2] = await api().tasks(second.sid).reservations.list({ reservationStatus: 'pending' });
    const rejected = await api().tasks(second.sid).reservations(r2!.sid).update({ reservationStatus: 'rejected' });
    expect(rejected.reservationStatus).toBe('rejected');
  });

  it('answers 404 for unknown reservations, tasks, workers and mismatched owners', async () => {
    const worker = await api().workers.create({ friendlyName: 'owner', activitySid: available });
    const other = await api().workers.create({ friendlyName: 'other' });
    const task = await api().tasks.create({ workflowSid });
    const [r] = await api().tasks(task.sid).reservations.list();
    const unknown = 'WR' + '0'.repeat(32);
    await expect(api().tasks(task.sid).reservations(unknown).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(api().workers(other.sid).reservations(r!.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(
      api()
        .tasks('WT' + '0'.repeat(32))
        .reservations.list(),
    ).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(
      api()
        .workers('WK' + '0'.repeat(32))
        .reservations.list(),
    ).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(api().workers(worker.sid).reservations(unknown).update({ reservationStatus: 'accepted' })).rejects.toMatchObject({
      status: 404,
      code: 20404,
    });
    const badStatus = await raw(server, 'GET', path(`/Tasks/${task.sid}/Reservations?ReservationStatus=maybe`));
    expect(badStatus.body).toMatchObject({ status: 400, code: 20001 });
    const badInstruction = await raw(server, 'POST', path(`/Tasks/${task.sid}/Reservations/${r!.sid}`), { form: { Instruction: 'teleport' } });
    expect(badInstruction.body).toMatchObject({ status: 400, code: 20001 });
  });

  it('enforces If-Match on reservation updates', async () => {
    await api().workers.create({ friendlyName: 'careful', activitySid: available });
    const task = await api().tasks.create({ workflowSid });
    const [r] = await api().tasks(task.sid).reservations.list();
    const res = await raw(server, 'POST', path(`/Tasks/${task.sid}/Reservations/${r!.sid}`), {
      form: { ReservationStatus: 'accepted' },
      headers: { 'If-Match': '"999"' },
    });
    expect(res.body).toMatchObject({ status: 412, code: 20412 });
    const etag = (await raw(server, 'GET', path(`/Tasks/${task.sid}/Reservations/${r!.sid}`))).headers.get('etag')!;
    const ok = await raw(server, 'POST', path(`/Tasks/${task.sid}/Reservations/${r!.sid}`), {
      form: { ReservationStatus: 'accepted' },
      headers: { 'If-Match': etag },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.reservation_status).toBe('accepted');
  });
});
