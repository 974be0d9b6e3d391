import fc from 'fast-check';
import { it } from 'vitest';
import { AdjustableClock } from '../../src/engine/clock.js';
import { RoutingEngine } from '../../src/engine/engine.js';
import { checkConsistency } from './consistency.js';
import type { RoutingStore } from '../../src/store/routing-store.js';

/**
 * Random mixes of everything that moves routing state — workers coming and going, capacity changes, tasks created,
 * accepted, rejected, completed, canceled, left to time out — followed by a check that the state is consistent.
 */
export function invariantCases(makeStore: () => Promise<RoutingStore>): void {
  it('random operation sequences leave routing state consistent', async () => {
    await fc.assert(
      fc.asyncProperty(randomOperations, async (ops) => {
        const store = await makeStore();
        const clock = new AdjustableClock();
        try {
          const ws = await applyRandomOperations(store, clock, ops);
          await checkConsistency(store, ws);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
}

/** A random operation: which one (0–9) and a number that picks its arguments. */
export type RandomOperation = [op: number, n: number];

/** Random operations as fast-check draws them: 20 to 120 of them. */
export const randomOperations = fc.array(fc.tuple(fc.nat(9), fc.nat(1_000_000)), { minLength: 20, maxLength: 120 });

/**
 * Builds a small workspace (two queues, a workflow with a timeout) on `store` and applies `ops` to it through the
 * engine: workers coming and going, capacity changes, tasks created, accepted, rejected, completed, canceled, left to
 * time out as `clock` moves. Returns the workspace's sid.
 */
export async function applyRandomOperations(
  store: RoutingStore,
  clock: AdjustableClock,
  ops: RandomOperation[],
  /** Called after each operation, as it has settled. */
  afterOperation?: () => void | Promise<void>,
): Promise<string> {
  const engine = new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32), clock });
  const ws = (await engine.createWorkspace({ friendlyName: 'inv' })).sid;
  const acts = await store.list(ws, 'activity');
  const available = acts.find((a) => a.friendlyName === 'Available')!.sid;
  const offline = acts.find((a) => a.friendlyName === 'Offline')!.sid;
  const qa = await engine.createTaskQueue(ws, { friendlyName: 'A', targetWorkers: "team == 'a'", maxReservedWorkers: 2 });
  const qb = await engine.createTaskQueue(ws, { friendlyName: 'B', targetWorkers: '1==1', taskOrder: 'LIFO' });
  const wf = await engine.createWorkflow(ws, {
    friendlyName: 'wf',
    taskReservationTimeout: 5,
    configuration: JSON.stringify({
      task_routing: {
        filters: [{ expression: "kind == 'a'", targets: [{ queue: qa.sid, timeout: 8 }, { queue: qb.sid }] }],
        default_filter: { queue: qb.sid },
      },
    }),
  });
  const workers: string[] = [];
  const tasks: string[] = [];
  const pick = <T>(xs: T[], n: number) => xs[n % xs.length]!;
  for (const [op, n] of ops) {
    try {
      switch (op) {
        case 0:
          workers.push(
            (
              await engine.createWorker(ws, {
                friendlyName: `w${workers.length}`,
                activitySid: n % 3 ? available : offline,
                attributes: JSON.stringify({ team: n % 2 ? 'a' : 'b' }),
              })
            ).sid,
          );
          break;
        case 1:
        case 2:
          tasks.push(
            (
              await engine.createTask(ws, {
                workflowSid: wf.sid,
                priority: n % 4,
                taskChannel: pick(['default', 'voice'], n),
                attributes: JSON.stringify({ kind: n % 2 ? 'a' : 'b' }),
              })
            ).sid,
          );
          break;
        case 3:
          if (workers.length)
            await engine.updateWorker(ws, pick(workers, n), { activitySid: n % 2 ? available : offline, rejectPendingReservations: n % 4 === 1 });
          break;
        case 4:
          if (workers.length) await engine.updateWorkerChannel(ws, pick(workers, n), pick(['default', 'voice'], n >> 1), { capacity: n % 4 });
          break;
        case 5:
        case 6: {
          const res = (await store.list(ws, 'reservation')).filter((r) => r.status === 'pending');
          if (res.length) {
            const r = pick(res, n);
            await engine.updateReservation(ws, { taskSid: r.taskSid }, r.sid, { reservationStatus: op === 5 ? 'accepted' : 'rejected' });
          }
          break;
        }
        case 7: {
          const assigned = (await store.list(ws, 'task')).filter((t) => t.assignmentStatus === 'assigned' || t.assignmentStatus === 'wrapping');
          if (assigned.length) await engine.updateTask(ws, pick(assigned, n).sid, { assignmentStatus: n % 3 ? 'completed' : 'wrapping', reason: 'done' });
          break;
        }
        case 8:
          if (tasks.length) await engine.updateTask(ws, pick(tasks, n), { assignmentStatus: 'canceled', reason: 'gone' });
          break;
        default:
          clock.advance((n % 7) * 1000);
          await engine.runDueTimers();
      }
    } catch (err) {
      // Refusals of invalid transitions are expected; anything else is a bug.
      if ((err as { status?: number }).status !== 400) throw err;
    }
    await afterOperation?.();
  }
  return ws;
}
