/**
 * The large workspace, written straight through the engine (as a server would, minus HTTP): `queues` queues, one
 * skill each, `agents` available workers spread evenly over them, and a workflow routing by skill. Workers are
 * created `parallel` at a time.
 */
import { RoutingEngine } from '../../src/engine/engine.js';
import type { RoutingStore } from '../../src/store/routing-store.js';

export async function createLargeWorkspace(
  store: RoutingStore,
  accountSid: string,
  shape: { agents: number; queues: number; parallel: number },
): Promise<{ workspace: string; workflow: string }> {
  const engine = new RoutingEngine({ store, accountSid });
  const workspace = (await engine.createWorkspace({ friendlyName: 'large center' })).sid;
  const available = (await store.list(workspace, 'activity')).find((a) => a.available)!.sid;
  const filters = [];
  for (let q = 0; q < shape.queues; q++) {
    const queue = await engine.createTaskQueue(workspace, { friendlyName: `skill ${q}`, targetWorkers: `skill == ${q}` });
    filters.push({ expression: `skill == ${q}`, targets: [{ queue: queue.sid }] });
  }
  const workflow = (
    await engine.createWorkflow(workspace, {
      friendlyName: 'by skill',
      configuration: JSON.stringify({ task_routing: { filters } }),
    })
  ).sid;
  let next = 0;
  const creator = async (): Promise<void> => {
    for (let i = next++; i < shape.agents; i = next++) {
      await engine.createWorker(workspace, { friendlyName: `agent ${i}`, activitySid: available, attributes: JSON.stringify({ skill: i % shape.queues }) });
    }
  };
  await Promise.all(Array.from({ length: shape.parallel }, creator));
  return { workspace, workflow };
}
