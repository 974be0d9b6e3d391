import { Counter, Histogram, type Registry } from 'prom-client';
import { fieldsOf, type EventType, type TaskRouterEvent } from '../../core/events/index.js';
import { eventLabels, QUEUE_CHANNEL_LABELS } from './labels.js';

/** Contact-center waits (seconds): service-level thresholds are usually one of these. */
export const WAIT_BUCKETS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1800];
/** Time on a task from acceptance to wrap-up (seconds): from a short chat answer to an hour's call. */
const HANDLE_BUCKETS = [30, 60, 120, 180, 240, 300, 420, 600, 900, 1200, 1800, 3600];
/** After-work (seconds). */
const WRAPUP_BUCKETS = [5, 10, 15, 30, 45, 60, 90, 120, 180, 300, 600];

/** How a reservation ended, by the event that ended it. */
const RESERVATION_OUTCOME: Partial<Record<EventType, string>> = {
  'reservation.accepted': 'accepted',
  'reservation.rejected': 'rejected',
  'reservation.timeout': 'timeout',
  'reservation.rescinded': 'rescinded',
  'reservation.canceled': 'canceled',
};

/** How a task ended, by the event that ended it. */
const TASK_OUTCOME: Partial<Record<EventType, string>> = {
  'task.completed': 'completed',
  'task.canceled': 'canceled',
  'task.deleted': 'deleted',
  'task.system-deleted': 'system_deleted',
};

/** A deleted task ends there only if nothing ended it before (a completed task deleted later ended completed). */
const ENDED_STATUSES = new Set(['completed', 'canceled']);

/**
 * Counters and histograms fed by the events this process's engine commits. Each event is committed by exactly one
 * process, so with several processes on one store every figure is counted once, by the process that committed it,
 * and Prometheus sums them across processes. Observing an event is a few counter increments, nothing more.
 */
export class EventFigures {
  private readonly reservationsCreated: Counter<(typeof QUEUE_CHANNEL_LABELS)[number]>;
  private readonly reservations: Counter<(typeof QUEUE_CHANNEL_LABELS)[number] | 'outcome'>;
  private readonly tasksEntered: Counter<(typeof QUEUE_CHANNEL_LABELS)[number]>;
  private readonly tasksEnded: Counter<(typeof QUEUE_CHANNEL_LABELS)[number] | 'outcome'>;
  private readonly wait: Histogram<(typeof QUEUE_CHANNEL_LABELS)[number]>;
  private readonly abandonedWait: Histogram<(typeof QUEUE_CHANNEL_LABELS)[number]>;
  private readonly handle: Histogram<(typeof QUEUE_CHANNEL_LABELS)[number]>;
  private readonly wrapup: Histogram<(typeof QUEUE_CHANNEL_LABELS)[number]>;

  constructor(registry: Registry) {
    const registers = [registry];
    const labelNames = QUEUE_CHANNEL_LABELS;
    this.reservationsCreated = new Counter({
      name: 'switchboard_reservations_created_total',
      help: 'Reservations offered to workers',
      labelNames,
      registers,
    });
    this.reservations = new Counter({
      name: 'switchboard_reservations_total',
      help: 'Reservations ended, by outcome: accepted, rejected, timeout (a missed ring), rescinded, canceled',
      labelNames: [...labelNames, 'outcome'],
      registers,
    });
    this.tasksEntered = new Counter({ name: 'switchboard_tasks_entered_total', help: 'Tasks that entered a queue', labelNames, registers });
    this.tasksEnded = new Counter({
      name: 'switchboard_tasks_ended_total',
      help: 'Tasks ended, by outcome: completed, canceled (abandoned while waiting), deleted or system_deleted before they ended',
      labelNames: [...labelNames, 'outcome'],
      registers,
    });
    this.wait = new Histogram({
      name: 'switchboard_task_wait_seconds',
      help: "Tasks' wait from creation to an accepted reservation (whole seconds): speed of answer and service level",
      labelNames,
      buckets: WAIT_BUCKETS,
      registers,
    });
    this.abandonedWait = new Histogram({
      name: 'switchboard_task_abandoned_wait_seconds',
      help: "Canceled tasks' wait from creation to the cancelation (whole seconds): abandonment, short abandons",
      labelNames,
      buckets: WAIT_BUCKETS,
      registers,
    });
    this.handle = new Histogram({
      name: 'switchboard_task_handle_seconds',
      help: 'Time from accepting a reservation to its wrap-up, or to its completion when it had none',
      labelNames,
      buckets: HANDLE_BUCKETS,
      registers,
    });
    this.wrapup = new Histogram({
      name: 'switchboard_task_wrapup_seconds',
      help: 'Time from the start of wrap-up to completion',
      labelNames,
      buckets: WRAPUP_BUCKETS,
      registers,
    });
  }

  /** Counts one committed event. */
  observe(event: TaskRouterEvent): void {
    const type = event.eventType;
    if (type === 'reservation.created') return this.reservationsCreated.inc(eventLabels(event));
    if (type === 'task-queue.entered') return this.tasksEntered.inc(eventLabels(event));
    const reservationOutcome = RESERVATION_OUTCOME[type];
    if (reservationOutcome) {
      const labels = eventLabels(event);
      this.reservations.inc({ ...labels, outcome: reservationOutcome });
      if (type === 'reservation.accepted') this.observeSeconds(this.wait, labels, fieldsOf(event).task_age);
      return;
    }
    const taskOutcome = TASK_OUTCOME[type];
    if (taskOutcome) return this.taskEnded(event, taskOutcome);
    if (type === 'reservation.wrapup' || type === 'reservation.completed') this.workEnded(event);
  }

  private taskEnded(event: TaskRouterEvent, outcome: string): void {
    const fields = fieldsOf(event);
    if ((outcome === 'deleted' || outcome === 'system_deleted') && ENDED_STATUSES.has(fields.task_assignment_status ?? '')) return;
    const labels = eventLabels(event);
    this.tasksEnded.inc({ ...labels, outcome });
    if (outcome === 'canceled') this.observeSeconds(this.abandonedWait, labels, fields.task_age);
  }

  /** Wrap-up ends handling; completion ends wrap-up, or handling when there was no wrap-up. */
  private workEnded(event: TaskRouterEvent): void {
    const fields = fieldsOf(event);
    const wrapupStarted = Number(fields.reservation_wrapup_date_ms ?? NaN);
    const accepted = Number(fields.reservation_accepted_date_ms ?? NaN);
    const ending = event.eventType === 'reservation.completed' && Number.isFinite(wrapupStarted) ? this.wrapup : this.handle;
    const since = ending === this.wrapup ? wrapupStarted : accepted;
    if (Number.isFinite(since)) ending.observe(eventLabels(event), Math.max(0, event.eventDate - since) / 1000);
  }

  private observeSeconds(histogram: Histogram<(typeof QUEUE_CHANNEL_LABELS)[number]>, labels: Record<string, string>, seconds: string | undefined): void {
    const value = Number(seconds ?? NaN);
    if (Number.isFinite(value)) histogram.observe(labels, value);
  }
}
