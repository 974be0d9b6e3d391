import type { Reservation, Worker } from 'twilio-taskrouter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bothStores } from '../helpers/both-stores.js';
import type { TestServer } from '../helpers/server.js';
import { next, type OneQueueWorkspace, oneQueueWorkspace, readyWorker, sdkToken, startSdkServer, until } from './sdk-helpers.js';

const STORES = bothStores('sdk-transfers');

/** The SDK's view of a transfer (its Transfer and OutgoingTransfer objects), as far as these tests read it. */
interface SdkTransfer {
  sid: string;
  mode: string;
  type: string;
  to: string;
  status: string;
  workerSid: string;
  reservationSid: string;
  once(event: string, listener: (transfer: SdkTransfer) => void): unknown;
  cancel(): Promise<SdkTransfer>;
}
interface Transfers {
  incoming: SdkTransfer | null;
  outgoing: SdkTransfer | null;
}
const transfersOf = (reservation: Reservation): Transfers => (reservation.task as unknown as { transfers: Transfers }).transfers;

describe.each(STORES)('task transfers through the real worker SDK (%s store)', (_name, makeStore) => {
  let server: TestServer;
  let center: OneQueueWorkspace;
  const workers: Worker[] = [];

  beforeAll(async () => {
    server = await startSdkServer(await makeStore());
    center = await oneQueueWorkspace(server, 'Transfers');
  });
  afterEach(async () => {
    for (const worker of workers.splice(0)) worker.disconnect();
    const tr = server.client.taskrouter.v1.workspaces(center.workspaceSid);
    for (const w of await tr.workers.list()) await tr.workers(w.sid).update({ activitySid: center.offline, rejectPendingReservations: true });
  });
  afterAll(() => server.close());

  let hired = 0;
  async function agent(name: string): Promise<{ sid: string; worker: Worker }> {
    const friendlyName = `${name} ${++hired}`;
    const sid = (await server.client.taskrouter.v1.workspaces(center.workspaceSid).workers.create({ friendlyName, activitySid: center.offline })).sid;
    const worker = await readyWorker(server, center.workspaceSid, sid);
    workers.push(worker);
    return { sid, worker };
  }

  /** alice takes a new task; bob is in the same queue, available once she holds it. */
  async function aliceHoldsATask() {
    const alice = await agent('alice');
    const bob = await agent('bob');
    const tr = server.client.taskrouter.v1.workspaces(center.workspaceSid);
    await tr.workers(alice.sid).update({ activitySid: center.available });
    const offered = next<Reservation>(alice.worker, 'reservationCreated');
    const task = await tr.tasks.create({ workflowSid: center.workflowSid, attributes: JSON.stringify({ customer: 'Ada' }) });
    const reservation = await offered;
    const accepted = next(reservation, 'accepted');
    await reservation.accept();
    await accepted;
    await tr.workers(bob.sid).update({ activitySid: center.available });
    return { alice, bob, task, reservation };
  }

  const storedTask = (sid: string) => server.engine.store.get(center.workspaceSid, 'task', sid);

  it('warm to a worker: the target is offered the same task with its incoming transfer, and accepting completes it', async () => {
    const { alice, bob, task, reservation } = await aliceHoldsATask();
    const offered = next<Reservation>(bob.worker, 'reservationCreated');
    const initiated = next<SdkTransfer>(reservation.task, 'transferInitiated');
    await reservation.task.transfer(bob.sid, { mode: 'WARM', attributes: { customer: 'Ada', note: 'VIP' } } as never);
    const outgoing = transfersOf(reservation).outgoing!;
    expect([outgoing.mode, outgoing.type, outgoing.to, outgoing.status]).toEqual(['WARM', 'WORKER', bob.sid, 'initiated']);
    expect((await initiated).sid).toBe(outgoing.sid);

    const incoming = await offered;
    expect(incoming.task.sid).toBe(task.sid);
    expect(incoming.task.attributes).toEqual({ customer: 'Ada', note: 'VIP' });
    const transfer = transfersOf(incoming).incoming!;
    expect([transfer.sid, transfer.mode, transfer.type, transfer.workerSid, transfer.reservationSid]).toEqual([
      outgoing.sid,
      'WARM',
      'WORKER',
      alice.sid,
      reservation.sid,
    ]);
    expect(reservation.status).toBe('accepted');

    const completed = next<SdkTransfer>(outgoing, 'completed');
    await incoming.accept();
    expect((await completed).status).toBe('complete');
    expect((await storedTask(task.sid))!.workerSid).toBe(bob.sid);

    // The initiator wraps up and completes their own reservation; the task stays bob's.
    await reservation.wrap();
    await reservation.complete();
    expect((await storedTask(task.sid))!.assignmentStatus).toBe('assigned');
    const done = next(incoming.task, 'completed');
    await incoming.task.complete('resolved');
    await done;
  });

  it('cold to a queue: the initiator wraps up at once and the queue worker gets the task', async () => {
    const { bob, task, reservation } = await aliceHoldsATask();
    const offered = next<Reservation>(bob.worker, 'reservationCreated');
    const wrapped = next(reservation, 'wrapup');
    await reservation.task.transfer(center.queueSid, { mode: 'COLD' });
    await wrapped;
    expect(reservation.status).toBe('wrapping');
    const incoming = await offered;
    expect(transfersOf(incoming).incoming!.type).toBe('QUEUE');
    const completed = next<SdkTransfer>(transfersOf(reservation).outgoing!, 'completed');
    await incoming.accept();
    await completed;
    expect((await storedTask(task.sid))!.workerSid).toBe(bob.sid);
    await reservation.complete();
    expect((await storedTask(task.sid))!.assignmentStatus).toBe('assigned');
  });

  it('a worker target who rejects fails the transfer: the task stays with the initiator', async () => {
    const { alice, bob, task, reservation } = await aliceHoldsATask();
    const offered = next<Reservation>(bob.worker, 'reservationCreated');
    await reservation.task.transfer(bob.sid, {});
    const failed = next<SdkTransfer>(transfersOf(reservation).outgoing!, 'failed');
    await (await offered).reject();
    expect((await failed).status).toBe('failed');
    const stored = await storedTask(task.sid);
    expect([stored!.workerSid, stored!.assignmentStatus]).toEqual([alice.sid, 'assigned']);
    expect(reservation.status).toBe('accepted');
  });

  it('the initiator cancels: the offer is rescinded and the transfer canceled', async () => {
    const { bob, reservation } = await aliceHoldsATask();
    const offered = next<Reservation>(bob.worker, 'reservationCreated');
    await reservation.task.transfer(bob.sid, {});
    const incoming = await offered;
    const rescinded = next(incoming, 'rescinded');
    const outgoing = transfersOf(reservation).outgoing!;
    const canceled = next<SdkTransfer>(outgoing, 'canceled');
    await outgoing.cancel();
    await rescinded;
    expect((await canceled).status).toBe('canceled');
    await until(() => bob.worker.reservations.size === 0 || incoming.status === 'rescinded', "bob's offer rescinded");
  });

  it('refuses a transfer of a task not accepted, a second one under way, and one through another worker, changing nothing', async () => {
    const { alice, bob, task, reservation } = await aliceHoldsATask();
    const offered = next<Reservation>(bob.worker, 'reservationCreated');
    await reservation.task.transfer(bob.sid, {});
    await expect(reservation.task.transfer(bob.sid, {})).rejects.toThrow(/status code 400/);
    // bob is only offered the task: he may not pass it on.
    const incoming = await offered;
    await expect(incoming.task.transfer(alice.sid, {})).rejects.toThrow(/status code 400/);

    // bob's token on alice's path: refused before anything is read.
    const res = await fetch(`${server.url}/v1/wschannels`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({
        url: `Workspaces/${center.workspaceSid}/Workers/${alice.sid}/Transfers`,
        method: 'POST',
        params: { ReservationSid: reservation.sid, TaskSid: task.sid, To: bob.sid },
        token: sdkToken(server, { workspaceSid: center.workspaceSid, workerSid: bob.sid, role: 'worker' }),
      }),
    });
    expect([res.status, ((await res.json()) as { code: number }).code]).toEqual([403, 20403]);
    const stored = await storedTask(task.sid);
    expect([stored!.workerSid, stored!.transfer!.status]).toEqual([alice.sid, 'initiated']);
  });
});
