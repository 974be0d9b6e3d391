import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver } from '../helpers/receiver.js';
import { eventsFixture, liveTaskLife, QUICK_RETRY, STORE_KINDS, TASK_LIFE, type EventsFixture } from './fixture.js';

const COMMON_PARAMS = [
  'EventType',
  'AccountSid',
  'WorkspaceSid',
  'WorkspaceName',
  'EventDescription',
  'ResourceType',
  'ResourceSid',
  'Timestamp',
  'TimestampMs',
  'Sid',
];

describe.each(STORE_KINDS)('EventCallbackUrl (%s store)', (store) => {
  let f: EventsFixture;
  beforeAll(async () => {
    f = await eventsFixture({ store });
  });
  afterAll(() => f.close());

  it("POSTs every event of a task's life, in order, signed, with Twilio's parameter names", async () => {
    const w = await f.workspace({ eventCallbackUrl: f.receiver.url('/life?source=taskrouter') });
    const life = await liveTaskLife(w);
    await f.delivery.idle();

    const received = f.receiver.at('/life');
    expect(received.length).toBeGreaterThan(TASK_LIFE.length);
    for (const request of received) {
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
      expect(f.signed(request)).toBe(true);
      for (const name of COMMON_PARAMS) expect(request.params[name], name).toBeTruthy();
      expect(request.params).toMatchObject({ AccountSid: f.server.accountSid, WorkspaceSid: w.ws.sid, WorkspaceName: w.ws.friendlyName });
      expect(request.params.TimestampMs).toMatch(/^\d{13}$/);
      expect(request.params.Timestamp).toBe(String(Math.floor(Number(request.params.TimestampMs) / 1000)));
    }
    const ofTask = received.filter((r) => r.params.TaskSid === life.task);
    expect(ofTask.map((r) => r.params.EventType)).toEqual(TASK_LIFE);

    const reserved = ofTask.find((r) => r.params.EventType === 'reservation.created')!;
    expect(reserved.params).toMatchObject({
      ResourceType: 'reservation',
      ResourceSid: life.reservation,
      ReservationSid: life.reservation,
      TaskSid: life.task,
      TaskAttributes: '{"type":"support"}',
      TaskPriority: '5',
      TaskAssignmentStatus: 'reserved',
      TaskChannelUniqueName: 'default',
      TaskQueueSid: w.queue.sid,
      TaskQueueName: 'Support',
      TaskQueueTargetExpression: '1==1',
      WorkflowSid: w.workflow.sid,
      WorkflowName: 'Route',
      WorkerSid: life.worker,
      WorkerAttributes: '{"skill":"en"}',
      WorkerActivitySid: w.available,
      WorkerActivityName: 'Available',
    });
    expect(reserved.params.TaskAge).toMatch(/^\d+$/);
    expect(reserved.headers['i-twilio-idempotency-token']).toBe(reserved.params.Sid);

    // The same events, once each, as the Events API lists them.
    const listed = await w.api.events.list({ pageSize: 1000 });
    expect(received.map((r) => r.params.Sid).sort()).toEqual(listed.map((e) => e.sid).sort());
    expect(new Set(received.map((r) => r.params.Sid)).size).toBe(received.length);
  });

  it('adds the previous activity to a worker activity change', async () => {
    const w = await f.workspace({ eventCallbackUrl: f.receiver.url('/activity') });
    const worker = await w.api.workers.create({ friendlyName: 'mover', activitySid: w.offline });
    await w.api.workers(worker.sid).update({ activitySid: w.available });
    await f.delivery.idle();
    const change = f.receiver.at('/activity').find((r) => r.params.EventType === 'worker.activity.update')!;
    expect(change.params).toMatchObject({
      WorkerSid: worker.sid,
      WorkerActivitySid: w.available,
      WorkerActivityName: 'Available',
      WorkerPreviousActivitySid: w.offline,
      WorkerPreviousActivityName: 'Offline',
    });
    expect(change.params.WorkerTimeInPreviousActivity).toMatch(/^\d+$/);
    expect(change.params.WorkerTimeInPreviousActivityMs).toMatch(/^\d+$/);
  });

  it('sends only the types named in EventsFilter', async () => {
    const w = await f.workspace({ eventCallbackUrl: f.receiver.url('/filtered'), eventsFilter: 'task.created,task.completed' });
    const life = await liveTaskLife(w);
    await f.delivery.idle();
    expect(f.receiver.at('/filtered').map((r) => [r.params.EventType, r.params.TaskSid])).toEqual([
      ['task.created', life.task],
      ['task.completed', life.task],
    ]);
  });

  it('follows changes of the URL and the filter, and stops when the URL is cleared', async () => {
    const w = await f.workspace();
    await w.api.workers.create({ friendlyName: 'unseen' });
    await f.delivery.idle();
    await w.api.update({ eventCallbackUrl: f.receiver.url('/changed'), eventsFilter: 'worker.created' });
    await w.api.workers.create({ friendlyName: 'seen' });
    await f.delivery.idle();
    await w.api.update({ eventCallbackUrl: '' });
    await w.api.workers.create({ friendlyName: 'after' });
    await f.delivery.idle();
    expect(f.receiver.at('/changed').map((r) => r.params.WorkerName)).toEqual(['seen']);
  });

  it('retries a failing receiver with backoff until it answers, and delivers the event once', async () => {
    const w = await f.workspace({ eventCallbackUrl: f.receiver.url('/flaky'), eventsFilter: 'task.created' });
    f.receiver.script('/flaky', { status: 500 }, { status: 503 });
    const before = f.delivery.stats().eventCallbacks;
    const task = await w.api.tasks.create({ workflowSid: w.workflow.sid });
    await f.delivery.idle();

    const attempts = f.receiver.at('/flaky');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((r) => r.params.Sid)).size).toBe(1);
    expect(attempts[0]!.params).toMatchObject({ EventType: 'task.created', TaskSid: task.sid });
    expect(attempts.every((r) => r.body === attempts[0]!.body && f.signed(r))).toBe(true);
    const after = f.delivery.stats().eventCallbacks;
    expect(after.retried - before.retried).toBe(2);
    expect(after.delivered - before.delivered).toBe(1);
    expect(after.failed).toBe(before.failed);
  });

  it('gives up after the last attempt', async () => {
    const w = await f.workspace({ eventCallbackUrl: f.receiver.url('/broken'), eventsFilter: 'task.created' });
    f.receiver.answer('/broken', { status: 500 });
    const before = f.delivery.stats().eventCallbacks;
    await w.api.tasks.create({ workflowSid: w.workflow.sid });
    await f.delivery.idle();
    expect(f.receiver.at('/broken')).toHaveLength(QUICK_RETRY.attempts);
    expect(f.delivery.stats().eventCallbacks.failed - before.failed).toBe(1);
  });
});

