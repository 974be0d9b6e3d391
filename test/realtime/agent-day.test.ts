import { Supervisor, type Reservation, type Worker } from 'twilio-taskrouter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bothStores } from '../helpers/both-stores.js';
import type { TestServer } from '../helpers/server.js';
import { bridgeOptions, next, readyWorker, sdkToken, startSdkServer, until } from './sdk-helpers.js';

const STORES = bothStores('agent-day');

describe.each(STORES)("an agent's day through the real worker SDK (%s store)", (_name, makeStore) => {
  let server: TestServer;
  let ws: string;
  let available: string;
  let unavailable: string;
  let workflow: string;
  let pair: string;
  const workers: Worker[] = [];

  beforeAll(async () => {
    server = await startSdkServer(await makeStore());
    const tr = server.client.taskrouter.v1.workspaces((await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Agent day' })).sid);
    ws = (await tr.fetch()).sid;
    const activities = await tr.activities.list();
    available = activities.find((a) => a.friendlyName === 'Available')!.sid;
    unavailable = activities.find((a) => a.friendlyName === 'Unavailable')!.sid;
    const support = await tr.taskQueues.create({ friendlyName: 'Support', targetWorkers: "team == 'support'" });
    const sales = await tr.taskQueues.create({ friendlyName: 'Sales pair', targetWorkers: "team == 'sales'", maxReservedWorkers: 2 });
    const routing = (queue: string, timeout: number) => ({
      configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue } } }),
      taskReservationTimeout: timeout,
    });
    workflow = (await tr.workflows.create({ friendlyName: 'Support', ...routing(support.sid, 120) })).sid;
    pair = (await tr.workflows.create({ friendlyName: 'Sales', ...routing(sales.sid, 120) })).sid;
  });
  afterEach(async () => {
    for (const worker of workers.splice(0)) worker.disconnect();
    // Leave nobody available for the next test's tasks.
    for (const w of await server.client.taskrouter.v1.workspaces(ws).workers.list()) {
      if (w.available) await server.client.taskrouter.v1.workspaces(ws).workers(w.sid).update({ activitySid: unavailable, rejectPendingReservations: true });
    }
  });
  afterAll(() => server.close());

  async function agent(name: string, team: string): Promise<Worker> {
    const sid = (await server.client.taskrouter.v1.workspaces(ws).workers.create({ friendlyName: name, attributes: JSON.stringify({ team }) })).sid;
    const worker = await readyWorker(server, ws, sid);
    workers.push(worker);
    return worker;
  }

  it('goes available, is offered a task created through the REST API, accepts, wraps up and completes it', async () => {
    const worker = await agent('alice', 'support');
    const activityUpdated = next<Worker>(worker, 'activityUpdated');
    await worker.activities.get(available)!.setAsCurrent();
    expect((await activityUpdated).activity.sid).toBe(available);

    const offered = next<Reservation>(worker, 'reservationCreated');
    const task = await server.client.taskrouter.v1.workspaces(ws).tasks.create({ workflowSid: workflow, attributes: JSON.stringify({ customer: 'Ada' }) });
    const reservation = await offered;
    expect(reservation.status).toBe('pending');
    expect(reservation.task.sid).toBe(task.sid);
    expect(reservation.task.attributes).toEqual({ customer: 'Ada' });
    expect(reservation.task.queueName).toBe('Support');
    expect(reservation.timeout).toBe(120);

    const acceptedEvent = next(reservation, 'accepted');
    const accepted = await reservation.accept();
    expect(accepted.status).toBe('accepted');
    await acceptedEvent;

    const taskUpdated = next(reservation.task, 'updated');
    await reservation.task.setAttributes({ customer: 'Ada', resolved: true });
    await taskUpdated;
    expect(reservation.task.attributes).toEqual({ customer: 'Ada', resolved: true });

    const wrapup = next(reservation, 'wrapup');
    await reservation.task.wrapUp({ reason: 'call ended' });
    await wrapup;
    const completed = next(reservation, 'completed');
    await reservation.task.complete('resolved');
    await completed;
    expect((await server.client.taskrouter.v1.workspaces(ws).tasks(task.sid).fetch()).assignmentStatus).toBe('completed');

    const attributesUpdated = next<Worker>(worker, 'attributesUpdated');
    await server.client.taskrouter.v1
      .workspaces(ws)
      .workers(worker.sid)
      .update({ attributes: JSON.stringify({ team: 'support', level: 2 }) });
    expect((await attributesUpdated).attributes).toEqual({ team: 'support', level: 2 });
  });

  it('rejects an offer, which then goes to the next agent', async () => {
    const first = await agent('bob', 'support');
    const second = await agent('carol', 'support');
    await first.activities.get(available)!.setAsCurrent();
    const offeredFirst = next<Reservation>(first, 'reservationCreated');
    const task = await server.client.taskrouter.v1.workspaces(ws).tasks.create({ workflowSid: workflow, attributes: '{}' });
    const toFirst = await offeredFirst;
    const offeredSecond = next<Reservation>(second, 'reservationCreated');
    await second.activities.get(available)!.setAsCurrent();
    const rejected = next(toFirst, 'rejected');
    await toFirst.reject({ activitySid: unavailable });
    await rejected;
    const toSecond = await offeredSecond;
    expect(toSecond.task.sid).toBe(task.sid);
    expect(first.activity.sid).toBe(unavailable);
    await toSecond.accept();
  });

  it('hears its offer time out', async () => {
    const worker = await agent('dave', 'support');
    const quick = (await server.client.taskrouter.v1.workspaces(ws).workflows.list()).find((w) => w.friendlyName === 'Support')!;
    await server.client.taskrouter.v1.workspaces(ws).workflows(quick.sid).update({ taskReservationTimeout: 1 });
    try {
      await worker.activities.get(available)!.setAsCurrent();
      const offered = next<Reservation>(worker, 'reservationCreated');
      const task = await server.client.taskrouter.v1.workspaces(ws).tasks.create({ workflowSid: workflow, attributes: '{}' });
      const reservation = await offered;
      await next(reservation, 'timeout');
      expect(reservation.status).toBe('timeout');
      // Back in line after the timeout: not left for the next test's agents.
      await server.client.taskrouter.v1.workspaces(ws).tasks(task.sid).update({ assignmentStatus: 'canceled', reason: 'test over' });
    } finally {
      await server.client.taskrouter.v1.workspaces(ws).workflows(quick.sid).update({ taskReservationTimeout: 120 });
    }
  });

  it('hears its offer rescinded when another agent accepts the same task first', async () => {
    const one = await agent('erin', 'sales');
    const two = await agent('frank', 'sales');
    const offers = [next<Reservation>(one, 'reservationCreated'), next<Reservation>(two, 'reservationCreated')];
    await one.activities.get(available)!.setAsCurrent();
    await two.activities.get(available)!.setAsCurrent();
    await server.client.taskrouter.v1.workspaces(ws).tasks.create({ workflowSid: pair, attributes: '{}' });
    const [toOne, toTwo] = await Promise.all(offers);
    const rescinded = next(toTwo!, 'rescinded');
    await toOne!.accept();
    await rescinded;
    expect(toTwo!.status).toBe('rescinded');
  });

  it('gets, after reconnecting, the offers made while it was away', async () => {
    const worker = await agent('gina', 'support');
    await worker.activities.get(available)!.setAsCurrent();
    const away = worker;
    away.disconnect();
    workers.splice(workers.indexOf(away), 1);
    const task = await server.client.taskrouter.v1.workspaces(ws).tasks.create({ workflowSid: workflow, attributes: '{}' });
    await until(async () => (await server.client.taskrouter.v1.workspaces(ws).tasks(task.sid).fetch()).assignmentStatus === 'reserved', 'the offer');
    const back = await readyWorker(server, ws, worker.sid, { setWorkerOfflineIfDisconnected: false });
    workers.push(back);
    const held = [...back.reservations.values()];
    expect(held.map((r) => r.task.sid)).toEqual([task.sid]);
    await held[0]!.accept();
  });

  it('creates outbound work routed to itself with createTask, and is offered it', async () => {
    const worker = await agent('hana', 'support');
    await worker.activities.get(available)!.setAsCurrent();
    const queue = (await server.client.taskrouter.v1.workspaces(ws).taskQueues.list()).find((q) => q.friendlyName === 'Support')!;
    const offered = next<Reservation>(worker, 'reservationCreated');
    const taskSid = await worker.createTask('+15550100', '+15550199', workflow, queue.sid, { attributes: { reason: 'callback' } });
    const reservation = await offered;
    expect(reservation.task.sid).toBe(taskSid);
    expect(reservation.task.routingTarget).toBe(worker.sid);
    expect(reservation.task.attributes).toMatchObject({ outbound_to: '+15550100', from: '+15550199', reason: 'callback' });
    await reservation.accept();
  });

  it('rejects its pending offers when it goes unavailable with rejectPendingReservations', async () => {
    const worker = await agent('ivan', 'support');
    await worker.activities.get(available)!.setAsCurrent();
    const offered = next<Reservation>(worker, 'reservationCreated');
    await server.client.taskrouter.v1.workspaces(ws).tasks.create({ workflowSid: workflow, attributes: '{}' });
    const reservation = await offered;
    const rejected = next(reservation, 'rejected');
    await worker.activities.get(unavailable)!.setAsCurrent({ rejectPendingReservations: true });
    await rejected;
    expect(reservation.status).toBe('rejected');
    // Back in line for the next agent; left for nobody here.
    await server.client.taskrouter.v1.workspaces(ws).tasks(reservation.task.sid).update({ assignmentStatus: 'canceled', reason: 'test over' });
  });

  it("lets a supervisor change another worker's activity and attributes, which that worker hears", async () => {
    const worker = await agent('jill', 'support');
    const lead = (await server.client.taskrouter.v1.workspaces(ws).workers.create({ friendlyName: 'lead', attributes: JSON.stringify({ team: 'leads' }) })).sid;
    const supervisor = new Supervisor(sdkToken(server, { workspaceSid: ws, workerSid: lead, role: 'admin' }), bridgeOptions(server) as object);
    await next(supervisor, 'ready');
    const activityUpdated = next<Worker>(worker, 'activityUpdated');
    await supervisor.setWorkerActivity(worker.sid, available);
    expect((await activityUpdated).activity.sid).toBe(available);
    const attributesUpdated = next<Worker>(worker, 'attributesUpdated');
    await supervisor.setWorkerAttributes(worker.sid, { team: 'support', coached: true });
    expect((await attributesUpdated).attributes).toEqual({ team: 'support', coached: true });
    supervisor.disconnect();
  });
});
