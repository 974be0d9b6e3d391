/**
 * The cluster benchmark's load: workspaces of the same shape, and full task lifecycles (create → reservation →
 * accept → complete) through the engine, the same number in each workspace, a fixed number of callers each.
 */
import { RoutingEngine } from '../../src/engine/engine.js';
import type { RoutingStore } from '../../src/store/routing-store.js';

export interface LoadShape {
  workspaces: number;
  workersPerWorkspace: number;
  queuesPerWorkspace: number;
  callersPerWorkspace: number;
}

export interface BenchWorkspace {
  sid: string;
  workflowSid: string;
}

/** `shape.workspaces` workspaces, each with its queues (one skill each), workflow and available workers. */
export async function createWorkspaces(engine: RoutingEngine, store: RoutingStore, shape: LoadShape): Promise<BenchWorkspace[]> {
  const made: BenchWorkspace[] = [];
  // One after another: each workspace's placement counts the ones before it.
  for (let w = 0; w < shape.workspaces; w++) {
    const ws = (await engine.createWorkspace({ friendlyName: `cluster bench ${w}` })).sid;
    const available = (await store.list(ws, 'activity')).find((a) => a.available)!.sid;
    const filters = [];
    for (let q = 0; q < shape.queuesPerWorkspace; q++) {
      const queue = await engine.createTaskQueue(ws, { friendlyName: `q${q}`, targetWorkers: `skill == ${q}` });
      filters.push({ expression: `skill == ${q}`, targets: [{ queue: queue.sid }] });
    }
    const workflowSid = (await engine.createWorkflow(ws, { friendlyName: 'wf', configuration: JSON.stringify({ task_routing: { filters } }) })).sid;
    await Promise.all(
      Array.from({ length: shape.workersPerWorkspace }, (_, i) =>
        engine.createWorker(ws, { friendlyName: `w${i}`, activitySid: available, attributes: JSON.stringify({ skill: i % shape.queuesPerWorkspace }) }),
      ),
    );
    made.push({ sid: ws, workflowSid });
  }
  return made;
}

/**
 * `perWorkspace` lifecycles in every workspace, `shape.callersPerWorkspace` callers each running them one after
 * another. Resolves with how many failed (any error: none should).
 */
export async function runLifecycles(engine: RoutingEngine, workspaces: BenchWorkspace[], shape: LoadShape, perWorkspace: number): Promise<number> {
  let failed = 0;
  const caller = async (ws: BenchWorkspace, first: number): Promise<void> => {
    for (let i = first; i < perWorkspace; i += shape.callersPerWorkspace) {
      try {
        const task = await engine.createTask(ws.sid, { workflowSid: ws.workflowSid, attributes: JSON.stringify({ skill: i % shape.queuesPerWorkspace }) });
        const reservation = task.pendingReservations[0]?.sid;
        if (!reservation) throw new Error(`task ${task.sid} was not reserved`);
        await engine.updateReservation(ws.sid, { taskSid: task.sid }, reservation, { reservationStatus: 'accepted' });
        await engine.updateTask(ws.sid, task.sid, { assignmentStatus: 'completed', reason: 'bench' });
      } catch (err) {
        if (failed++ === 0) console.error('a lifecycle failed:', err);
      }
    }
  };
  await Promise.all(workspaces.flatMap((ws) => Array.from({ length: shape.callersPerWorkspace }, (_, c) => caller(ws, c))));
  return failed;
}
