import { expect, it } from 'vitest';
import type { Clock } from '../../src/engine/clock.js';
import { RoutingEngine } from '../../src/engine/engine.js';
import type { RoutingStore } from '../../src/store/routing-store.js';

const MAX_PRIORITY = 2_147_483_647;
const START = Date.UTC(2024, 4, 1, 9, 30, 15, 250);

const time = (ms: number): string => String(ms).padStart(15, '0');

/**
 * The names, members and counter keys routing persists, spelled out as data already written holds them: a store
 * filled by an earlier release must read the same after an upgrade, so none of them may change.
 */
export function layoutCases(makeStore: () => Promise<RoutingStore>): void {
  it('persists index members and counters under the names and encodings stored data uses', async () => {
    const store = await makeStore();
    let now = START;
    const clock: Clock = { now: () => now };
    const engine = new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32), clock });
    try {
      const ws = (await engine.createWorkspace({ friendlyName: 'layout' })).sid;
      const activities = await store.list(ws, 'activity');
      const available = activities.find((a) => a.friendlyName === 'Available')!.sid;
      const offline = activities.find((a) => a.friendlyName === 'Offline')!.sid;
      const voice = (await store.list(ws, 'taskChannel')).find((c) => c.uniqueName === 'voice')!.sid;
      const queue = (await engine.createTaskQueue(ws, { friendlyName: 'Q', targetWorkers: '1==1' })).sid;
      const workflow = (
        await engine.createWorkflow(ws, { friendlyName: 'WF', configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue } } }) })
      ).sid;
      const worker = (await engine.createWorker(ws, { friendlyName: 'alice', activitySid: offline })).sid;
      now += 1_000;
      const task = (await engine.createTask(ws, { workflowSid: workflow, taskChannel: 'voice', priority: 5 })).sid;

      const created = time(START + 1_000);
      const pending = `${String(MAX_PRIORITY - 5).padStart(10, '0')}${created}:${task}`;
      const range = (index: string) => store.rangeIndex(ws, index, 100);
      expect(await range(`pending:${queue}:${voice}`)).toEqual([pending]);
      for (const index of ['age:ws', `age:q:${queue}`, `age:wf:${workflow}`, `entered:${queue}`]) {
        expect(await range(index), index).toEqual([`${created}:${task}`]);
      }
      expect(await range(`members:${queue}`)).toEqual([worker]);
      expect(await range(`idle:${queue}:${voice}`)).toEqual([]);
      const waiting = { [`status:pending:${voice}`]: 1, [`priority:5:${voice}`]: 1 };
      expect(await store.readCounters(ws, 'ws')).toEqual(waiting);
      expect(await store.readCounters(ws, `wf:${workflow}`)).toEqual(waiting);
      expect(await store.readCounters(ws, `q:${queue}`)).toEqual({ ...waiting, [`members:activity:${offline}`]: 1 });
      expect(await store.readCounters(ws, 'workers')).toEqual({ [`activity:${offline}`]: 1, total: 1 });

      // The worker comes online and is reserved the task in the same minute.
      now += 60_000;
      await engine.updateWorker(ws, worker, { activitySid: available });
      const [reservation] = await engine.reservationsOf(ws, { workerSid: worker });
      expect(await range(`reservations:${worker}`)).toEqual([`${time(now)}:${reservation!.sid}`]);
      expect(await range(`pending:${queue}:${voice}`)).toEqual([]);
      const reserved = { [`status:reserved:${voice}`]: 1, [`priority:5:${voice}`]: 1 };
      expect(await store.readCounters(ws, 'ws')).toEqual(reserved);
      expect(await store.readCounters(ws, `q:${queue}`)).toEqual({
        ...reserved,
        [`members:activity:${available}`]: 1,
        'members:available': 1,
      });
      expect(await store.readCounters(ws, `rate:${queue}`)).toEqual({ [`reserved:${Math.floor(now / 60_000)}`]: 1 });
      // Multitasking: the worker still has room on the other channels, idle since it came online.
      const chat = (await store.list(ws, 'taskChannel')).find((c) => c.uniqueName === 'chat')!.sid;
      expect(await range(`idle:${queue}:${chat}`)).toEqual([`${time(now)}:${worker}`]);
    } finally {
      await store.close();
    }
  });
}
