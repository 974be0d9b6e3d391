import type { RoutingStore } from '../../src/store/routing-store.js';
import { AdjustableClock } from '../../src/engine/clock.js';
import { startServer } from '../helpers/server.js';

/**
 * A running server with one workspace and the handles routing tests need: the real twilio client for everything
 * a user would do, and the clock and timer runner for the passage of time.
 */
export async function routingFixture(
  makeStore: () => Promise<RoutingStore>,
  workspace: { multiTaskEnabled?: boolean; prioritizeQueueOrder?: 'FIFO' | 'LIFO' } = {},
) {
  const clock = new AdjustableClock();
  const server = await startServer({ store: await makeStore(), clock });
  const ws = await server.client.taskrouter.v1.workspaces.create({ friendlyName: `routing ${Math.random()}`, ...workspace });
  const api = server.client.taskrouter.v1.workspaces(ws.sid);
  const activities = await api.activities.list();
  const activity = (name: string) => activities.find((a) => a.friendlyName === name)!.sid;
  const available = activity('Available');
  const offline = activity('Offline');

  async function queue(friendlyName: string, targetWorkers = '1==1', extra: Record<string, unknown> = {}) {
    return api.taskQueues.create({ friendlyName, targetWorkers, ...extra });
  }

  async function workflow(taskRouting: unknown, extra: Record<string, unknown> = {}) {
    return api.workflows.create({
      friendlyName: `wf ${Math.random()}`,
      configuration: JSON.stringify({ task_routing: taskRouting }),
      ...extra,
    });
  }

  async function worker(friendlyName: string, attributes: Record<string, unknown> = {}, activitySid = available) {
    return api.workers.create({ friendlyName, attributes: JSON.stringify(attributes), activitySid });
  }

  async function task(workflowSid: string, attributes: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    return api.tasks.create({ workflowSid, attributes: JSON.stringify(attributes), ...extra });
  }

  /** Pending reservations of a task. */
  async function pending(taskSid: string) {
    return api.tasks(taskSid).reservations.list({ reservationStatus: 'pending' });
  }

  async function fetchTask(taskSid: string) {
    return api.tasks(taskSid).fetch();
  }

  /** The worker accepts and completes its next `count` reservations one by one; returns their tasks in order. */
  async function workThrough(workerSid: string, count: number) {
    const order: string[] = [];
    for (let i = 0; i < count; i++) {
      const [r] = await api.workers(workerSid).reservations.list({ reservationStatus: 'pending' });
      order.push(r!.taskSid);
      await api.workers(workerSid).reservations(r!.sid).update({ reservationStatus: 'accepted' });
      await api.tasks(r!.taskSid).update({ assignmentStatus: 'completed', reason: 'done' });
    }
    return order;
  }

  /** Lets `seconds` pass and fires whatever timers fall due. */
  async function elapse(seconds: number) {
    clock.advance(seconds * 1000);
    await server.engine.runDueTimers();
  }

  return { server, clock, ws, api, activity, available, offline, queue, workflow, worker, task, pending, fetchTask, workThrough, elapse, close: server.close };
}

export type RoutingFixture = Awaited<ReturnType<typeof routingFixture>>;
