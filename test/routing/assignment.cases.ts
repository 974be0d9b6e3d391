import { afterEach, beforeEach, expect, it } from 'vitest';
import { RoutingEngine } from '../../src/engine/engine.js';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { routingFixture, type RoutingFixture } from './fixture.js';

/** The store as the engine sees it, with `noted` told the name of every call first (it may throw, to fail it). */
export function observed(makeStore: () => Promise<RoutingStore>, noted: (call: string, args: unknown[]) => unknown): () => Promise<RoutingStore> {
  return async () => {
    const store = await makeStore();
    return new Proxy(store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        return (...args: unknown[]) => {
          noted(prop, args);
          return value.apply(target, args);
        };
      },
    });
  };
}

/** Who gets what: both matching directions, ordering of tasks and of workers. */
export function assignmentCases(makeStore: () => Promise<RoutingStore>): void {
  let f: RoutingFixture;
  beforeEach(async () => {
    f = await routingFixture(makeStore);
  });
  afterEach(async () => f.close());

  async function oneQueueWorkflow(queueExtra: Record<string, unknown> = {}) {
    const q = await f.queue('Support', '1==1', queueExtra);
    const wf = await f.workflow({ filters: [], default_filter: { queue: q.sid } });
    return { q, wf };
  }

  it('reserves a new task for an idle qualified worker, then accept → assigned → wrapping → completed', async () => {
    const q = await f.queue('Support', "skills HAS 'support'");
    const wf = await f.workflow({ filters: [{ expression: '1==1', targets: [{ queue: q.sid }] }] });
    await f.worker('bob', { skills: ['sales'] });
    const alice = await f.worker('alice', { skills: ['support'] });
    const task = await f.task(wf.sid, { type: 'support' });
    const [reservation] = await f.pending(task.sid);
    expect(reservation?.workerSid).toBe(alice.sid);
    expect((await f.fetchTask(task.sid)).assignmentStatus).toBe('reserved');

    const accepted = await f.api.tasks(task.sid).reservations(reservation!.sid).update({ reservationStatus: 'accepted' });
    expect(accepted.reservationStatus).toBe('accepted');
    expect((await f.fetchTask(task.sid)).assignmentStatus).toBe('assigned');
    const channel = await f.api.workers(alice.sid).workerChannels('default').fetch();
    expect(channel.assignedTasks).toBe(1);

    await f.api.tasks(task.sid).update({ assignmentStatus: 'wrapping' });
    expect((await f.api.tasks(task.sid).reservations(reservation!.sid).fetch()).reservationStatus).toBe('wrapping');
    const done = await f.api.tasks(task.sid).update({ assignmentStatus: 'completed', reason: 'resolved' });
    expect(done.assignmentStatus).toBe('completed');
    expect(done.reason).toBe('resolved');
    expect((await f.api.tasks(task.sid).reservations(reservation!.sid).fetch()).reservationStatus).toBe('completed');
    expect((await f.api.workers(alice.sid).workerChannels('default').fetch()).assignedTasks).toBe(0);
  });

  it('accepting and completing work on the records this process wrote last, reading nothing; records written elsewhere are read in one call each', async () => {
    await f.close();
    const calls: string[] = [];
    f = await routingFixture(observed(makeStore, (call) => calls.push(call)));
    const reads = () => calls.filter((call) => /^(get|range|readCounters)/.test(call));
    const { wf } = await oneQueueWorkflow();
    await f.worker('alice');
    const task = await f.task(wf.sid);
    const [reservation] = await f.pending(task.sid);

    calls.length = 0;
    await f.server.engine.updateReservation(f.ws.sid, { taskSid: task.sid }, reservation!.sid, { reservationStatus: 'accepted' });
    expect(reads()).toEqual([]);
    calls.length = 0;
    await f.server.engine.updateTask(f.ws.sid, task.sid, { assignmentStatus: 'completed', reason: 'done' });
    // Then the freed worker looks for work, at the heads the completing commit read back: nothing waits.
    expect(reads()).toEqual([]);
    expect((await f.fetchTask(task.sid)).assignmentStatus).toBe('completed');

    // Another instance on the same store keeps none of these records.
    const other = new RoutingEngine({ store: f.server.engine.store, accountSid: f.server.accountSid, clock: f.clock });
    const second = await f.task(wf.sid);
    const [offered] = await f.pending(second.sid);
    calls.length = 0;
    await other.updateReservation(f.ws.sid, { taskSid: second.sid }, offered!.sid, { reservationStatus: 'accepted' });
    // (Its first call reads the workspace's configuration too.)
    expect(reads().filter((call) => call !== 'get')).toEqual(['getLinked']);
    calls.length = 0;
    await other.updateTask(f.ws.sid, second.sid, { assignmentStatus: 'completed', reason: 'done' });
    expect(reads()).toEqual(['getLinked']);
  });

  it('a step working on records this process wrote last still sees what another instance wrote since', async () => {
    const { wf } = await oneQueueWorkflow();
    const w = await f.worker('alice');
    const task = await f.task(wf.sid, { lang: 'en' });
    const [reservation] = await f.pending(task.sid);
    const other = new RoutingEngine({ store: f.server.engine.store, accountSid: f.server.accountSid, clock: f.clock });
    await other.updateTask(f.ws.sid, task.sid, { attributes: JSON.stringify({ lang: 'es' }) });

    const accepted = await f.server.engine.updateReservation(f.ws.sid, { taskSid: task.sid }, reservation!.sid, { reservationStatus: 'accepted' });
    expect(accepted.status).toBe('accepted');
    let fetched = await f.fetchTask(task.sid);
    expect(fetched.assignmentStatus).toBe('assigned');
    expect(JSON.parse(fetched.attributes)).toEqual({ lang: 'es' });

    await other.updateTask(f.ws.sid, task.sid, { attributes: JSON.stringify({ lang: 'fr' }) });
    await f.server.engine.updateTask(f.ws.sid, task.sid, { assignmentStatus: 'completed', reason: 'done' });
    fetched = await f.fetchTask(task.sid);
    expect(fetched.assignmentStatus).toBe('completed');
    expect(JSON.parse(fetched.attributes)).toEqual({ lang: 'fr' });
    expect((await f.api.workers(w.sid).workerChannels('default').fetch()).assignedTasks).toBe(0);

    // What another instance changed is refused as it stands, not as this process last wrote it.
    const second = await f.task(wf.sid);
    const [offered] = await f.pending(second.sid);
    await other.updateReservation(f.ws.sid, { taskSid: second.sid }, offered!.sid, { reservationStatus: 'rejected' });
    await expect(f.server.engine.updateReservation(f.ws.sid, { taskSid: second.sid }, offered!.sid, { reservationStatus: 'accepted' })).rejects.toMatchObject({
      status: 400,
    });
    expect((await f.api.tasks(second.sid).reservations(offered!.sid).fetch()).reservationStatus).toBe('rejected');
    // Nothing left waiting for the sweep of later cases sharing the store.
    await f.api.tasks(second.sid).update({ assignmentStatus: 'canceled', reason: 'test over' });
  });

  it('a worker freed by a commit takes the best waiting task from the heads that commit read back', async () => {
    await f.close();
    const calls: string[] = [];
    f = await routingFixture(observed(makeStore, (call) => calls.push(call)));
    const { wf } = await oneQueueWorkflow();
    const w = await f.worker('alice');
    const first = await f.task(wf.sid);
    const [reservation] = await f.pending(first.sid);
    await f.server.engine.updateReservation(f.ws.sid, { taskSid: first.sid }, reservation!.sid, { reservationStatus: 'accepted' });
    const low = await f.task(wf.sid, {}, { priority: 1 });
    f.clock.advance(1000);
    const high = await f.task(wf.sid, {}, { priority: 7 });

    calls.length = 0;
    await f.server.engine.updateTask(f.ws.sid, first.sid, { assignmentStatus: 'completed', reason: 'done' });
    // The completing step works on the records accepting wrote (recent-writes.ts); the first look takes the task from
    // the heads read back; then, with room left on other channels, the worker is read again and looks once more
    // (nothing there for it).
    expect(calls.filter((call) => /^(get|range|readCounters)/.test(call))).toEqual(['get', 'rangeIndexHeads']);
    expect(calls.filter((call) => call === 'commit')).toHaveLength(2);
    expect((await f.pending(high.sid))[0]?.workerSid).toBe(w.sid);
    expect((await f.fetchTask(low.sid)).assignmentStatus).toBe('pending');
  });

  it('tasks created together in one queue each reserve a different idle worker, none losing a race for the same one', async () => {
    await f.close();
    const calls: string[] = [];
    f = await routingFixture(observed(makeStore, (call) => calls.push(call)));
    const { wf } = await oneQueueWorkflow();
    const workers = [];
    for (let i = 0; i < 6; i++) workers.push((await f.worker(`w${i}`)).sid);

    calls.length = 0;
    const engine = f.server.engine;
    const tasks = await Promise.all(Array.from({ length: 6 }, () => engine.createTask(f.ws.sid, { workflowSid: wf.sid, attributes: '{}' })));
    const reservedFor = tasks.map((task) => task.pendingReservations[0]?.workerSid);
    expect(new Set(reservedFor)).toEqual(new Set(workers));
    // One commit each: none read a worker another was reserving and lost the race for it.
    expect(calls.filter((call) => call === 'commit')).toHaveLength(6);
  });

  it('two tasks created together for the one idle worker: one is reserved, the other waits and is reserved when the worker is free', async () => {
    const { wf } = await oneQueueWorkflow();
    const w = await f.worker('alice');
    const engine = f.server.engine;
    const [a, b] = await Promise.all([0, 1].map(() => engine.createTask(f.ws.sid, { workflowSid: wf.sid, attributes: '{}' })));
    const [first, second] = a!.assignmentStatus === 'reserved' ? [a!, b!] : [b!, a!];
    expect(first.pendingReservations[0]?.workerSid).toBe(w.sid);
    expect((await f.fetchTask(second.sid)).assignmentStatus).toBe('pending');

    expect(await f.workThrough(w.sid, 2)).toEqual([first.sid, second.sid]);
  });

  it('a worker becoming available pulls the highest-priority, then longest-waiting task', async () => {
    const { wf } = await oneQueueWorkflow();
    const w = await f.worker('alice', {}, f.offline);
    const low = await f.task(wf.sid, {}, { priority: 1 });
    f.clock.advance(1000);
    const highOld = await f.task(wf.sid, {}, { priority: 5 });
    f.clock.advance(1000);
    const highNew = await f.task(wf.sid, {}, { priority: 5 });
    expect((await f.fetchTask(low.sid)).assignmentStatus).toBe('pending');

    await f.api.workers(w.sid).update({ activitySid: f.available });
    const order = await f.workThrough(w.sid, 3);
    expect(order).toEqual([highOld.sid, highNew.sid, low.sid]);
  });

  it('a worker in many queues looks at all their channels in one read, and takes the best task among them', async () => {
    await f.close();
    const calls: string[] = [];
    f = await routingFixture(observed(makeStore, (call) => calls.push(call)));
    const queues = [];
    for (let i = 0; i < 12; i++) queues.push(await f.queue(`Q${i}`, '1==1'));
    const wf = await f.workflow({ filters: queues.map((q, i) => ({ expression: `n == ${i}`, targets: [{ queue: q.sid }] })) });
    const w = await f.worker('alice', {}, f.offline);
    await f.task(wf.sid, { n: 2 }, { priority: 1 });
    const best = await f.task(wf.sid, { n: 7 }, { priority: 9 });
    await f.task(wf.sid, { n: 11 }, { priority: 5 });

    calls.length = 0;
    await f.server.engine.updateWorker(f.ws.sid, w.sid, { activitySid: f.available });
    const looks = calls.filter((call) => call === 'rangeIndexHeads').length;
    // One look finds the task; one more (the worker has room on other channels) finds nothing: never one per queue.
    expect(looks).toBeGreaterThanOrEqual(1);
    expect(looks).toBeLessThanOrEqual(2);
    expect(calls.filter((call) => call === 'rangeIndexRecords' || call === 'readCounters')).toEqual([]);
    expect((await f.pending(best.sid))[0]?.workerSid).toBe(w.sid);
  });

  it('reads just the head of the idle index for a task nothing else filters, and a window when a target expression may pass workers over', async () => {
    await f.close();
    const windows: unknown[] = [];
    f = await routingFixture(observed(makeStore, (call, args) => (call === 'rangeIndexRecords' && args[2] === 'worker' ? windows.push(args[3]) : 0)));
    const q = await f.queue('Support');
    const wf = await f.workflow({
      filters: [{ expression: "kind == 'vip'", targets: [{ queue: q.sid, expression: "worker.level == 'senior'" }] }],
      default_filter: { queue: q.sid },
    });
    const junior = await f.worker('junior', { level: 'junior' });
    f.clock.advance(1000);
    await f.worker('second junior', { level: 'junior' });
    f.clock.advance(1000);
    const senior = await f.worker('senior', { level: 'senior' });

    const plain = await f.task(wf.sid, { kind: 'plain' });
    expect(windows).toEqual([1]);
    expect((await f.pending(plain.sid))[0]!.workerSid).toBe(junior.sid);
    windows.length = 0;
    const vip = await f.task(wf.sid, { kind: 'vip' });
    expect(windows.length).toBeGreaterThan(0);
    expect(windows[0]).toBeGreaterThan(1);
    expect((await f.pending(vip.sid))[0]!.workerSid).toBe(senior.sid);
  });

  it('a LIFO queue hands out the newest task first', async () => {
    const { wf } = await oneQueueWorkflow({ taskOrder: 'LIFO' });
    const w = await f.worker('alice', {}, f.offline);
    const first = await f.task(wf.sid);
    f.clock.advance(1000);
    const second = await f.task(wf.sid);
    await f.api.workers(w.sid).update({ activitySid: f.available });
    const [r] = await f.api.workers(w.sid).reservations.list();
    expect(r!.taskSid).toBe(second.sid);
    expect(first.sid).not.toBe(second.sid);
  });

  it('a queue turned from FIFO to LIFO hands out its waiting tasks newest first from then on', async () => {
    const { q, wf } = await oneQueueWorkflow();
    const otherQueue = await f.queue('Other');
    const other = await f.workflow({ filters: [], default_filter: { queue: otherQueue.sid } });
    const w = await f.worker('alice', {}, f.offline);
    const first = await f.task(wf.sid);
    f.clock.advance(1000);
    const second = await f.task(wf.sid);
    f.clock.advance(1000);
    const third = await f.task(wf.sid);
    const elsewhere = await f.task(other.sid);
    await f.api.taskQueues(q.sid).update({ taskOrder: 'LIFO' });
    await f.api.workers(w.sid).update({ activitySid: f.available });
    const order = await f.workThrough(w.sid, 4);
    expect(order.filter((sid) => sid !== elsewhere.sid)).toEqual([third.sid, second.sid, first.sid]);
    expect(order).toContain(elsewhere.sid);
  });

  it('orders by VirtualStartTime, so a re-created task keeps its place in line', async () => {
    const { wf } = await oneQueueWorkflow();
    const w = await f.worker('alice', {}, f.offline);
    await f.task(wf.sid);
    f.clock.advance(1000);
    const recreated = await f.task(wf.sid, {}, { virtualStartTime: new Date(Date.now() - 3_600_000) });
    await f.api.workers(w.sid).update({ activitySid: f.available });
    const [r] = await f.api.workers(w.sid).reservations.list();
    expect(r!.taskSid).toBe(recreated.sid);
  });

  it('priority beats age across queues, and PrioritizeQueueOrder breaks ties between FIFO and LIFO queues', async () => {
    const fifo = await f.queue('Fifo');
    const lifo = await f.queue('Lifo', '1==1', { taskOrder: 'LIFO' });
    const wf = await f.workflow({
      filters: [
        { expression: "q == 'fifo'", targets: [{ queue: fifo.sid }] },
        { expression: "q == 'lifo'", targets: [{ queue: lifo.sid }] },
      ],
    });
    const w = await f.worker('alice', {}, f.offline);
    const oldLow = await f.task(wf.sid, { q: 'fifo' }, { priority: 1 });
    f.clock.advance(1000);
    const lifoTask = await f.task(wf.sid, { q: 'lifo' }, { priority: 2 });
    f.clock.advance(1000);
    const fifoTask = await f.task(wf.sid, { q: 'fifo' }, { priority: 2 });
    await f.api.workers(w.sid).update({ activitySid: f.available });
    const order = await f.workThrough(w.sid, 3);
    // Default PrioritizeQueueOrder is FIFO: at equal priority the FIFO queue's task goes first.
    expect(order).toEqual([fifoTask.sid, lifoTask.sid, oldLow.sid]);
  });

  it('offers a task to the longest-idle worker first', async () => {
    const { wf } = await oneQueueWorkflow();
    const early = await f.worker('early');
    f.clock.advance(5000);
    await f.worker('late');
    const t = await f.task(wf.sid);
    expect((await f.pending(t.sid))[0]!.workerSid).toBe(early.sid);
    // early just got a reservation: the next task goes to the other, now longer idle.
    const t2 = await f.task(wf.sid);
    expect((await f.pending(t2.sid))[0]!.workerSid).not.toBe(early.sid);
  });

  it('order_by ranks workers by an attribute, those lacking it last', async () => {
    const q = await f.queue('Support');
    const wf = await f.workflow({ filters: [{ expression: '1==1', targets: [{ queue: q.sid, order_by: 'worker.level DESC' }] }] });
    await f.worker('none', {});
    await f.worker('two', { level: 2 });
    const five = await f.worker('five', { level: 5 });
    const t = await f.task(wf.sid);
    expect((await f.pending(t.sid))[0]!.workerSid).toBe(five.sid);
  });

  it('multi-reservation: MaxReservedWorkers reservations at once, the first accept rescinds the rest', async () => {
    const { wf } = await oneQueueWorkflow({ maxReservedWorkers: 3 });
    const a = await f.worker('a');
    const b = await f.worker('b');
    const t = await f.task(wf.sid);
    const offered = await f.pending(t.sid);
    expect(offered.map((r) => r.workerSid).sort()).toEqual([a.sid, b.sid].sort());
    const c = await f.worker('c');
    expect((await f.pending(t.sid)).map((r) => r.workerSid)).toContain(c.sid);

    await f.api.tasks(t.sid).reservations(offered[1]!.sid).update({ reservationStatus: 'accepted' });
    const all = await f.api.tasks(t.sid).reservations.list();
    expect(all.filter((r) => r.reservationStatus === 'accepted')).toHaveLength(1);
    expect(all.filter((r) => r.reservationStatus === 'rescinded')).toHaveLength(2);
    const late = await f.api
      .tasks(t.sid)
      .reservations(offered[0]!.sid)
      .update({ reservationStatus: 'accepted' })
      .catch((e) => e);
    expect(late.status).toBe(400);
  });

  it('multitasking: a worker holds up to its channel capacity; raising capacity pulls the next task', async () => {
    const { wf } = await oneQueueWorkflow();
    const w = await f.worker('alice');
    await f.api.workers(w.sid).workerChannels('voice').update({ capacity: 2 });
    const tasks = [];
    for (let i = 0; i < 3; i++) tasks.push(await f.task(wf.sid, {}, { taskChannel: 'voice' }));
    const states = await Promise.all(tasks.map((t) => f.fetchTask(t.sid)));
    expect(states.map((t) => t.assignmentStatus)).toEqual(['reserved', 'reserved', 'pending']);
    const channel = await f.api.workers(w.sid).workerChannels('voice').fetch();
    expect(channel.assignedTasks).toBe(2);
    expect(channel.availableCapacityPercentage).toBe(0);
    await f.api.workers(w.sid).workerChannels('voice').update({ capacity: 3 });
    expect((await f.fetchTask(tasks[2]!.sid)).assignmentStatus).toBe('reserved');
    // Another channel has its own capacity.
    const sms = await f.task(wf.sid, {}, { taskChannel: 'sms' });
    expect((await f.fetchTask(sms.sid)).assignmentStatus).toBe('reserved');
  });

  it('capacity 0 or an unavailable channel stops new reservations on that channel', async () => {
    const { wf } = await oneQueueWorkflow();
    const w = await f.worker('alice');
    await f.api.workers(w.sid).workerChannels('voice').update({ capacity: 0 });
    await f.api.workers(w.sid).workerChannels('sms').update({ available: false });
    const voice = await f.task(wf.sid, {}, { taskChannel: 'voice' });
    const sms = await f.task(wf.sid, {}, { taskChannel: 'sms' });
    expect((await f.fetchTask(voice.sid)).assignmentStatus).toBe('pending');
    expect((await f.fetchTask(sms.sid)).assignmentStatus).toBe('pending');
    await f.api.workers(w.sid).workerChannels('sms').update({ available: true });
    expect((await f.fetchTask(sms.sid)).assignmentStatus).toBe('reserved');
  });

  it('a worker whose attributes change to match a queue pulls its waiting task', async () => {
    const q = await f.queue('Spanish', "languages HAS 'es'");
    const wf = await f.workflow({ filters: [], default_filter: { queue: q.sid } });
    const w = await f.worker('alice', { languages: ['en'] });
    const t = await f.task(wf.sid);
    expect((await f.fetchTask(t.sid)).assignmentStatus).toBe('pending');
    await f.api.workers(w.sid).update({ attributes: JSON.stringify({ languages: ['en', 'es'] }) });
    expect((await f.pending(t.sid))[0]!.workerSid).toBe(w.sid);
  });

  it("changing a queue's TargetWorkers re-computes membership and routes waiting tasks", async () => {
    const q = await f.queue('Support', "team == 'b'");
    const wf = await f.workflow({ filters: [], default_filter: { queue: q.sid } });
    const w = await f.worker('alice', { team: 'a' });
    const t = await f.task(wf.sid);
    expect(await f.pending(t.sid)).toHaveLength(0);
    expect(await f.api.workers.list({ taskQueueSid: q.sid })).toHaveLength(0);
    await f.api.taskQueues(q.sid).update({ targetWorkers: "team IN ['a','b']" });
    expect((await f.api.workers.list({ taskQueueSid: q.sid })).map((x) => x.sid)).toEqual([w.sid]);
    expect((await f.pending(t.sid))[0]!.workerSid).toBe(w.sid);
  });

  it('a single-tasking workspace holds one task per worker and applies reservation/assignment activities', async () => {
    await f.close();
    f = await routingFixture(makeStore, { multiTaskEnabled: false });
    const busy = await f.api.activities.create({ friendlyName: 'Busy', available: false });
    const reserved = await f.api.activities.create({ friendlyName: 'Reserved', available: false });
    const q = await f.queue('Support', '1==1', { reservationActivitySid: reserved.sid, assignmentActivitySid: busy.sid });
    const wf = await f.workflow({ filters: [], default_filter: { queue: q.sid } });
    const w = await f.worker('alice');
    const t1 = await f.task(wf.sid, {}, { taskChannel: 'voice' });
    const t2 = await f.task(wf.sid, {}, { taskChannel: 'sms' });
    expect((await f.fetchTask(t1.sid)).assignmentStatus).toBe('reserved');
    expect((await f.fetchTask(t2.sid)).assignmentStatus).toBe('pending');
    expect((await f.api.workers(w.sid).fetch()).activitySid).toBe(reserved.sid);
    const [r] = await f.pending(t1.sid);
    await f.api.tasks(t1.sid).reservations(r!.sid).update({ reservationStatus: 'accepted' });
    expect((await f.api.workers(w.sid).fetch()).activitySid).toBe(busy.sid);
  });

  it('RoutingTarget WK… reserves the task for that worker, ignoring capacity by default', async () => {
    const { q, wf } = await oneQueueWorkflow();
    const w = await f.worker('alice');
    const first = await f.task(wf.sid);
    expect((await f.pending(first.sid))[0]!.workerSid).toBe(w.sid);
    await f.worker('bob');
    const direct = await f.task(wf.sid, {}, { routingTarget: w.sid, taskQueueSid: q.sid });
    expect((await f.pending(direct.sid))[0]!.workerSid).toBe(w.sid);
    expect(direct.routingTarget).toBe(w.sid);
  });

  it('the sweep matches what a process that died between its commit and its matching left behind', async () => {
    await f.close();
    let failReads = false;
    // A store whose index reads fail on demand: the commit lands, the matching after it does not happen.
    f = await routingFixture(
      observed(makeStore, (call) => {
        if (failReads && call.startsWith('rangeIndex')) throw new Error('process died');
      }),
    );
    const { wf } = await oneQueueWorkflow();
    const w = await f.worker('alice', {}, f.offline);
    const t = await f.task(wf.sid);
    failReads = true;
    await expect(f.server.engine.updateWorker(f.ws.sid, w.sid, { activitySid: f.available })).rejects.toThrow();
    failReads = false;
    expect((await f.fetchTask(t.sid)).assignmentStatus).toBe('pending');
    expect(await f.server.engine.sweep()).toBe(1);
    expect((await f.pending(t.sid))[0]!.workerSid).toBe(w.sid);
  });

  it("tells a waiting task its place in line and an estimated wait from the queue's recent pace", async () => {
    const { wf } = await oneQueueWorkflow();
    const w = await f.worker('alice', {}, f.offline);
    const tasks = [];
    for (let i = 0; i < 4; i++) {
      tasks.push(await f.task(wf.sid, {}, { priority: i === 3 ? 5 : 0 }));
      f.clock.advance(1000);
    }
    const auth = 'Basic ' + Buffer.from(`${f.server.accountSid}:${f.server.authToken}`).toString('base64');
    const position = async (sid: string) =>
      (await fetch(`${f.server.url}/v1/Workspaces/${f.ws.sid}/Tasks/${sid}/QueuePosition`, { headers: { authorization: auth } })).json() as Promise<
        Record<string, unknown>
      >;
    // The priority-5 task jumps the line; nothing was reserved lately, so no estimate yet.
    expect(await position(tasks[3]!.sid)).toMatchObject({ position: 1, queue_length: 4, estimated_wait_time: null });
    expect(await position(tasks[2]!.sid)).toMatchObject({ position: 4 });
    // The worker goes through two tasks and is offered a third, all in this minute: a pace of 3 per 15 minutes.
    await f.api.workers(w.sid).update({ activitySid: f.available });
    await f.workThrough(w.sid, 2);
    expect((await f.fetchTask(tasks[1]!.sid)).assignmentStatus).toBe('reserved');
    const p = await position(tasks[2]!.sid);
    expect(p).toMatchObject({ position: 1, queue_length: 1, assignment_status: 'pending', pace_per_minute: 0.2 });
    expect(p.estimated_wait_time).toBe(Math.ceil((1 / (3 / 15)) * 60));
    // Out of the window, the pace is forgotten.
    f.clock.advance(16 * 60_000);
    expect(await position(tasks[2]!.sid)).toMatchObject({ position: 1, estimated_wait_time: null });
    expect(await position(tasks[3]!.sid)).toMatchObject({ position: null, assignment_status: 'completed' });
  });
}
