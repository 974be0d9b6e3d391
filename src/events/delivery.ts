import type { LookupFunction } from 'node:net';
import { CallbackUrlPolicy } from '../core/callback-url.js';
import type { Clock } from '../engine/clock.js';
import type { RoutingEngine } from '../engine/engine.js';
import { ASSIGNMENT_CALLBACK_TIMEOUT_MS, assignmentCallbackDelivery } from './assignment-callback.js';
import { watchedCallbacks } from './callback-failures.js';
import { callbackHttp } from './callback-http.js';
import { EVENT_CALLBACK_TIMEOUT_MS, eventCallbackDelivery } from './event-callback.js';
import type { MeasuredOutbox } from './outbox.js';
import { createOutboxes } from './outboxes.js';
import { OutboxPump, type PumpStats } from './pump.js';
import { EVENT_CALLBACK_RETRY, type RetryPolicy } from './retry-policy.js';
import { FailureThrottle } from '../telemetry/failure-throttle.js';
import { log, type Logger } from '../telemetry/log.js';

export interface DeliveryOptions {
  engine: RoutingEngine;
  /** Signs every callback (`X-Twilio-Signature`), as Twilio signs with the account's auth token. */
  authToken: string;
  /** The AccountSid assignment callbacks carry. */
  accountSid: string;
  /** Where callbacks may go; public addresses only by default. Checked again for every request, at connect time. */
  callbackUrls?: CallbackUrlPolicy;
  /** Resolves callback host names; the system resolver by default. */
  resolve?: LookupFunction;
  /** The process's log by default. */
  logger?: Logger;
  /**
   * Events one workspace may have waiting for its EventCallbackUrl: with the embedded store the oldest are dropped
   * past it; with Redis it caps the entries taken or waiting for a retry, and later ones wait unread in the stream.
   */
  eventBacklogLimit?: number;
  eventRetry?: RetryPolicy;
  eventTimeoutMs?: number;
  assignmentTimeoutMs?: number;
  /** This process's name among the consumers of the delivery groups (Redis store); unique per process by default. */
  consumer?: string;
  /** How long a taken entry may go without renewal before another process takes it over (Redis store, ms). */
  leaseMs?: number;
  /** How often the Redis outboxes look for work no local commit announced (ms). */
  pollMs?: number;
  /**
   * Dates retries and decides when they are due (and, with Redis, when groups open); the engine's clock by default,
   * so a test that moves the engine's clock moves delivery's retries with it.
   */
  clock?: Clock;
}

/** Counters of one kind of callback. */
export interface CallbackStats extends PumpStats {
  /** The most entries any one workspace has waiting (bounded by the backlog limit). */
  longestBacklog: number;
  /** Entries lost before delivery: dropped at the limit (embedded store), trimmed from the stream (Redis). */
  dropped: number;
}

export interface DeliveryStats {
  eventCallbacks: CallbackStats;
  assignmentCallbacks: CallbackStats;
}

/** Running callback delivery. */
export interface Delivery {
  /** Stops taking events, aborts requests in flight, and lets go of what is still waiting. */
  stop(): Promise<void>;
  /**
   * Resolves once nothing is waiting or in flight — including events raised by carrying out assignment answers
   * and retries not yet due — so tests can wait for delivery to settle instead of sleeping.
   */
  idle(): Promise<void>;
  stats(): DeliveryStats;
}

/** Backlog per workspace: at ~2 KB an event, a dead receiver costs about 2 MB a workspace. */
const DEFAULT_EVENT_BACKLOG = 1_000;
/** Reservations waiting for their assignment callback per workspace; beyond, they simply wait for their timeout. */
const ASSIGNMENT_BACKLOG = 1_000;
const EVENT_CONCURRENCY = 16;
/** Each assignment exchange is short (5 s, at most twice) and holds a reservation up: run more at once. */
const ASSIGNMENT_CONCURRENCY = 32;

