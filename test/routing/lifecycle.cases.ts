import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { routingFixture, type RoutingFixture } from './fixture.js';

/** Invalid transitions, instructions without a connector, and the max-assignment rule. */
export function lifecycleCases(makeStore: () => Promise<RoutingStore>): void {
  let f: RoutingFixture;
  beforeEach(async () => {
    f = await routingFixture(makeStore);
  });
  afterEach(async () => f.close());

  async function reservedTask() {
    const q = await f.queue('Support');
    const wf = await f.workflow({ filters: [], default_filter: { queue: q.sid } });
    const w = await f.worker('alice');
    const t = await f.task(wf.sid);
    const [r] = await f.pending(t.sid);
    return { wf, w, t, r: r! };
  }

  it('refuses transitions the state machine does not allow, changing nothing', async () => {
    const { wf, t, r } = await reservedTask();
    const waiting = await f.task(wf.sid);
    const complete = await f.api
      .tasks(waiting.sid)
      .update({ assignmentStatus: 'completed', reason: 'x' })
      .catch((e) => e);
    expect([complete.status, complete.code]).toEqual([400, 20001]);
    const wrap = await f.api
      .tasks(t.sid)
      .update({ assignmentStatus: 'wrapping' })
      .catch((e) => e);
    expect(wrap.status).toBe(400);
    await f.api.tasks(t.sid).reservations(r.sid).update({ reservationStatus: 'accepted' });
    const cancel = await f.api
      .tasks(t.sid)
      .update({ assignmentStatus: 'canceled', reason: 'x' })
      .catch((e) => e);
    expect([cancel.status, cancel.code]).toEqual([400, 20001]);
    const again = await f.api
      .tasks(t.sid)
      .reservations(r.sid)
      .update({ reservationStatus: 'accepted' })
      .catch((e) => e);
    expect(again.status).toBe(400);
    const bogus = await f.api
      .tasks(t.sid)
      .update({ assignmentStatus: 'pending' })
      .catch((e) => e);
    expect(bogus.status).toBe(400);
    const noReason = await f.api
      .tasks(t.sid)
      .update({ assignmentStatus: 'completed' })
      .catch((e) => e);
    expect(noReason.status).toBe(400);
    expect((await f.fetchTask(t.sid)).assignmentStatus).toBe('assigned');
    expect((await f.fetchTask(waiting.sid)).assignmentStatus).toBe('pending');
  });

  it('a reservation is reachable through its worker too, and not through another worker', async () => {
    const { w, t, r } = await reservedTask();
    const other = await f.worker('bob', {}, f.offline);
    const viaWorker = await f.api.workers(w.sid).reservations(r.sid).fetch();
    expect(viaWorker.taskSid).toBe(t.sid);
    const wrong = await f.api
      .workers(other.sid)
      .reservations(r.sid)
      .fetch()
      .catch((e) => e);
    expect([wrong.status, wrong.code]).toEqual([404, 20404]);
    await f.api.workers(w.sid).reservations(r.sid).update({ reservationStatus: 'accepted' });
    expect((await f.fetchTask(t.sid)).assignmentStatus).toBe('assigned');
  });

  it('instructions are validated, and without a telephony connector refused without changing the reservation', async () => {
    const { t, r } = await reservedTask();
    const dequeue = await f.api
      .tasks(t.sid)
      .reservations(r.sid)
      .update({ instruction: 'dequeue', dequeueFrom: '+15550001111' })
      .catch((e) => e);
    expect([dequeue.status, dequeue.code]).toEqual([400, 20001]);
    const call = await f.api
      .tasks(t.sid)
      .reservations(r.sid)
      .update({ instruction: 'call' })
      .catch((e) => e);
    expect(call.status).toBe(400);
    const unknown = await f.api
      .tasks(t.sid)
      .reservations(r.sid)
      .update({ instruction: 'teleport' })
      .catch((e) => e);
    expect(unknown.status).toBe(400);
    expect((await f.api.tasks(t.sid).reservations(r.sid).fetch()).reservationStatus).toBe('pending');
  });

  it('a connector carries out the instruction and can accept the reservation', async () => {
    const { t, r } = await reservedTask();
    const seen: string[] = [];
    f.server.engine.setTelephony({
      async execute(instr) {
        seen.push(`${instr.instruction}:${String(instr.params.CallUrl)}`);
        return { acceptNow: instr.params.CallAccept === 'true' || instr.params.CallAccept === true };
      },
    });
    await f.api
      .tasks(t.sid)
      .reservations(r.sid)
      .update({ instruction: 'call', callFrom: '+15550001111', callUrl: 'https://example.com/agent', callAccept: true });
    expect(seen).toEqual(['call:https://example.com/agent']);
    expect((await f.api.tasks(t.sid).reservations(r.sid).fetch()).reservationStatus).toBe('accepted');
  });

  it('cancels a task after 1000 pending→reserved cycles', async () => {
    const q = await f.queue('Support');
    const wf = await f.workflow({ filters: [], default_filter: { queue: q.sid } }, { taskReservationTimeout: 1 });
    const w = await f.worker('alice');
    const t = await f.task(wf.sid);
    // Each cycle: the reservation times out (the worker goes offline), the worker comes back and is reserved again.
    const engine = f.server.engine;
    for (let cycle = 1; cycle < 1000; cycle++) {
      f.clock.advance(1000);
      await engine.runDueTimers();
      await engine.updateWorker(f.ws.sid, w.sid, { activitySid: f.available });
    }
    expect((await f.fetchTask(t.sid)).assignmentStatus).toBe('reserved');
    await f.elapse(1);
    await f.api.workers(w.sid).update({ activitySid: f.available });
    const done = await f.fetchTask(t.sid);
    expect(done.assignmentStatus).toBe('canceled');
    expect((await f.api.tasks(t.sid).reservations.list({ limit: 2000 })).length).toBe(1000);
  });

  it('deletes a task left assigned for 24 hours (task.system-deleted), freeing its worker; ended tasks go after 5 minutes', async () => {
    const { wf, w, t, r } = await reservedTask();
    await f.api.tasks(t.sid).reservations(r.sid).update({ reservationStatus: 'accepted' });
    const waiting = await f.task(wf.sid, {}, { timeout: 200_000 });
    expect(await f.pending(waiting.sid)).toHaveLength(0);
    await f.elapse(24 * 3600 - 1);
    expect((await f.fetchTask(t.sid)).assignmentStatus).toBe('assigned');
    await f.elapse(1);
    const gone = await f.fetchTask(t.sid).catch((e) => e);
    expect(gone.status).toBe(404);
    expect((await f.pending(waiting.sid))[0]!.workerSid).toBe(w.sid);
    // A completed task stays readable for five minutes, then is removed quietly.
    const [next] = await f.pending(waiting.sid);
    await f.api.tasks(waiting.sid).reservations(next!.sid).update({ reservationStatus: 'accepted' });
    await f.api.tasks(waiting.sid).update({ assignmentStatus: 'completed', reason: 'done' });
    await f.elapse(299);
    expect((await f.fetchTask(waiting.sid)).assignmentStatus).toBe('completed');
    await f.elapse(1);
    expect((await f.fetchTask(waiting.sid).catch((e) => e)).status).toBe(404);
  });
}
