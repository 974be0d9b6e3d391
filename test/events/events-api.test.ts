import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/engine/clock.js';
import { raw } from '../helpers/http.js';
import { eventsFixture, liveTaskLife, TASK_LIFE, type EventsFixture, type FixtureWorkspace } from './fixture.js';

describe('Events API', () => {
  let f: EventsFixture;
  let w: FixtureWorkspace;
  let life: Awaited<ReturnType<typeof liveTaskLife>>;
  let other: Awaited<ReturnType<typeof liveTaskLife>>;
  const events = () => w.api.events;

  beforeAll(async () => {
    f = await eventsFixture();
    w = await f.workspace();
    life = await liveTaskLife(w);
    other = await liveTaskLife(w, { type: 'sales' });
  });
  afterAll(() => f.close());

  it("lists a task's life newest first, every field twilio-node reads filled in", async () => {
    const listed = await events().list({ taskSid: life.task });
    expect(listed.map((e) => e.eventType).reverse()).toEqual(TASK_LIFE);
    const dates = listed.map((e) => e.eventDateMs);
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);

    const created = listed.find((e) => e.eventType === 'reservation.created')!;
    const wsUrl = `${f.server.url}/v1/Workspaces/${w.ws.sid}`;
    expect(created).toMatchObject({
      accountSid: f.server.accountSid,
      actorSid: w.ws.sid,
      actorType: 'workspace',
      actorUrl: wsUrl,
      resourceSid: life.reservation,
      resourceType: 'reservation',
      resourceUrl: `${wsUrl}/Tasks/${life.task}/Reservations/${life.reservation}`,
      source: 'twilio',
      url: `${wsUrl}/Events/${created.sid}`,
      workspaceSid: w.ws.sid,
    });
    expect(created.sid).toMatch(/^EV[0-9a-f]{32}$/);
    expect(typeof created.description).toBe('string');
    expect(created.eventDate).toBeInstanceOf(Date);
    expect(created.eventDate.getTime()).toBe(Math.floor(created.eventDateMs / 1000) * 1000);
    expect(created.eventData).toMatchObject({
      task_sid: life.task,
      task_attributes: '{"type":"support"}',
      task_priority: '5',
      task_assignment_status: 'reserved',
      task_channel_unique_name: 'default',
      task_queue_sid: w.queue.sid,
      task_queue_name: 'Support',
      task_queue_target_expression: '1==1',
      workflow_sid: w.workflow.sid,
      workflow_name: 'Route',
      worker_sid: life.worker,
      worker_attributes: '{"skill":"en"}',
      worker_activity_sid: w.available,
      worker_activity_name: 'Available',
      reservation_sid: life.reservation,
      workspace_sid: w.ws.sid,
      workspace_name: w.ws.friendlyName,
    });
    for (const value of Object.values(created.eventData)) expect(typeof value).toBe('string');

    const completed = listed.find((e) => e.eventType === 'task.completed')!;
    expect(completed.eventData).toMatchObject({ task_assignment_status: 'completed', task_completed_reason: 'resolved' });
    expect(completed.resourceUrl).toBe(`${wsUrl}/Tasks/${life.task}`);
  });

  it('fetches one event by sid, exactly as listed', async () => {
    const [latest] = await events().list({ taskSid: life.task, limit: 1 });
    const fetched = await events()(latest!.sid).fetch();
    expect(fetched.toJSON()).toEqual(latest!.toJSON());

    const body = (await raw(f.server, 'GET', `/v1/Workspaces/${w.ws.sid}/Events/${latest!.sid}`)).body;
    expect(typeof body.event_data).toBe('object');
    expect(typeof body.event_date_ms).toBe('number');
    expect(body.event_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Object.keys(body).sort()).toEqual([
      'account_sid',
      'actor_sid',
      'actor_type',
      'actor_url',
      'description',
      'event_data',
      'event_date',
      'event_date_ms',
      'event_type',
      'resource_sid',
      'resource_type',
      'resource_url',
      'sid',
      'source',
      'source_ip_address',
      'url',
      'workspace_sid',
    ]);
  });

  it('answers 404 for an unknown event or workspace', async () => {
    const unknownEvent = await raw(f.server, 'GET', `/v1/Workspaces/${w.ws.sid}/Events/EV${'0'.repeat(32)}`);
    expect(unknownEvent.status).toBe(404);
    expect(unknownEvent.body.code).toBe(20404);
    const unknownWorkspace = await raw(f.server, 'GET', `/v1/Workspaces/WS${'0'.repeat(32)}/Events`);
    expect(unknownWorkspace.status).toBe(404);
    expect(unknownWorkspace.body.code).toBe(20404);
  });

  it('filters by event type, one or a comma list', async () => {
    const created = await events().list({ eventType: 'task.created' });
    expect(created.map((e) => e.eventData.task_sid).sort()).toEqual([life.task, other.task].sort());
    const some = await events().list({ eventType: 'task.created,task.completed', taskSid: other.task });
    expect(some.map((e) => e.eventType)).toEqual(['task.completed', 'task.created']);
  });

  it('filters by task, worker, reservation, queue, workflow and sid', async () => {
    const byTask = await events().list({ taskSid: other.task });
    expect(byTask.length).toBe(TASK_LIFE.length);
    expect(byTask.every((e) => e.eventData.task_sid === other.task)).toBe(true);

    const byWorker = await events().list({ workerSid: life.worker });
    expect(byWorker.map((e) => e.eventType)).toContain('worker.created');
    expect(byWorker.map((e) => e.eventType)).toContain('reservation.accepted');
    expect(byWorker.every((e) => e.eventData.worker_sid === life.worker)).toBe(true);

    const byReservation = await events().list({ reservationSid: life.reservation });
    expect(byReservation.map((e) => e.eventType).reverse()).toEqual([
      'reservation.created',
      'reservation.accepted',
      'reservation.wrapup',
      'reservation.completed',
    ]);

    const byQueue = await events().list({ taskQueueSid: w.queue.sid });
    expect(byQueue.map((e) => e.eventType)).toContain('task-queue.created');
    expect(byQueue.filter((e) => e.eventType === 'task.created')).toHaveLength(2);

    const byWorkflow = await events().list({ workflowSid: w.workflow.sid });
    expect(byWorkflow.map((e) => e.eventType)).toContain('workflow.created');
    expect(byWorkflow.filter((e) => e.eventType === 'workflow.entered')).toHaveLength(2);

    const [one] = await events().list({ taskSid: life.task, limit: 1 });
    const bySid = await events().list({ sid: one!.sid });
    expect(bySid.map((e) => e.sid)).toEqual([one!.sid]);
  });

  it('filters by task channel, by unique name or sid', async () => {
    const [voice] = await w.api.taskChannels.list().then((cs) => cs.filter((c) => c.uniqueName === 'voice'));
    const call = await w.api.tasks.create({ workflowSid: w.workflow.sid, taskChannel: 'voice' });
    const byName = await events().list({ taskChannel: 'voice', eventType: 'task.created' });
    expect(byName.map((e) => e.eventData.task_sid)).toEqual([call.sid]);
    const bySid = await events().list({ taskChannel: voice!.sid, eventType: 'task.created' });
    expect(bySid.map((e) => e.eventData.task_sid)).toEqual([call.sid]);
    await w.api.tasks(call.sid).update({ assignmentStatus: 'canceled', reason: 'test over' });
  });

  it('pages through more than one page, and a window pinned by the first page does not shift', async () => {
    const all = await events().list({ pageSize: 1000 });
    expect(all.length).toBeGreaterThan(8);
    const paged = await events().list({ pageSize: 4 });
    expect(paged.map((e) => e.sid)).toEqual(all.map((e) => e.sid));

    const first = await raw(f.server, 'GET', `/v1/Workspaces/${w.ws.sid}/Events?PageSize=3`);
    expect(first.body.meta.key).toBe('events');
    expect(first.body.events).toHaveLength(3);
    await w.api.workers.create({ friendlyName: `late ${Math.random()}` });
    const second = await raw(f.server, 'GET', first.body.meta.next_page_url);
    const seen = [...first.body.events, ...second.body.events].map((e: { sid: string }) => e.sid);
    expect(seen).toEqual(all.slice(0, 6).map((e) => e.sid));
  });

  it("records a single-tasking queue's ReservationActivity as a worker activity change", async () => {
    const single = await f.workspace({ multiTaskEnabled: false });
    const busy = single.activity('Unavailable');
    await single.api.taskQueues(single.queue.sid).update({ reservationActivitySid: busy });
    const worker = await single.api.workers.create({ friendlyName: 'solo', activitySid: single.available });
    await single.api.tasks.create({ workflowSid: single.workflow.sid });
    const changes = await single.api.events.list({ workerSid: worker.sid, eventType: 'worker.activity.update' });
    expect(changes.map((e) => [e.eventData.worker_previous_activity_sid, e.eventData.worker_activity_sid])).toEqual([[single.available, busy]]);
  });

  it('refuses a Minutes below 1 with 400/20001', async () => {
    const res = await raw(f.server, 'GET', `/v1/Workspaces/${w.ws.sid}/Events?Minutes=0`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(20001);
  });
});

