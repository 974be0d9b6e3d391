import { eventTypes, isEventOf, type TaskRouterEvent } from '../core/events/index.js';
import type { Clock } from '../engine/clock.js';
import type { RoutingStore } from '../store/routing-store.js';
import { MemoryStore } from '../store/memory/memory-store.js';
import { RedisStore } from '../store/redis/redis-store.js';
import { deliveryConsumerName } from './consumer-name.js';
import { keepAcrossRestarts } from './kept-outbox.js';
import type { Logger } from '../telemetry/log.js';
import { MemoryOutbox } from './memory-outbox.js';
import type { MeasuredOutbox } from './outbox.js';
import { RedisOutbox } from './redis-outbox.js';

/** An outbox and how this process's committed events reach it. */
export interface FedOutbox {
  outbox: MeasuredOutbox;
  /** Called with every event this process commits. */
  offer(event: TaskRouterEvent): void;
}

export interface OutboxSettings {
  store: RoutingStore;
  /** Events one workspace may have waiting (memory) or pending (Redis) for its EventCallbackUrl. */
  eventBacklogLimit: number;
  /** Reservations one workspace may have waiting for their assignment callback. */
  assignmentBacklogLimit: number;
  /** Told when a workspace at its limit drops its oldest event (embedded store), given the callback's name. */
  onDrop: (name: string) => (workspaceSid: string, droppedSoFar: number) => void;
  /** Told when pending entries were trimmed from a stream before delivery (Redis), given the callback's name. */
  onGone: (name: string) => (workspaceSid: string, goneSoFar: number) => void;
  logger: Logger;
  /** Decides which retries are due and, with Redis, dates the groups' openings and syncs: the engine's clock. */
  clock: Clock;
  /** This process's consumer name in the delivery groups (Redis). */
  consumer?: string;
  /** How long a taken entry may go without renewal before another process takes it over (Redis, ms). */
  leaseMs?: number;
  /** How often the Redis outboxes look for work no local commit announced (ms). */
  pollMs?: number;
}

/** Consumer groups on the events streams, one per kind of callback. */
export const EVENT_CALLBACK_GROUP = 'event-callbacks';
export const ASSIGNMENT_CALLBACK_GROUP = 'assignment-callbacks';
/**
 * Renewed every third of it, so only a process that stopped (died, or lost Redis) loses its entries; short enough
 * that the others finish a dead process's deliveries within seconds.
 */
const DEFAULT_LEASE_MS = 10_000;

const isReservationCreated = (event: TaskRouterEvent) => event.eventType === 'reservation.created';

/** Events that may change whether a workspace has an EventCallbackUrl, or a workflow an AssignmentCallbackUrl. */
const WORKSPACE_CHANGES = eventTypes('workspace.created', 'workspace.updated');
const WORKFLOW_CHANGES = eventTypes('workflow.created', 'workflow.updated', 'workflow.deleted');

/**
 * The outboxes for event and assignment callbacks, picked by store: with Redis, shared ones on the store's events
 * streams (each event delivered once across processes, a dead process's deliveries finished by the others); with
 * the embedded store, in-process ones fed by this process's commits.
 */
export function createOutboxes(settings: OutboxSettings): { events: FedOutbox; assignments: FedOutbox } {
  const { store, clock } = settings;
  if (!(store instanceof RedisStore)) {
    const companions = store instanceof MemoryStore ? store.companions : null;
    const keptEvents = companions && keepAcrossRestarts(companions, EVENT_CALLBACK_GROUP);
    const keptAssignments = companions && keepAcrossRestarts(companions, ASSIGNMENT_CALLBACK_GROUP);
    const events = new MemoryOutbox({
      limitPerWorkspace: settings.eventBacklogLimit,
      inOrder: true,
      onDrop: settings.onDrop('EventCallbackUrl'),
      clock,
      leaveBehind: keptEvents?.leaveBehind,
    });
    const assignments = new MemoryOutbox({
      limitPerWorkspace: settings.assignmentBacklogLimit,
      inOrder: false,
      onDrop: settings.onDrop('AssignmentCallbackUrl'),
      clock,
      leaveBehind: keptAssignments?.leaveBehind,
    });
    if (keptEvents) events.takeOver(keptEvents.left);
    if (keptAssignments) assignments.takeOver(keptAssignments.left);
    return {
      events: { outbox: events, offer: (event) => events.add(event) },
      assignments: { outbox: assignments, offer: (event) => isReservationCreated(event) && assignments.add(event) },
    };
  }

  const consumer = settings.consumer ?? deliveryConsumerName();
  const leaseMs = settings.leaseMs ?? DEFAULT_LEASE_MS;
  const events = new RedisOutbox({
    feed: store.eventFeed(EVENT_CALLBACK_GROUP, consumer, leaseMs),
    gate: { kind: 'workspace', property: 'eventCallbackUrl', ownRecord: true },
    gateChanged: (event) => isEventOf(event, WORKSPACE_CHANGES),
    inOrder: true,
    pendingLimit: settings.eventBacklogLimit,
    pollMs: settings.pollMs,
    onGone: settings.onGone('EventCallbackUrl'),
    logger: settings.logger,
    clock,
  });
  const assignments = new RedisOutbox({
    feed: store.eventFeed(ASSIGNMENT_CALLBACK_GROUP, consumer, leaseMs),
    gate: { kind: 'workflow', property: 'assignmentCallbackUrl' },
    gateChanged: (event) => isEventOf(event, WORKFLOW_CHANGES),
    accepts: isReservationCreated,
    inOrder: false,
    pendingLimit: settings.assignmentBacklogLimit,
    pollMs: settings.pollMs,
    onGone: settings.onGone('AssignmentCallbackUrl'),
    logger: settings.logger,
    clock,
  });
  return {
    events: { outbox: events, offer: (event) => events.notice(event) },
    assignments: { outbox: assignments, offer: (event) => assignments.notice(event) },
  };
}
