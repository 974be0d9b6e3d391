import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelephonyInstruction } from '../../src/engine/telephony-port.js';
import { heldReply, jsonReply, type ReceiverReply } from '../helpers/receiver.js';
import { eventsFixture, STORE_KINDS, type EventsFixture, type FixtureWorkspace } from './fixture.js';

const ASSIGNMENT_PARAMS = [
  'AccountSid',
  'ReservationSid',
  'TaskAge',
  'TaskAttributes',
  'TaskPriority',
  'TaskQueueSid',
  'TaskSid',
  'Timestamp',
  'WorkerAttributes',
  'WorkerSid',
  'WorkflowSid',
  'WorkspaceSid',
];

describe.each(STORE_KINDS)('AssignmentCallbackUrl (%s store)', (store) => {
  const TIMEOUT_MS = 300;
  let f: EventsFixture;
  const instructions: TelephonyInstruction[] = [];
  let path = 0;

  beforeAll(async () => {
    f = await eventsFixture({ store, delivery: { assignmentTimeoutMs: TIMEOUT_MS } });
    f.server.engine.setTelephony({
      execute: async (instruction) => {
        instructions.push(instruction);
        return { acceptNow: instruction.params.CallAccept === 'true' };
      },
    });
  });
  afterAll(() => f.close());

  /**
   * A workspace whose workflow calls back to a fresh path answering `primary` (and `fallback` on its fallback URL
   * when given), then one worker and one task: the task is reserved for the worker as soon as it is created.
   * `primary` may be built from the workspace, for answers naming its activities.
   */
  async function reserve(primary: ReceiverReply[] | ((w: FixtureWorkspace) => ReceiverReply[]), fallback?: ReceiverReply[]) {
    const at = `/assign-${++path}`;
    const w = await f.workspace(
      {},
      {
        assignmentCallbackUrl: f.receiver.url(at),
        ...(fallback ? { fallbackAssignmentCallbackUrl: f.receiver.url(`${at}/fallback`) } : {}),
      },
    );
    f.receiver.script(at, ...(typeof primary === 'function' ? primary(w) : primary));
    if (fallback) f.receiver.script(`${at}/fallback`, ...fallback);
    const worker = await w.api.workers.create({ friendlyName: 'agent', activitySid: w.available, attributes: '{"contact_uri":"client:agent"}' });
    const task = await w.api.tasks.create({ workflowSid: w.workflow.sid, attributes: '{"caller":"+15550100"}', priority: 3 });
    const [reservation] = await w.api.tasks(task.sid).reservations.list();
    const state = async () => ({
      reservation: (await w.api.tasks(task.sid).reservations(reservation!.sid).fetch()).reservationStatus,
      task: (await w.api.tasks(task.sid).fetch()).assignmentStatus,
      activity: (await w.api.workers(worker.sid).fetch()).activitySid,
    });
    return { w, at, worker: worker.sid, task: task.sid, reservation: reservation!.sid, state, requests: () => f.receiver.at(at) };
  }

  it('POSTs exactly the twelve documented parameters, signed; an empty answer leaves the reservation pending', async () => {
    const r = await reserve([{ status: 200 }]);
    await f.delivery.idle();
    const [request] = r.requests();
    expect(r.requests()).toHaveLength(1);
    expect(f.signed(request!)).toBe(true);
    expect(Object.keys(request!.params).sort()).toEqual(ASSIGNMENT_PARAMS);
    expect(request!.params).toMatchObject({
      AccountSid: f.server.accountSid,
      WorkspaceSid: r.w.ws.sid,
      WorkflowSid: r.w.workflow.sid,
      TaskQueueSid: r.w.queue.sid,
      WorkerSid: r.worker,
      WorkerAttributes: '{"contact_uri":"client:agent"}',
      TaskSid: r.task,
      TaskAttributes: '{"caller":"+15550100"}',
      TaskPriority: '3',
      ReservationSid: r.reservation,
    });
    expect(request!.params.TaskAge).toMatch(/^\d+$/);
    expect(Math.abs(Number(request!.params.Timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(await r.state()).toMatchObject({ reservation: 'pending', task: 'reserved' });
  });

  it('accepts when told to', async () => {
    const r = await reserve([jsonReply({ instruction: 'accept' })]);
    await f.delivery.idle();
    expect(await r.state()).toMatchObject({ reservation: 'accepted', task: 'assigned' });
  });

  it('rejects when told to, moving the worker to the given activity', async () => {
    const toOffline = await reserve((w) => [jsonReply({ instruction: 'reject', activity_sid: w.offline })]);
    const staying = await reserve([jsonReply({ instruction: 'reject' })]);
    await f.delivery.idle();
    expect(await toOffline.state()).toEqual({ reservation: 'rejected', task: 'pending', activity: toOffline.w.offline });
    expect(await staying.state()).toEqual({ reservation: 'rejected', task: 'pending', activity: staying.w.available });
  });

  it('leaves the reservation pending on a body that is not JSON, or names no known instruction', async () => {
    const text = await reserve([{ status: 200, contentType: 'text/plain', body: 'thanks' }]);
    const unknown = await reserve([jsonReply({ instruction: 'teleport' })]);
    await f.delivery.idle();
    expect((await text.state()).reservation).toBe('pending');
    expect((await unknown.state()).reservation).toBe('pending');
  });

  it('turns to the fallback URL once when the primary answers with an error', async () => {
    const r = await reserve([{ status: 500 }], [jsonReply({ instruction: 'accept' })]);
    await f.delivery.idle();
    const [fallback] = f.receiver.at(`${r.at}/fallback`);
    expect(r.requests()).toHaveLength(1);
    expect(fallback!.body).toBe(r.requests()[0]!.body);
    expect(f.signed(fallback!)).toBe(true);
    expect((await r.state()).reservation).toBe('accepted');
  });

  it('turns to the fallback URL when the primary does not answer in time', async () => {
    const hung = jsonReply({ instruction: 'reject' }, { until: new Promise(() => {}) });
    const r = await reserve([hung], [jsonReply({ instruction: 'accept' })]);
    await f.delivery.idle();
    expect(f.receiver.at(`${r.at}/fallback`)).toHaveLength(1);
    expect((await r.state()).reservation).toBe('accepted');
  });

  it('tries nothing more when the fallback fails too, and the reservation waits', async () => {
    const before = f.delivery.stats().assignmentCallbacks.failed;
    const r = await reserve([{ status: 500 }], [{ status: 502 }]);
    await f.delivery.idle();
    expect(r.requests()).toHaveLength(1);
    expect(f.receiver.at(`${r.at}/fallback`)).toHaveLength(1);
    expect(f.delivery.stats().assignmentCallbacks.failed - before).toBe(1);
    expect((await r.state()).reservation).toBe('pending');
  });

  it('ignores an answer that arrives after the reservation was answered through the API', async () => {
    const late = heldReply(jsonReply({ instruction: 'reject', activity_sid: 'WA' + '0'.repeat(32) }));
    const r = await reserve([late.reply]);
    await r.w.api.tasks(r.task).reservations(r.reservation).update({ reservationStatus: 'accepted' });
    late.release();
    await f.delivery.idle();
    expect(r.requests()).toHaveLength(1);
    expect(await r.state()).toEqual({ reservation: 'accepted', task: 'assigned', activity: r.w.available });
  });

  it('carries out dequeue through the telephony connector with the REST parameter names', async () => {
    instructions.length = 0;
    const postWork = 'WA' + 'a'.repeat(32);
    const r = await reserve([
      jsonReply({
        instruction: 'dequeue',
        from: '+15550199',
        to: 'client:agent',
        post_work_activity_sid: postWork,
        timeout: 30,
        record: 'record-from-answer',
        status_callback_url: 'https://example.com/status',
        status_callback_events: ['initiated', 'completed'],
      }),
    ]);
    await f.delivery.idle();
    expect(instructions).toHaveLength(1);
    expect(instructions[0]!.instruction).toBe('dequeue');
    expect(instructions[0]!.reservation.sid).toBe(r.reservation);
    expect(instructions[0]!.params).toEqual({
      DequeueFrom: '+15550199',
      DequeueTo: 'client:agent',
      DequeuePostWorkActivitySid: postWork,
      DequeueTimeout: '30',
      DequeueRecord: 'record-from-answer',
      DequeueStatusCallbackUrl: 'https://example.com/status',
      DequeueStatusCallbackEvent: ['initiated', 'completed'],
    });
    expect((await r.state()).reservation).toBe('pending');
  });

  it('carries out call through the telephony connector, accepting when the connector says so', async () => {
    instructions.length = 0;
    const r = await reserve([
      jsonReply({ instruction: 'call', from: '+15550199', to: '+15550123', url: 'https://example.com/agent.xml', accept: true, timeout: 20 }),
    ]);
    await f.delivery.idle();
    expect(instructions.map((i) => [i.instruction, i.params])).toEqual([
      ['call', { CallFrom: '+15550199', CallTo: '+15550123', CallUrl: 'https://example.com/agent.xml', CallAccept: 'true', CallTimeout: '20' }],
    ]);
    expect((await r.state()).reservation).toBe('accepted');
  });

  it('logs a failing instruction and carries on', async () => {
    instructions.length = 0;
    const r = await reserve([jsonReply({ instruction: 'call', to: '+15550123' })]);
    await f.delivery.idle();
    expect(instructions).toHaveLength(0);
    expect((await r.state()).reservation).toBe('pending');
    const again = await reserve([jsonReply({ instruction: 'accept' })]);
    await f.delivery.idle();
    expect((await again.state()).reservation).toBe('accepted');
  });
});
