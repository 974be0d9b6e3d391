import { expect } from 'vitest';
import type { ReservationRecord, TaskRecord, WorkerRecord } from '../../src/core/model.js';
import { taskIndexEntries } from '../../src/engine/task-state.js';
import { channelState } from '../../src/engine/worker-channels.js';
import { workerIndexEntries } from '../../src/engine/worker-state.js';
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

  // Index entries and counters are exactly what the records say they should be.
  const entries = new Set<string>();
  const counted = new Map<string, Record<string, number>>();
  const collect = (e: string) => {
    if (!e.startsWith('#')) return entries.add(e);
    const [group, key] = e.slice(1).split('\u0000') as [string, string];
    const counters = counted.get(group) ?? {};
    counters[key] = (counters[key] ?? 0) + 1;
    counted.set(group, counters);
  };
  for (const t of tasks) for (const e of taskIndexEntries(t, config)) collect(e);
  for (const w of workers) for (const e of workerIndexEntries(w, config)) collect(e);
  const groups = new Set([...counted.keys(), 'ws', 'workers', ...[...config.queues.keys()].map((q) => `q:${q}`)]);
  for (const group of groups) expect(await store.readCounters(ws, group), `counters ${group}`).toEqual(counted.get(group) ?? {});
  const expected = entries;
  const actual = new Set<string>();
  for (const index of new Set([...expected].map((e) => e.split('\u0000')[0]!).concat(indexNames(config)))) {
    for (const m of await store.rangeIndex(ws, index, 100_000)) actual.add(`${index}\u0000${m}`);
  }
  expect([...actual].sort()).toEqual([...expected].sort());
}

function indexNames(config: Awaited<ReturnType<typeof loadWorkspaceConfig>>): string[] {
  const names: string[] = ['age:ws', ...[...config.workflows.keys()].map((w) => `age:wf:${w}`)];
  for (const q of config.queues.keys()) {
    names.push(`members:${q}`, `age:q:${q}`, `entered:${q}`);
    for (const c of config.channels) names.push(`pending:${q}:${c.sid}`, `idle:${q}:${c.sid}`);
  }
  return names;
}

function checkTask(task: TaskRecord, reservations: ReservationRecord[]): void {
  const pending = reservations.filter((r) => r.status === 'pending');
  const holding = reservations.filter((r) => ['accepted', 'wrapping', 'completed'].includes(r.status));
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
      expect(holding[0]?.status).toBe(task.assignmentStatus === 'assigned' ? 'accepted' : 'wrapping');
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
