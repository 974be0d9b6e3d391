import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { routingFixture, type RoutingFixture } from './fixture.js';

/** Workflow semantics: filters, targets, timeouts, skip_if, known workers, expressions, re-evaluation. */
export function workflowCases(makeStore: () => Promise<RoutingStore>): void {
  let f: RoutingFixture;
  beforeEach(async () => {
    f = await routingFixture(makeStore);
  });
  afterEach(async () => f.close());

  it('the first matching filter wins; a task matching none goes to default_filter', async () => {
    const sales = await f.queue('Sales');
    const support = await f.queue('Support');
    const other = await f.queue('Other');
    const wf = await f.workflow({
      filters: [
        { filter_friendly_name: 'sales', expression: "type == 'sales'", targets: [{ queue: sales.sid }] },
        { filter_friendly_name: 'any ticket', expression: "type IN ['sales','support']", targets: [{ queue: support.sid }] },
      ],
      default_filter: { queue: other.sid },
    });
    expect((await f.task(wf.sid, { type: 'sales' })).taskQueueSid).toBe(sales.sid);
    expect((await f.task(wf.sid, { type: 'support' })).taskQueueSid).toBe(support.sid);
    expect((await f.task(wf.sid, { type: 'billing' })).taskQueueSid).toBe(other.sid);
  });

  it('a target sets the task priority', async () => {
    const q = await f.queue('Vip');
    const wf = await f.workflow({ filters: [{ expression: 'vip == true', targets: [{ queue: q.sid, priority: 10 }] }] });
    expect((await f.task(wf.sid, { vip: true }, { priority: 1 })).priority).toBe(10);
  });

  it('target timeouts add up on task age: a reservation in between does not reset them', async () => {
    const q1 = await f.queue('Q1');
    const q2 = await f.queue('Q2');
    const q3 = await f.queue('Q3');
    const wf = await f.workflow({
      filters: [{ expression: '1==1', targets: [{ queue: q1.sid, timeout: 10 }, { queue: q2.sid, timeout: 10 }, { queue: q3.sid }] }],
    });
    const t = await f.task(wf.sid);
    expect(t.taskQueueSid).toBe(q1.sid);
    await f.elapse(10);
    expect((await f.fetchTask(t.sid)).taskQueueSid).toBe(q2.sid);
    await f.elapse(2);
    // A worker arrives at age 12, is reserved, and rejects at age 15.
    const w = await f.worker('alice');
    const [r] = await f.pending(t.sid);
    expect(r!.workerSid).toBe(w.sid);
    await f.elapse(3);
    await f.api.tasks(t.sid).reservations(r!.sid).update({ reservationStatus: 'rejected' });
    expect((await f.fetchTask(t.sid)).taskQueueSid).toBe(q2.sid);
    await f.elapse(5);
    // Age 20: leaves Q2 (not at 25, as it would if the rejection had restarted the step).
    expect((await f.fetchTask(t.sid)).taskQueueSid).toBe(q3.sid);
  });

  it('falling off the last target cancels the task with workflow.timeout', async () => {
    const q = await f.queue('Q1');
    const wf = await f.workflow({ filters: [{ expression: '1==1', targets: [{ queue: q.sid, timeout: 5 }] }], default_filter: { queue: q.sid } });
    const t = await f.task(wf.sid);
    await f.elapse(4);
    expect((await f.fetchTask(t.sid)).assignmentStatus).toBe('pending');
    await f.elapse(1);
    const done = await f.fetchTask(t.sid);
    expect(done.assignmentStatus).toBe('canceled');
    expect(done.reason).toBe('Workflow Timeout');
  });

  it('skip_if moves on at once when no reservation could be made on entering the step', async () => {
    const q1 = await f.queue('Q1', "team == 'one'");
    const q2 = await f.queue('Q2');
    const wf = await f.workflow({
      filters: [{ expression: '1==1', targets: [{ queue: q1.sid, timeout: 60, skip_if: 'workers.available == 0' }, { queue: q2.sid }] }],
    });
    await f.worker('offline-one', { team: 'one' }, f.offline);
    const t = await f.task(wf.sid);
    expect((await f.fetchTask(t.sid)).taskQueueSid).toBe(q2.sid);
    // With an available member, the step is not skipped.
    await f.worker('busy-one', { team: 'one' });
    await f.api.workers.list().then(async (ws) => {
      const busy = ws.find((w) => w.friendlyName === 'busy-one')!;
      await f.api.workers(busy.sid).workerChannels('default').update({ capacity: 0 });
    });
    const t2 = await f.task(wf.sid);
    expect((await f.fetchTask(t2.sid)).taskQueueSid).toBe(q1.sid);
  });

  it('skipping past the first matching filter goes on to the next matching one, then to the default filter', async () => {
    const q1 = await f.queue('Q1', "team == 'one'");
    const q2 = await f.queue('Q2', "team == 'two'");
    const q3 = await f.queue('Q3');
    const skipping = await f.workflow({
      filters: [
        { expression: 'n > 0', targets: [{ queue: q1.sid, skip_if: 'workers.available == 0' }] },
        { expression: 'n < 0', targets: [{ queue: q2.sid }] },
        { expression: 'n > 1', targets: [{ queue: q2.sid, skip_if: 'workers.available == 0' }] },
      ],
      default_filter: { queue: q3.sid },
    });
    // Nobody in Q1 or Q2: skipped through the matching filters to the default.
    expect((await f.fetchTask((await f.task(skipping.sid, { n: 5 })).sid)).taskQueueSid).toBe(q3.sid);
    // With someone available in Q2, the second matching filter holds it.
    await f.worker('two', { team: 'two' });
    expect((await f.fetchTask((await f.task(skipping.sid, { n: 5 })).sid)).taskQueueSid).toBe(q2.sid);
    // Without a skip_if, the first matching filter is where the task stays, whatever follows it.
    const staying = await f.workflow({
      filters: [
        { expression: 'n > 0', targets: [{ queue: q1.sid }] },
        { expression: 'n > 1', targets: [{ queue: q2.sid }] },
      ],
      default_filter: { queue: q3.sid },
    });
    const waiting = await f.task(staying.sid, { n: 5 });
    expect((await f.fetchTask(waiting.sid)).taskQueueSid).toBe(q1.sid);
    expect((await f.fetchTask(waiting.sid)).assignmentStatus).toBe('pending');
  });

  it('skip_if on the last step removes the task from the workflow', async () => {
    const q = await f.queue('Q1');
    const wf = await f.workflow({ filters: [{ expression: '1==1', targets: [{ queue: q.sid, skip_if: '1==1' }] }] });
    const t = await f.task(wf.sid);
    expect((await f.fetchTask(t.sid)).assignmentStatus).toBe('canceled');
  });

  it('known_worker_sid offers the task only to the named worker', async () => {
    const q = await f.queue('Support');
    const wf = await f.workflow({ filters: [{ expression: '1==1', targets: [{ queue: q.sid, known_worker_sid: 'task.agent' }] }] });
    await f.worker('longest-idle');
    f.clock.advance(1000);
    const bob = await f.worker('bob', {}, f.offline);
    const t = await f.task(wf.sid, { agent: bob.sid });
    expect(await f.pending(t.sid)).toHaveLength(0);
    await f.api.workers(bob.sid).update({ activitySid: f.available });
    expect((await f.pending(t.sid))[0]!.workerSid).toBe(bob.sid);
    // A missing reference matches nobody.
    const orphan = await f.task(wf.sid, {});
    expect(await f.pending(orphan.sid)).toHaveLength(0);
  });

  it('known_worker_friendly_name offers the task to the worker of that name', async () => {
    const q = await f.queue('Support');
    const wf = await f.workflow({ filters: [{ expression: '1==1', targets: [{ queue: q.sid, known_worker_friendly_name: 'task.agent_name' }] }] });
    await f.worker('other');
    const carol = await f.worker('carol');
    const t = await f.task(wf.sid, { agent_name: 'carol' });
    expect((await f.pending(t.sid))[0]!.workerSid).toBe(carol.sid);
  });

  it('a target expression compares task and worker attributes', async () => {
    const q = await f.queue('Support');
    const wf = await f.workflow({
      filters: [{ expression: '1==1', targets: [{ queue: q.sid, expression: 'task.language IN worker.languages AND worker.level >= task.min_level' }] }],
    });
    await f.worker('en', { languages: ['en'], level: 9 });
    await f.worker('es-junior', { languages: ['es'], level: 1 });
    const senior = await f.worker('es-senior', { languages: ['es', 'en'], level: 5 });
    const t = await f.task(wf.sid, { language: 'es', min_level: 3 });
    expect((await f.pending(t.sid))[0]!.workerSid).toBe(senior.sid);
  });

  it('time of day: taskrouter.currentHour and dayOfWeek are usable in filters', async () => {
    const open = await f.queue('Open');
    const closed = await f.queue('Closed');
    const hour = new Date(f.clock.now()).getUTCHours();
    const wf = await f.workflow({
      filters: [{ expression: `taskrouter.currentHour == ${hour} AND taskrouter.dayOfWeek != 'Never'`, targets: [{ queue: open.sid }] }],
      default_filter: { queue: closed.sid },
    });
    expect((await f.task(wf.sid)).taskQueueSid).toBe(open.sid);
  });

  it('a rejected reservation goes to another worker, never back to the one who rejected', async () => {
    const q = await f.queue('Support');
    const wf = await f.workflow({ filters: [], default_filter: { queue: q.sid } });
    const a = await f.worker('a');
    f.clock.advance(1000);
    const b = await f.worker('b');
    const brk = await f.api.activities.create({ friendlyName: 'Break', available: false });
    const t = await f.task(wf.sid);
    const [first] = await f.pending(t.sid);
    expect(first!.workerSid).toBe(a.sid);
    await f.api.tasks(t.sid).reservations(first!.sid).update({ reservationStatus: 'rejected', workerActivitySid: brk.sid });
    expect((await f.api.workers(a.sid).fetch()).activitySid).toBe(brk.sid);
    const [second] = await f.pending(t.sid);
    expect(second!.workerSid).toBe(b.sid);
    await f.api.tasks(t.sid).reservations(second!.sid).update({ reservationStatus: 'rejected' });
    await f.api.workers(a.sid).update({ activitySid: f.available });
    expect(await f.pending(t.sid)).toHaveLength(0);
  });

  it('a reservation that times out moves the worker to the timeout activity and re-routes the task', async () => {
    const q = await f.queue('Support');
    const wf = await f.workflow({ filters: [], default_filter: { queue: q.sid } }, { taskReservationTimeout: 30 });
    const a = await f.worker('a');
    const t = await f.task(wf.sid);
    const [r] = await f.pending(t.sid);
    await f.elapse(29);
    expect((await f.api.tasks(t.sid).reservations(r!.sid).fetch()).reservationStatus).toBe('pending');
    const b = await f.worker('b');
    await f.elapse(1);
    expect((await f.api.tasks(t.sid).reservations(r!.sid).fetch()).reservationStatus).toBe('timeout');
    expect((await f.api.workers(a.sid).fetch()).activitySid).toBe(f.offline);
    expect((await f.pending(t.sid))[0]!.workerSid).toBe(b.sid);
  });

  it('a task whose TTL runs out is canceled with "Task TTL Exceeded"', async () => {
    const q = await f.queue('Support');
    const wf = await f.workflow({ filters: [], default_filter: { queue: q.sid } });
    const t = await f.task(wf.sid, {}, { timeout: 60 });
    await f.elapse(60);
    const done = await f.fetchTask(t.sid);
    expect(done.assignmentStatus).toBe('canceled');
    expect(done.reason).toBe('Task TTL Exceeded');
  });

  it('canceling a reserved task cancels its reservation and frees the worker', async () => {
    const q = await f.queue('Support');
    const wf = await f.workflow({ filters: [], default_filter: { queue: q.sid } });
    const w = await f.worker('a');
    const t = await f.task(wf.sid);
    const next = await f.task(wf.sid);
    const [r] = await f.pending(t.sid);
    await f.api.tasks(t.sid).update({ assignmentStatus: 'canceled', reason: 'caller hung up' });
    expect((await f.api.tasks(t.sid).reservations(r!.sid).fetch()).reservationStatus).toBe('canceled');
    expect((await f.pending(next.sid))[0]!.workerSid).toBe(w.sid);
  });

  it('ReEvaluateTasks re-routes waiting tasks through the updated workflow; attribute updates re-route too', async () => {
    const q1 = await f.queue('Q1', "team == 'nobody'");
    const q2 = await f.queue('Q2');
    const wf = await f.workflow({ filters: [], default_filter: { queue: q1.sid } });
    const t = await f.task(wf.sid, { kind: 'x' });
    await f.api.workflows(wf.sid).update({
      configuration: JSON.stringify({
        task_routing: { filters: [{ expression: "kind == 'x'", targets: [{ queue: q2.sid }] }], default_filter: { queue: q1.sid } },
      }),
      reEvaluateTasks: 'true',
    } as never);
    expect((await f.fetchTask(t.sid)).taskQueueSid).toBe(q2.sid);
    await f.api.tasks(t.sid).update({ attributes: JSON.stringify({ kind: 'y' }) });
    expect((await f.fetchTask(t.sid)).taskQueueSid).toBe(q1.sid);
  });
}
