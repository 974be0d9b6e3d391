import type { Clock } from '../engine/clock.js';
import { FailureThrottle } from '../telemetry/failure-throttle.js';
import type { Logger } from '../telemetry/log.js';
import { outsideRequests } from '../telemetry/log-context.js';
import type { EventOutbox, OutboxEntry } from './outbox.js';
import { retryDelay, type RetryPolicy } from './retry-policy.js';

/** How one delivery attempt ended. `failed` says why, for the log; `final` when trying again cannot help. */
export type DeliveryOutcome = 'delivered' | 'skipped' | { failed: string; final?: boolean };

/** Why an attempt failed, or null when it did not. */
export function failureOfOutcome(outcome: DeliveryOutcome): string | null {
  return typeof outcome === 'object' ? outcome.failed : null;
}

export interface PumpOptions {
  /** Names the pump in logs (`EventCallbackUrl`, `AssignmentCallbackUrl`). */
  name: string;
  /** Deliveries in flight at once, across workspaces. */
  concurrency: number;
  retry: RetryPolicy;
  /** Dates retries: the outbox decides on the same clock when they are due. */
  clock: Clock;
  /** The process's log by default. */
  logger?: Logger;
}

/** Counters of one pump. */
export interface PumpStats {
  inFlight: number;
  delivered: number;
  skipped: number;
  /** Attempts that failed and were scheduled again. */
  retried: number;
  /** Entries given up on after their last attempt. */
  failed: number;
}

/**
 * Moves entries from an outbox to a delivery function, up to `concurrency` at a time, and applies the retry policy
 * to failures. Driven by the outbox's readiness signal, never by polling, so an idle system does no work.
 */
export class OutboxPump {
  private readonly counters: Omit<PumpStats, 'inFlight'> = { delivered: 0, skipped: 0, retried: 0, failed: 0 };
  private inFlight = 0;
  private pumping = false;
  private again = false;
  private stopped = false;
  private readonly running = new Set<Promise<void>>();
  private waiters: Array<() => void> = [];
  private unsubscribe: (() => void) | null = null;
  /** A receiver that is down fails every event of its workspace: given-up events are reported once, then counted. */
  private readonly givenUp: FailureThrottle;
  /** The outbox failing (Redis away) fails every take. */
  private readonly outboxFailures: FailureThrottle;

  constructor(
    private readonly outbox: EventOutbox,
    private readonly deliver: (entry: OutboxEntry) => Promise<DeliveryOutcome>,
    private readonly options: PumpOptions,
  ) {
    const throttled = { logger: options.logger, now: () => options.clock.now() };
    this.givenUp = new FailureThrottle({ message: `${options.name}: gave up on events`, ...throttled });
    this.outboxFailures = new FailureThrottle({ message: `${options.name}: the outbox is failing`, level: 'error', ...throttled });
  }

  start(): void {
    // Woken from inside the request whose commit filled the outbox, the pump goes on delivering other requests' events.
    this.unsubscribe = this.outbox.onReady(() => outsideRequests(() => void this.pump()));
    void this.pump();
  }

  /** Takes nothing more and waits for deliveries in flight (abort them first to make that quick). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await Promise.allSettled([...this.running]);
    this.wake();
  }

  /** Resolves once the outbox is empty and nothing is in flight. */
  async idle(): Promise<void> {
    for (;;) {
      // Listen before looking, so a change between the look and the wait is not missed.
      const changed = new Promise<void>((resolve) => this.waiters.push(resolve));
      if (await this.isIdle()) return;
      await changed;
    }
  }

  async isIdle(): Promise<boolean> {
    return this.stopped || (this.inFlight === 0 && !this.pumping && (await this.outbox.size()) === 0);
  }

  stats(): PumpStats {
    return { inFlight: this.inFlight, ...this.counters };
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (!this.stopped && this.inFlight < this.options.concurrency) {
          const entries = await this.outbox.take(this.options.concurrency - this.inFlight);
          this.outboxFailures.succeeded('take');
          if (entries.length === 0) break;
          for (const entry of entries) this.run(entry);
        }
      } while (this.again && !this.stopped);
    } catch (err) {
      this.outboxFailures.failed('take', err, { during: 'taking' });
    } finally {
      this.pumping = false;
      this.wake();
    }
  }

  private run(entry: OutboxEntry): void {
    this.inFlight += 1;
    const attempt = this.attempt(entry).finally(() => {
      this.inFlight -= 1;
      this.running.delete(attempt);
      void this.pump();
      this.wake();
    });
    this.running.add(attempt);
  }

  private async attempt(entry: OutboxEntry): Promise<void> {
    let outcome: DeliveryOutcome;
    try {
      outcome = await this.deliver(entry);
    } catch (err) {
      // Reading the store can fail (Redis away): that is one more failed attempt, reported if it is the last.
      outcome = { failed: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
    try {
      const ws = entry.event.workspaceSid;
      if (outcome === 'delivered' || outcome === 'skipped') {
        this.counters[outcome] += 1;
        if (outcome === 'delivered') this.givenUp.succeeded(ws, { workspace_sid: ws });
        await this.outbox.done(entry.id);
        return;
      }
      // Failing because we are shutting down says nothing about the receiver: leave the entry to a later run.
      if (this.stopped) return;
      const attempts = entry.attempt + 1;
      if (attempts < this.options.retry.attempts && !outcome.final) {
        this.counters.retried += 1;
        await this.outbox.retryLater(entry.id, this.options.clock.now() + retryDelay(this.options.retry, attempts));
        return;
      }
      this.counters.failed += 1;
      await this.outbox.done(entry.id);
      this.givenUp.failed(ws, outcome.failed, { workspace_sid: ws, event_type: entry.event.eventType, event_sid: entry.event.sid, attempts });
    } catch (err) {
      this.outboxFailures.failed('settle', err, { during: 'settling', event_sid: entry.event.sid });
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
