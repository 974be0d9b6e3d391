import twilio from 'twilio';
import type { Clock } from '../../src/engine/clock.js';
import { startDelivery, type DeliveryOptions } from '../../src/events/delivery.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { LOOPBACK_CALLBACKS } from '../helpers/callbacks.js';
import { memoryLogger } from '../helpers/log-capture.js';
import { startReceiver, type ReceivedRequest } from '../helpers/receiver.js';
import { startServer } from '../helpers/server.js';
import { removeKeys, testRedisUrl, uniquePrefix } from '../store/redis-test-server.js';

/** Retries fast enough for tests; the policy's shape is what is being exercised, not its production numbers. */
export const QUICK_RETRY = { attempts: 4, initialDelayMs: 5, maxDelayMs: 20 };

/** The stores delivery runs on: in-process outboxes on the embedded store, shared ones on Redis. */
export type StoreKind = 'memory' | 'redis';
export const STORE_KINDS: StoreKind[] = ['memory', 'redis'];

/** A store of the kind, and how to clean up after it (a Redis store gets a key prefix of its own). */
async function storeOf(kind: StoreKind): Promise<{ store: RoutingStore; cleanUp: () => Promise<void> }> {
  if (kind === 'memory') return { store: new MemoryStore(), cleanUp: async () => {} };
  const prefix = uniquePrefix();
  return { store: await RedisStore.connect(testRedisUrl(), { prefix }), cleanUp: () => removeKeys(prefix) };
}

/** On Redis, delivery looks for work often so tests do not wait on the production poll interval. */
const REDIS_DELIVERY: Partial<DeliveryOptions> = { pollMs: 50 };

/**
 * A server, a webhook receiver and running callback delivery, plus a helper that sets up a workspace ready to route:
 * one queue for everyone, one workflow into it.
 */
export async function eventsFixture(options: { clock?: Clock; delivery?: Partial<DeliveryOptions>; store?: StoreKind } = {}) {
  const { store, cleanUp } = await storeOf(options.store ?? 'memory');
  const server = await startServer({ clock: options.clock, store });
  const receiver = await startReceiver();
  // What delivery logs, kept for the tests to read.
  const { logger, lines: logged } = memoryLogger();
  const delivery = startDelivery({
    engine: server.engine,
    authToken: server.authToken,
    accountSid: server.accountSid,
    logger,
    eventRetry: QUICK_RETRY,
    callbackUrls: LOOPBACK_CALLBACKS,
    ...(options.store === 'redis' ? REDIS_DELIVERY : {}),
    ...options.delivery,
  });

  async function workspace(
    settings: { eventCallbackUrl?: string; eventsFilter?: string; multiTaskEnabled?: boolean } = {},
    workflowSettings: Record<string, unknown> = {},
  ) {
    const ws = await server.client.taskrouter.v1.workspaces.create({ friendlyName: `events ${Math.random()}`, ...settings });
    const api = server.client.taskrouter.v1.workspaces(ws.sid);
    const activities = await api.activities.list();
    const activity = (name: string) => activities.find((a) => a.friendlyName === name)!.sid;
    const queue = await api.taskQueues.create({ friendlyName: 'Support', targetWorkers: '1==1' });
    const workflow = await api.workflows.create({
      friendlyName: 'Route',
      configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
      ...workflowSettings,
    });
    return { ws, api, activity, available: activity('Available'), offline: activity('Offline'), queue, workflow };
  }

  /** Does the request carry a signature twilio's own validator accepts for the URL it was sent to? */
  function signed(request: ReceivedRequest): boolean {
    const signature = request.headers['x-twilio-signature'];
    return typeof signature === 'string' && twilio.validateRequest(server.authToken, signature, request.url, request.params);
  }

  return {
    server,
    receiver,
    delivery,
    logged,
    workspace,
    signed,
    close: async () => {
      await delivery.stop();
      await receiver.close();
      await server.close();
      await cleanUp();
    },
  };
}

export type EventsFixture = Awaited<ReturnType<typeof eventsFixture>>;
export type FixtureWorkspace = Awaited<ReturnType<EventsFixture['workspace']>>;

/** The event types of one task's life, from creation through wrap-up to completion, in the order they happen. */
export const TASK_LIFE = [
  'workflow.entered',
  'task-queue.entered',
  'task.created',
  'workflow.target-matched',
  'reservation.created',
  'reservation.accepted',
  'task.updated',
  'reservation.wrapup',
  'task.wrapup',
  'task.completed',
  'reservation.completed',
];

/** Creates a worker and a task, then accepts, wraps up and completes it. Returns the sids involved. */
export async function liveTaskLife(w: FixtureWorkspace, attributes: Record<string, unknown> = { type: 'support' }) {
  const worker = await w.api.workers.create({ friendlyName: `agent ${Math.random()}`, activitySid: w.available, attributes: '{"skill":"en"}' });
  const task = await w.api.tasks.create({ workflowSid: w.workflow.sid, attributes: JSON.stringify(attributes), priority: 5 });
  const [reservation] = await w.api.tasks(task.sid).reservations.list();
  await w.api.tasks(task.sid).reservations(reservation!.sid).update({ reservationStatus: 'accepted' });
  await w.api.tasks(task.sid).update({ assignmentStatus: 'wrapping', reason: 'call ended' });
  await w.api.tasks(task.sid).update({ assignmentStatus: 'completed', reason: 'resolved' });
  return { worker: worker.sid, task: task.sid, reservation: reservation!.sid };
}
