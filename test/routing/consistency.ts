import { expect } from 'vitest';
import type { ReservationRecord, TaskRecord, WorkerRecord } from '../../src/core/model.js';
import type { DerivedEntries } from '../../src/engine/derived/entries.js';
import { reservationEntries } from '../../src/engine/derived/reservation-indexer.js';
import { configIndexes, queueGroup, WORKERS_GROUP, workflowGroup, WORKSPACE_GROUP } from '../../src/engine/derived/schema.js';
import { taskEntries } from '../../src/engine/derived/task-indexer.js';
import { workerEntries } from '../../src/engine/derived/worker-indexer.js';
import { channelState } from '../../src/engine/worker-channels.js';
import { loadWorkspaceConfig } from '../../src/engine/workspace-config.js';
import type { RoutingStore } from '../../src/store/routing-store.js';

const LIVE = new Set(['pending', 'accepted', 'wrapping']);

/**
 * Checks a workspace's routing state is consistent: no task held by two workers, task states agree with their
 * reservations, every worker's task count matches its live reservations and stays within capacity when
 * `strictCapacity` (capacities were not lowered under live reservations), and the indexes hold exactly what the records say.
 */
export async function checkConsistency(store: RoutingStore, ws: string, strictCapacity = false): Promise<void> {
  const config = await loadWorkspaceConfig(store, ws);
  const tasks = await store.list(ws, 'task');
  const workers = await store.list(ws, 'worker');
  const reservations = await store.list(ws, 'reservation');
  const byTask = new Map<string, ReservationRecord[]>();
  for (const r of reservations) byTask.set(r.taskSid, [...(byTask.get(r.taskSid) ?? []), r]);

  for (const task of tasks) checkTask(task, byTask.get(task.sid) ?? []);
  for (const worker of workers)
    checkWorker(
      worker,
      reservations,
      config.channels.map((c) => c.sid),
      strictCapacity,
    );

  // Index members and counters are exactly what the records' indexers say they should be.
  const members = new Map<string, string[]>();
  const counted = new Map<string, Record<string, number>>();
  const collect = (entries: DerivedEntries) =>
    entries.each({
      index: (_, index, member) => members.set(index, [...(members.get(index) ?? []), member]),
      count: (group, key) => {
        const counters = counted.get(group) ?? {};
        counters[key] = (counters[key] ?? 0) + 1;
        counted.set(group, counters);
      },
    });
  for (const t of tasks) collect(taskEntries(t, config));
  for (const w of workers) collect(workerEntries(w, config));
  for (const r of reservations) collect(reservationEntries(r));
  const scopes = [WORKSPACE_GROUP, ...[...config.queues.keys()].map(queueGroup), ...[...config.workflows.keys()].map(workflowGroup)];
  for (const group of new Set<string>([...counted.keys(), WORKERS_GROUP, ...scopes])) {
    expect(await store.readCounters(ws, group), `counters ${group}`).toEqual(counted.get(group) ?? {});
  }
  for (const index of new Set<string>([...members.keys(), ...configIndexes(config)])) {
    expect(await store.rangeIndex(ws, index, 100_000), `index ${index}`).toEqual((members.get(index) ?? []).sort());
  }
}

function checkTask(task: TaskRecord, reservations: ReservationRecord[]): void {
  const transfer = task.transfer;
  // A transfer's live offer is the task's one pending reservation outside routing's; the reservations of workers a
  // transfer took the task from stay theirs to wrap up and complete.
  const offer = reservations.filter((r) => r.sid === transfer?.offerSid);
  if (transfer?.status === 'initiated') expect(offer.map((r) => r.status)).toEqual(['pending']);
  else expect(offer).toHaveLength(0);
  const ownReservations = reservations.filter(
    (r) => r.sid !== transfer?.offerSid && (!transfer || r.sid === task.reservationSid || (r.transferSid === undefined && r.status === 'pending')),
  );
  const pending = ownReservations.filter((r) => r.status === 'pending');
  const holding = ownReservations.filter((r) => ['accepted', 'wrapping', 'completed'].includes(r.status));
  // A cold transfer's initiator wraps up at once, and may complete while the transfer is under way; a canceled one
  // leaves the task with them, wrapping.
  const held = transfer?.mode === 'COLD' && transfer.status !== 'complete' ? ['wrapping', 'completed'] : ['accepted'];
  expect(holding.length, `task ${task.sid} held by several`).toBeLessThanOrEqual(1);
  expect(task.pendingReservations.map((r) => r.sid).sort()).toEqual(pending.map((r) => r.sid).sort());
  switch (task.assignmentStatus) {
    case 'pending':
      expect(pending).toHaveLength(0);
      expect(holding).toHaveLength(0);
      break;
    case 'reserved':
      expect(pending.length).toBeGreaterThan(0);
      expect(holding).toHaveLength(0);
      break;
    case 'assigned':
    case 'wrapping':
      expect(pending).toHaveLength(0);
      expect(task.assignmentStatus === 'assigned' ? held : ['wrapping']).toContain(holding[0]?.status);
      break;
    case 'completed':
      expect(pending).toHaveLength(0);
      expect(holding[0]?.status).toBe('completed');
      break;
    case 'canceled':
      expect(pending).toHaveLength(0);
      expect(holding).toHaveLength(0);
  }
}

function checkWorker(worker: WorkerRecord, reservations: ReservationRecord[], channels: string[], strictCapacity: boolean): void {
  for (const channel of channels) {
    const live = reservations.filter((r) => r.workerSid === worker.sid && r.taskChannelSid === channel && LIVE.has(r.status));
    const st = channelState(worker, channel);
    expect(st.taskCount, `worker ${worker.friendlyName} task count`).toBe(live.length);
    if (strictCapacity) expect(st.taskCount, `worker ${worker.friendlyName} over capacity`).toBeLessThanOrEqual(st.capacity);
  }
}