describe('EventCallbackUrl with a dead receiver', () => {
  const BACKLOG = 5;
  let f: EventsFixture;
  beforeEach(async () => {
    f = await eventsFixture({ delivery: { eventBacklogLimit: BACKLOG } });
  });
  afterEach(() => f.close());

  it('keeps routing and caps what waits when the receiver never answers', async () => {
    f.receiver.answer('/hung', { until: new Promise(() => {}) });
    const w = await f.workspace({ eventCallbackUrl: f.receiver.url('/hung') });
    for (let i = 0; i < 5; i++) await w.api.workers.create({ friendlyName: `agent ${i}`, activitySid: w.available });
    const tasks = [];
    for (let i = 0; i < 5; i++) tasks.push(await w.api.tasks.create({ workflowSid: w.workflow.sid }));
    for (const task of tasks) expect((await w.api.tasks(task.sid).fetch()).assignmentStatus).toBe('reserved');

    const stats = f.delivery.stats().eventCallbacks;
    expect(f.receiver.at('/hung').length).toBeLessThanOrEqual(1);
    expect(stats.inFlight).toBe(1);
    expect(stats.longestBacklog).toBeLessThanOrEqual(BACKLOG);
    expect(stats.dropped).toBeGreaterThan(0);
  });

  it('keeps routing when the receiver refuses connections, and settles once attempts run out', async () => {
    const gone = await startReceiver();
    const url = gone.url('/gone');
    await gone.close();
    const w = await f.workspace({ eventCallbackUrl: url, eventsFilter: 'task.created,reservation.created' });
    await w.api.workers.create({ friendlyName: 'agent', activitySid: w.available });
    const task = await w.api.tasks.create({ workflowSid: w.workflow.sid });
    expect((await w.api.tasks(task.sid).fetch()).assignmentStatus).toBe('reserved');
    await f.delivery.idle();
    const stats = f.delivery.stats().eventCallbacks;
    expect(stats.failed).toBe(2);
    expect(stats.retried).toBe(2 * (QUICK_RETRY.attempts - 1));
    expect(stats.longestBacklog).toBe(0);
  });
});
