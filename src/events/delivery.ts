import type { RoutingEngine } from '../engine/engine.js';
import { ASSIGNMENT_CALLBACK_TIMEOUT_MS, assignmentCallbackDelivery } from './assignment-callback.js';
import { EVENT_CALLBACK_TIMEOUT_MS, eventCallbackDelivery } from './event-callback.js';
import type { DeliveryLogger } from './logger.js';
import { MemoryOutbox } from './memory-outbox.js';
import { OutboxPump, type PumpStats } from './pump.js';
import { EVENT_CALLBACK_RETRY, type RetryPolicy } from './retry-policy.js';

export interface DeliveryOptions {
  engine: RoutingEngine;
  /** Signs every callback (`X-Twilio-Signature`), as Twilio signs with the account's auth token. */
  authToken: string;
  /** The AccountSid assignment callbacks carry. */
  accountSid: string;
  /** The HTTP client; the global fetch by default. */
  fetch?: typeof fetch;
  logger?: DeliveryLogger;
  /** Events one workspace may have waiting for its EventCallbackUrl before the oldest are dropped. */
  eventBacklogLimit?: number;
  eventRetry?: RetryPolicy;
  eventTimeoutMs?: number;
  assignmentTimeoutMs?: number;
}

/** Counters of one kind of callback. */
export interface CallbackStats extends PumpStats {
  /** The most entries any one workspace has waiting (bounded by the backlog limit). */
  longestBacklog: number;
  /** Entries dropped because their workspace was at the limit. */
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
/** A workspace that keeps dropping events is reported at most this often. */
const DROP_LOG_INTERVAL_MS = 10_000;

/**
 * Starts delivering this process's events: every event to its workspace's EventCallbackUrl (filtered by
 * EventsFilter, retried with backoff), and every `reservation.created` to its workflow's AssignmentCallbackUrl
 * (with the fallback URL, answers carried out). Delivery runs beside routing, never in its way: the engine's event
 * listener only queues, and the queues are bounded per workspace, dropping the oldest when a receiver falls behind.
 */
export function startDelivery(options: DeliveryOptions): Delivery {
  const { engine } = options;
  const logger = options.logger ?? console;
  const http = options.fetch ?? fetch;
  const aborter = new AbortController();
  const lastDropLog = new Map<string, number>();
  const onDrop = (name: string) => (ws: string, dropped: number) => {
    const now = Date.now();
    if (now - (lastDropLog.get(ws) ?? 0) < DROP_LOG_INTERVAL_MS) return;
    lastDropLog.set(ws, now);
    logger.warn(`${name}: workspace ${ws} is at its backlog limit; dropped its oldest event (${dropped} so far)`);
  };

  const eventOutbox = new MemoryOutbox({
    limitPerWorkspace: options.eventBacklogLimit ?? DEFAULT_EVENT_BACKLOG,
    inOrder: true,
    onDrop: onDrop('EventCallbackUrl'),
  });
  const assignmentOutbox = new MemoryOutbox({ limitPerWorkspace: ASSIGNMENT_BACKLOG, inOrder: false, onDrop: onDrop('AssignmentCallbackUrl') });

  const eventPump = new OutboxPump(
    eventOutbox,
    eventCallbackDelivery({
      store: engine.store,
      authToken: options.authToken,
      http,
      timeoutMs: options.eventTimeoutMs ?? EVENT_CALLBACK_TIMEOUT_MS,
      signal: aborter.signal,
    }),
    { name: 'EventCallbackUrl', concurrency: EVENT_CONCURRENCY, retry: options.eventRetry ?? EVENT_CALLBACK_RETRY, logger },
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
    { name: 'AssignmentCallbackUrl', concurrency: ASSIGNMENT_CONCURRENCY, retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 }, logger },
  );

  const unsubscribe = engine.onEvent((event) => {
    eventOutbox.add(event);
    if (event.eventType === 'reservation.created') assignmentOutbox.add(event);
  });
  eventPump.start();
  assignmentPump.start();

  const statsOf = (pump: OutboxPump, outbox: MemoryOutbox): CallbackStats => ({
    ...pump.stats(),
    longestBacklog: outbox.longestBacklog,
    dropped: outbox.dropped,
  });

  return {
    async stop() {
      unsubscribe();
      aborter.abort();
      await Promise.all([eventPump.stop(), assignmentPump.stop()]);
      await Promise.all([eventOutbox.close(), assignmentOutbox.close()]);
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