describe('Events API time window', () => {
  const clock = new AdjustableClock();
  let f: EventsFixture;
  let w: FixtureWorkspace;
  let start: number;
  let early: string;
  let late: string;

  beforeAll(async () => {
    f = await eventsFixture({ clock });
    start = clock.now();
    w = await f.workspace();
    early = (await w.api.workers.create({ friendlyName: 'early' })).sid;
    clock.advance(20 * 60_000);
    late = (await w.api.workers.create({ friendlyName: 'late' })).sid;
  });
  afterAll(() => f.close());

  const createdWorkers = async (params: Record<string, unknown>) =>
    (await w.api.events.list({ eventType: 'worker.created', ...params })).map((e) => e.resourceSid);

  it('shows the last 15 minutes by default', async () => {
    expect(await createdWorkers({})).toEqual([late]);
  });

  it('widens the window with Minutes', async () => {
    expect(await createdWorkers({ minutes: 30 })).toEqual([late, early]);
    expect(await createdWorkers({ minutes: 10 })).toEqual([late]);
  });

  it('uses StartDate and EndDate instead when given', async () => {
    const tenMinutesIn = new Date(start + 10 * 60_000);
    expect(await createdWorkers({ startDate: new Date(start - 60_000) })).toEqual([late, early]);
    expect(await createdWorkers({ startDate: tenMinutesIn })).toEqual([late]);
    expect(await createdWorkers({ startDate: new Date(start - 60_000), endDate: tenMinutesIn })).toEqual([early]);
  });
});