/**
 * Starts delivering events: every event to its workspace's EventCallbackUrl (filtered by EventsFilter, retried with
 * backoff), and every `reservation.created` to its workflow's AssignmentCallbackUrl (with the fallback URL, answers
 * carried out). With the Redis store the outboxes are shared: each event is delivered once across every process
 * running delivery, and those of a process that dies are finished by the others. With the embedded store this
 * process delivers what it commits. Delivery runs beside routing, never in its way: the engine's event listener only
 * notes the event, and what waits is bounded per workspace. Callbacks go only where `callbackUrls` admits: one it
 * refuses (the stored URL, or the address its host resolves to when connecting) fails at once, without retries, and
 * is logged; a refused AssignmentCallbackUrl turns to the fallback URL like any other failure.
 */
export function startDelivery(options: DeliveryOptions): Delivery {
  const { engine } = options;
  const clock = options.clock ?? engine.clock;
  const logger = options.logger ?? log;
  const throttled = (message: string) => new FailureThrottle({ message, logger, now: () => clock.now() });
  const client = callbackHttp(options.callbackUrls ?? CallbackUrlPolicy.publicOnly, options.resolve);
  const http = watchedCallbacks(client.fetch, throttled('callback URL failing'));
  const aborter = new AbortController();
  // A receiver that stays away makes its workspace drop (or lose) an event per event: reported once, then counted.
  const dropping = throttled('events dropped before delivery');
  const onDrop = (name: string) => (ws: string, dropped: number) =>
    dropping.failed(`${name} ${ws}`, 'backlog limit reached: oldest event dropped', { callback: name, workspace_sid: ws, dropped_so_far: dropped });
  const onGone = (name: string) => (ws: string, gone: number) =>
    dropping.failed(`${name} ${ws}`, 'events trimmed from the stream before delivery', { callback: name, workspace_sid: ws, dropped_so_far: gone });

  const { events, assignments } = createOutboxes({
    store: engine.store,
    eventBacklogLimit: options.eventBacklogLimit ?? DEFAULT_EVENT_BACKLOG,
    assignmentBacklogLimit: ASSIGNMENT_BACKLOG,
    onDrop,
    onGone,
    logger,
    clock,
    consumer: options.consumer,
    leaseMs: options.leaseMs,
    pollMs: options.pollMs,
  });
  const eventOutbox = events.outbox;
  const assignmentOutbox = assignments.outbox;

  const eventPump = new OutboxPump(
    eventOutbox,
    eventCallbackDelivery({
      store: engine.store,
      authToken: options.authToken,
      http,
      timeoutMs: options.eventTimeoutMs ?? EVENT_CALLBACK_TIMEOUT_MS,
      signal: aborter.signal,
    }),
    { name: 'EventCallbackUrl', concurrency: EVENT_CONCURRENCY, retry: options.eventRetry ?? EVENT_CALLBACK_RETRY, clock, logger },
  );
  const assignmentPump = new OutboxPump(
    assignmentOutbox,
    assignmentCallbackDelivery({
      engine,
      accountSid: options.accountSid,
      authToken: options.authToken,
      http,
      timeoutMs: options.assignmentTimeoutMs ?? ASSIGNMENT_CALLBACK_TIMEOUT_MS,
      signal: aborter.signal,
      logger,
    }),
    { name: 'AssignmentCallbackUrl', concurrency: ASSIGNMENT_CONCURRENCY, retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 }, clock, logger },
  );

  const unsubscribe = engine.onEvent((event) => {
    events.offer(event);
    assignments.offer(event);
  });
  eventPump.start();
  assignmentPump.start();

  const statsOf = (pump: OutboxPump, outbox: MeasuredOutbox): CallbackStats => ({
    ...pump.stats(),
    longestBacklog: outbox.longestBacklog,
    dropped: outbox.dropped,
  });

  return {
    async stop() {
      unsubscribe();
      aborter.abort();
      await Promise.all([eventPump.stop(), assignmentPump.stop()]);
      await Promise.all([eventOutbox.close(), assignmentOutbox.close(), client.close()]);
    },
    async idle() {
      for (;;) {
        await assignmentPump.idle();
        await eventPump.idle();
        if ((await assignmentPump.isIdle()) && (await eventPump.isIdle())) return;
      }
    },
    stats: () => ({
      eventCallbacks: statsOf(eventPump, eventOutbox),
      assignmentCallbacks: statsOf(assignmentPump, assignmentOutbox),
    }),
  };
}
