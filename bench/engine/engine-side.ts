/**
 * The engine's side of bench/engine-vs-bullmq.ts: a RoutingEngine over the Redis store (as bench/assignment.ts runs
 * it), a workspace with one queue and `workers` available workers, and callers each running a task's whole lifecycle
 * in turn: create (with a priority) → its reservation → accept → complete.
 */
import { RoutingEngine } from '../../src/engine/engine.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import type { Side } from './side.js';

export async function engineSide(url: string, prefix: string, workers: number): Promise<Side> {
  const store = await RedisStore.connect(url, { prefix });
  const engine = new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32) });
  const ws = (await engine.createWorkspace({ friendlyName: 'bench' })).sid;
  const available = (await store.list(ws, 'activity')).find((a) => a.available)!.sid;
  const queue = await engine.createTaskQueue(ws, { friendlyName: 'q', targetWorkers: 'skill == 0' });
  const configuration = JSON.stringify({ task_routing: { filters: [{ expression: 'skill == 0', targets: [{ queue: queue.sid }] }] } });
  const workflowSid = (await engine.createWorkflow(ws, { friendlyName: 'wf', configuration })).sid;
  for (let i = 0; i < workers; i++) {
    await engine.createWorker(ws, { friendlyName: `w${i}`, activitySid: available, attributes: JSON.stringify({ skill: 0 }) });
  }
  const attributes = JSON.stringify({ skill: 0 });
  let n = 0;
  const lifecycle = async (): Promise<void> => {
    const task = await engine.createTask(ws, { workflowSid, attributes, priority: 1 + (n++ % 10) });
    const reservation = task.pendingReservations[0]?.sid;
    if (!reservation) throw new Error(`task ${task.sid} was not reserved: are there fewer workers than callers?`);
    await engine.updateReservation(ws, { taskSid: task.sid }, reservation, { reservationStatus: 'accepted' });
    await engine.updateTask(ws, task.sid, { assignmentStatus: 'completed', reason: 'bench' });
  };
  return {
    async run(ms, concurrency) {
      const end = performance.now() + ms;
      let done = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < end) {
            await lifecycle();
            done += 1;
          }
        }),
      );
      return done;
    },
    async close() {
      await engine.stop();
      await store.close();
    },
  };
}
