import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TaskRouterEvent } from '../../src/core/events/index.js';
import type { TransferInput } from '../../src/engine/commands.js';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { checkConsistency } from './consistency.js';
import { routingFixture, type RoutingFixture } from './fixture.js';

/** Transfers of an assigned task by the worker holding it: to a worker or a queue, warm or cold, refused, canceled. */
export function transferCases(makeStore: () => Promise<RoutingStore>): void {
  let f: RoutingFixture;
  let events: TaskRouterEvent[];
  beforeEach(async () => {
    f = await routingFixture(makeStore);
    events = [];
    f.server.engine.onEvent((event) => events.push(event));
  });
  afterEach(async () => f.close());

  /** Transfer events seen so far, by type, with the transfer's status each carried. */
  const transferEvents = () =>
    events.filter((e) => e.eventType.startsWith('task.transfer-')).map((e) => [e.eventType, (e.data as { transfer_status?: string }).transfer_status]);

  /** A task in queue Support, accepted by alice; bob and carol are in Support too but were unavailable for it. */
  async function heldTask() {
    const support = await f.queue('Support', "team == 'support'");
    const wf = await f.workflow({ filters: [], default_filter: { queue: support.sid } }, { taskReservationTimeout: 30 });
    const alice = await f.worker('alice', { team: 'support' });
    const t = await f.task(wf.sid, { customer: 'Ada' });
    const [r] = await f.pending(t.sid);
    await f.api.tasks(t.sid).reservations(r!.sid).update({ reservationStatus: 'accepted' });
    const bob = await f.worker('bob', { team: 'support' });
    const carol = await f.worker('carol', { team: 'support' });
    return { support, wf, alice, bob, carol, t, r: r! };
  }

  const transfer = (workerSid: string, input: TransferInput) => f.server.engine.transferTask(f.ws.sid, workerSid, input);
  const store = () => f.server.engine.store;

  it('warm to a worker: the same task is offered to them, the initiator stays on until they accept and then wraps up alone', async () => {
    const { alice, bob, t, r } = await heldTask();
    const { transfer: started } = await transfer(alice.sid, {
      reservationSid: r.sid,
      taskSid: t.sid,
      to: bob.sid,
      attributes: '{"customer":"Ada","note":"VIP"}',
    });
    expect(started).toMatchObject({
      mode: 'WARM',
      type: 'WORKER',
      to: bob.sid,
      status: 'initiated',
      initiatingReservationSid: r.sid,
      initiatingWorkerSid: alice.sid,
    });
    const [offer] = await f.api.workers(bob.sid).reservations.list({ reservationStatus: 'pending' });
    expect(offer!.taskSid).toBe(t.sid);
    expect((await store().get(f.ws.sid, 'reservation', offer!.sid))!.transferSid).toBe(started.sid);
    expect((await f.api.tasks(t.sid).reservations(r.sid).fetch()).reservationStatus).toBe('accepted');
    const during = await f.fetchTask(t.sid);
    expect([during.assignmentStatus, JSON.parse(during.attributes)]).toEqual(['assigned', { customer: 'Ada', note: 'VIP' }]);
    await checkConsistency(store(), f.ws.sid);

    await f.api.workers(bob.sid).reservations(offer!.sid).update({ reservationStatus: 'accepted' });
    const task = await store().get(f.ws.sid, 'task', t.sid);
    expect([task!.workerSid, task!.reservationSid, task!.assignmentStatus, task!.transfer!.status]).toEqual([bob.sid, offer!.sid, 'assigned', 'complete']);
    expect(transferEvents()).toEqual([
      ['task.transfer-initiated', 'initiated'],
      ['task.transfer-completed', 'complete'],
    ]);

    // The initiator's wrap-up and completion are theirs alone: the task stays with bob.
    await f.api.workers(alice.sid).reservations(r.sid).update({ reservationStatus: 'wrapping' });
    await f.api.workers(alice.sid).reservations(r.sid).update({ reservationStatus: 'completed' });
    expect((await f.fetchTask(t.sid)).assignmentStatus).toBe('assigned');
    await checkConsistency(store(), f.ws.sid);
    await f.api.tasks(t.sid).update({ assignmentStatus: 'completed', reason: 'resolved' });
    expect((await f.api.tasks(t.sid).reservations(offer!.sid).fetch()).reservationStatus).toBe('completed');
    await checkConsistency(store(), f.ws.sid);
  });

  it('cold to a queue: the initiator wraps up at once, the queue is offered it worker by worker, and with no one left the task goes back through its workflow', async () => {
    const { support, alice, bob, carol, t, r } = await heldTask();
    await transfer(alice.sid, { reservationSid: r.sid, taskSid: t.sid, to: support.sid, mode: 'COLD' });
    expect((await f.api.tasks(t.sid).reservations(r.sid).fetch()).reservationStatus).toBe('wrapping');
    const offers = async () => [
      ...(await f.pending(t.sid)),
      ...(await f.api.workers(bob.sid).reservations.list({ reservationStatus: 'pending' })),
      ...(await f.api.workers(carol.sid).reservations.list({ reservationStatus: 'pending' })),
    ];
    const [first] = await offers();
    expect([bob.sid, carol.sid]).toContain(first!.workerSid);
    // The initiator is done with the customer: completing their reservation leaves the transfer to run its course.
    await f.api.workers(alice.sid).reservations(r.sid).update({ reservationStatus: 'completed' });
    await checkConsistency(store(), f.ws.sid);

    await f.api.workers(first!.workerSid).reservations(first!.sid).update({ reservationStatus: 'rejected' });
    const [second] = await offers();
    expect(second!.workerSid).toBe(first!.workerSid === bob.sid ? carol.sid : bob.sid);
    await f.elapse(31);
    expect(transferEvents()).toEqual([
      ['task.transfer-initiated', 'initiated'],
      ['task.transfer-attempt-failed', 'initiated'],
      ['task.transfer-attempt-failed', 'initiated'],
      ['task.transfer-failed', 'failed'],
    ]);
    expect((await f.api.tasks(t.sid).reservations(second!.sid).fetch()).reservationStatus).toBe('timeout');
    // Back in its workflow, the task goes to whoever may take it: not those who refused it, but alice, free again.
    const task = await store().get(f.ws.sid, 'task', t.sid);
    expect([task!.assignmentStatus, task!.workerSid, task!.reservationSid]).toEqual(['reserved', null, null]);
    expect(task!.rejectedWorkerSids.sort()).toEqual([bob.sid, carol.sid].sort());
    expect((await f.pending(t.sid)).map((p) => p.workerSid)).toEqual([alice.sid]);
    await checkConsistency(store(), f.ws.sid);
  });

  it("cold to a queue whose worker accepts: the task is theirs, and they move to the queue's assignment activity", async () => {
    await f.close();
    f = await routingFixture(makeStore, { multiTaskEnabled: false });
    f.server.engine.onEvent((event) => events.push(event));
    const { support, alice, bob, carol, t, r } = await heldTask();
    await f.api.workers(carol.sid).update({ activitySid: f.offline });
    const busy = f.activity('Unavailable');
    await f.api.taskQueues(support.sid).update({ assignmentActivitySid: busy });
    await transfer(alice.sid, { reservationSid: r.sid, taskSid: t.sid, to: support.sid, mode: 'COLD' });
    const [offer] = await f.api.workers(bob.sid).reservations.list({ reservationStatus: 'pending' });
    await f.api.workers(bob.sid).reservations(offer!.sid).update({ reservationStatus: 'accepted' });
    expect((await f.fetchTask(t.sid)).assignmentStatus).toBe('assigned');
    expect((await store().get(f.ws.sid, 'task', t.sid))!.workerSid).toBe(bob.sid);
    expect((await f.api.workers(bob.sid).fetch()).activitySid).toBe(busy);
    expect(transferEvents().map(([type]) => type)).toEqual(['task.transfer-initiated', 'task.transfer-completed']);
    await f.api.workers(alice.sid).reservations(r.sid).update({ reservationStatus: 'completed' });
    await checkConsistency(store(), f.ws.sid);
  });

  it('a worker target who rejects fails a warm transfer: the task stays with the initiator, who may transfer it again', async () => {
    const { alice, bob, carol, t, r } = await heldTask();
    await transfer(alice.sid, { reservationSid: r.sid, taskSid: t.sid, to: bob.sid });
    const [offer] = await f.api.workers(bob.sid).reservations.list({ reservationStatus: 'pending' });
    await f.api.workers(bob.sid).reservations(offer!.sid).update({ reservationStatus: 'rejected' });
    const task = await store().get(f.ws.sid, 'task', t.sid);
    expect([task!.assignmentStatus, task!.workerSid, task!.reservationSid, task!.transfer!.status]).toEqual(['assigned', alice.sid, r.sid, 'failed']);
    expect((await f.api.tasks(t.sid).reservations(r.sid).fetch()).reservationStatus).toBe('accepted');
    await checkConsistency(store(), f.ws.sid);
    const { transfer: again } = await transfer(alice.sid, { reservationSid: r.sid, taskSid: t.sid, to: carol.sid });
    expect(again.status).toBe('initiated');
    expect(transferEvents().map(([type]) => type)).toEqual(['task.transfer-initiated', 'task.transfer-failed', 'task.transfer-initiated']);
  });

  it('a target going unavailable with RejectPendingReservations refuses the offer: the next queue worker is offered it', async () => {
    const { support, alice, bob, carol, t, r } = await heldTask();
    await transfer(alice.sid, { reservationSid: r.sid, taskSid: t.sid, to: support.sid });
    const [first] = [
      ...(await f.api.workers(bob.sid).reservations.list({ reservationStatus: 'pending' })),
      ...(await f.api.workers(carol.sid).reservations.list({ reservationStatus: 'pending' })),
    ];
    await f.api.workers(first!.workerSid).update({ activitySid: f.offline, rejectPendingReservations: true });
    expect((await f.api.tasks(t.sid).reservations(first!.sid).fetch()).reservationStatus).toBe('rejected');
    const offer = (await store().get(f.ws.sid, 'task', t.sid))!.transfer!.offerSid;
    expect((await store().get(f.ws.sid, 'reservation', offer!))!.workerSid).toBe(first!.workerSid === bob.sid ? carol.sid : bob.sid);
    expect(transferEvents().map(([type]) => type)).toEqual(['task.transfer-initiated', 'task.transfer-attempt-failed']);
    await checkConsistency(store(), f.ws.sid);
  });

  it('the initiator cancels before the target accepts: the offer is rescinded and the transfer canceled', async () => {
    const { alice, bob, t, r } = await heldTask();
    const { transfer: started } = await transfer(alice.sid, { reservationSid: r.sid, taskSid: t.sid, to: bob.sid });
    const [offer] = await f.api.workers(bob.sid).reservations.list({ reservationStatus: 'pending' });
    const stranger = await f.server.engine.cancelTransfer(f.ws.sid, bob.sid, started.sid, t.sid).catch((e: unknown) => e);
    expect(stranger).toMatchObject({ status: 404 });
    const { transfer: canceled } = await f.server.engine.cancelTransfer(f.ws.sid, alice.sid, started.sid, t.sid);
    expect(canceled.status).toBe('canceled');
    expect((await f.api.tasks(t.sid).reservations(offer!.sid).fetch()).reservationStatus).toBe('rescinded');
    expect((await store().get(f.ws.sid, 'task', t.sid))!.workerSid).toBe(alice.sid);
    const twice = await f.server.engine.cancelTransfer(f.ws.sid, alice.sid, started.sid, t.sid).catch((e: unknown) => e);
    expect(twice).toMatchObject({ status: 400 });
    expect(transferEvents().map(([type]) => type)).toEqual(['task.transfer-initiated', 'task.transfer-canceled']);
    await checkConsistency(store(), f.ws.sid);
  });

  it('a canceled cold transfer leaves the task with the initiator, wrapping up, who completes it', async () => {
    const { support, alice, t, r } = await heldTask();
    const { transfer: started } = await transfer(alice.sid, { reservationSid: r.sid, taskSid: t.sid, to: support.sid, mode: 'COLD' });
    await f.server.engine.cancelTransfer(f.ws.sid, alice.sid, started.sid, t.sid);
    expect((await f.api.tasks(t.sid).reservations(r.sid).fetch()).reservationStatus).toBe('wrapping');
    expect((await store().get(f.ws.sid, 'task', t.sid))!.workerSid).toBe(alice.sid);
    await checkConsistency(store(), f.ws.sid);
    await f.api.workers(alice.sid).reservations(r.sid).update({ reservationStatus: 'completed' });
    expect((await f.fetchTask(t.sid)).assignmentStatus).toBe('completed');
    await checkConsistency(store(), f.ws.sid);
  });

  it('refuses bad transfers with Twilio errors, changing nothing', async () => {
    const { wf, alice, bob, t, r } = await heldTask();
    const other = await f.server.client.taskrouter.v1.workspaces.create({ friendlyName: `other ${Math.random()}` });
    const foreign = await f.server.client.taskrouter.v1.workspaces(other.sid).workers.create({ friendlyName: 'zed' });
    const waiting = await f.task(wf.sid);
    const [offered] = await f.pending(waiting.sid);
    const before = await store().get(f.ws.sid, 'task', t.sid);
    const refusal = (workerSid: string, input: TransferInput) =>
      transfer(workerSid, input).then(
        () => null,
        (e: { status: number; code: number }) => [e.status, e.code],
      );
    const base = { reservationSid: r.sid, taskSid: t.sid, to: bob.sid };
    expect(await refusal(alice.sid, { ...base, to: 'WK' + '0'.repeat(32) })).toEqual([404, 20404]);
    expect(await refusal(alice.sid, { ...base, to: foreign.sid })).toEqual([404, 20404]);
    expect(await refusal(alice.sid, { ...base, to: 'WQ' + '0'.repeat(32) })).toEqual([404, 20404]);
    expect(await refusal(alice.sid, { ...base, to: alice.sid })).toEqual([400, 20001]);
    expect(await refusal(alice.sid, { ...base, mode: 'LUKEWARM' })).toEqual([400, 20001]);
    expect(await refusal(bob.sid, base)).toEqual([404, 20404]);
    expect(await refusal(alice.sid, { ...base, taskSid: waiting.sid })).toEqual([400, 20001]);
    expect(await refusal(offered!.workerSid, { reservationSid: offered!.sid, taskSid: waiting.sid, to: bob.sid })).toEqual([400, 20001]);
    expect(await store().get(f.ws.sid, 'task', t.sid)).toEqual(before);
    expect(transferEvents()).toEqual([]);

    await transfer(alice.sid, base);
    expect(await refusal(alice.sid, base)).toEqual([400, 20001]);
    expect(transferEvents()).toHaveLength(1);
    await checkConsistency(store(), f.ws.sid);
  });
}
