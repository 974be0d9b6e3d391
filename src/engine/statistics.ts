import type { AssignmentStatus, WorkerRecord } from '../core/model.js';
import { fieldsOf, type EventType, type TaskRouterEvent } from '../core/events/index.js';
import type { RoutingStore } from '../store/routing-store.js';
import {
  ageIndex,
  enteredIndex,
  MEMBERS_AVAILABLE_KEY,
  membersInActivityKey,
  membersIndex,
  parseCounterKey,
  parseTimeMember,
  queueGroup,
  WORKERS_GROUP,
  WORKERS_TOTAL_KEY,
  workersInActivityKey,
  workflowGroup,
  WORKSPACE_GROUP,
  type IndexName,
  type TaskScopeGroup,
} from './derived/schema.js';
import type { WorkspaceConfig } from './workspace-config.js';

/**
 * The read side of TaskRouter statistics.
 *
 * Real-time figures come from the counters and index heads every commit keeps (derived/task-indexer.ts and
 * derived/worker-indexer.ts): a few reads
 * per request whatever the number of tasks and workers. Worker figures do not depend on a task channel, so a
 * `TaskChannel` narrows task figures only.
 *
 * Cumulative figures are computed from the workspace's events in a window:
 * - a task's wait is its age (whole seconds since creation) on the event that ends the wait — `reservation.accepted`
 *   or `task.canceled`; its wait in a queue runs from its entry into that queue to the acceptance;
 * - a task or reservation belongs to the queue and workflow its event names (`task-queue.*` events: the queue they
 *   are about, so a move counts for the queue the task left);
 * - duration figures are whole seconds: `total`, `min` and `max` rounded down, `avg` rounded to the nearest;
 * - `split_by_wait_time` counts a wait equal to a threshold as below it (within the threshold);
 * - deleted tasks are those deleted through the API and those the system deleted after 24 hours assigned.
 * Activity durations are the stints workers spent in each activity, clipped to the window: each
 * `worker.activity.update` closes a stint of its previous activity (`worker_time_in_previous_activity_ms` long),
 * and the activity a worker is in at the end of the window counts up to then (up to now for a window that ends now).
 * `min`, `max` and `avg` are over stints. Only workers that still exist are counted.
 */

/** Every assignment status, in the order TaskRouter lists them; each is reported, zeros included. */
export const TASK_STATUSES: readonly AssignmentStatus[] = ['pending', 'reserved', 'assigned', 'wrapping', 'completed', 'canceled'];

/** With a channel filter, how many of the oldest waiting tasks are examined for one of that channel. */
const CHANNEL_SCAN_LIMIT = 500;
const CHANNEL_SCAN_PAGE = 100;

/** The task that has waited longest, and for how long (whole seconds); none: age 0, sid null. */
export interface LongestWaiting {
  age: number;
  sid: string | null;
}

/** How many workers (of a scope) are in an activity. */
export interface ActivityCount {
  sid: string;
  friendlyName: string;
  workers: number;
}

/** Tasks of a scope (workspace, queue or workflow) right now. */
export interface TaskFigures {
  tasksByStatus: Record<AssignmentStatus, number>;
  /** Pending and reserved tasks by priority. */
  tasksByPriority: Record<string, number>;
  totalTasks: number;
  longestWaiting: LongestWaiting;
}

/** Workers right now, by activity (every activity of the workspace, zeros included). */
export interface WorkerFigures {
  activityStatistics: ActivityCount[];
  totalWorkers: number;
}

export interface QueueFigures extends TaskFigures {
  /** Measured from entry into the queue rather than from creation. */
  longestInQueue: LongestWaiting;
  totalAvailableWorkers: number;
  totalEligibleWorkers: number;
  /** The queue's eligible workers by activity. */
  activityStatistics: ActivityCount[];
  /** Tasks by status on each of the workspace's channels (by channel sid), from the same counters. */
  tasksByChannel: Map<string, Record<AssignmentStatus, number>>;
}

/** Which workers worker statistics cover; an empty selection is every worker. */
export interface WorkerSelection {
  queueSid?: string;
  /** Compared case-insensitively, as the worker list's filter is. */
  friendlyName?: string;
}

/** The workspace's tasks and workers right now. */
export async function workspaceRealTime(store: RoutingStore, config: WorkspaceConfig, now: number, channelSid?: string): Promise<TaskFigures & WorkerFigures> {
  const [tasks, workers] = await Promise.all([taskFigures(store, config, WORKSPACE_GROUP, now, channelSid), workersRealTime(store, config)]);
  return { ...tasks, ...workers };
}

/** The tasks of a workflow right now. */
export async function workflowRealTime(
  store: RoutingStore,
  config: WorkspaceConfig,
  workflowSid: string,
  now: number,
  channelSid?: string,
): Promise<TaskFigures> {
  return taskFigures(store, config, workflowGroup(workflowSid), now, channelSid);
}

/**
 * A queue's tasks and eligible workers right now. A sid of no queue reads as an empty queue (bulk requests answer
 * such sids with zeros).
 */
export async function queueRealTime(store: RoutingStore, config: WorkspaceConfig, queueSid: string, now: number, channelSid?: string): Promise<QueueFigures> {
  const ws = config.workspace.sid;
  const group = queueGroup(queueSid);
  const [counters, longestWaiting, longestInQueue, eligible] = await Promise.all([
    store.readCounters(ws, group),
    oldestWaiting(store, ws, ageIndex(group), now, channelSid),
    oldestWaiting(store, ws, enteredIndex(queueSid), now, channelSid),
    store.countIndex(ws, membersIndex(queueSid)),
  ]);
  return {
    ...tasksFromCounters(counters, channelSid),
    longestWaiting,
    longestInQueue,
    totalAvailableWorkers: counters[MEMBERS_AVAILABLE_KEY] ?? 0,
    totalEligibleWorkers: eligible,
    activityStatistics: activityCounts(config, (sid) => counters[membersInActivityKey(sid)] ?? 0),
    tasksByChannel: new Map(config.channels.map((c) => [c.sid, tasksFromCounters(counters, c.sid).tasksByStatus])),
  };
}

/** Workers by activity: counters for every worker or a queue's; a name filter has to look at the workers. */
export async function workersRealTime(store: RoutingStore, config: WorkspaceConfig, selection: WorkerSelection = {}): Promise<WorkerFigures> {
  const ws = config.workspace.sid;
  if (selection.friendlyName !== undefined) {
    const workers = await selectWorkers(store, config, selection);
    const counts = new Map<string, number>();
    for (const w of workers) counts.set(w.activitySid, (counts.get(w.activitySid) ?? 0) + 1);
    return { activityStatistics: activityCounts(config, (sid) => counts.get(sid) ?? 0), totalWorkers: workers.length };
  }
  if (selection.queueSid !== undefined) {
    const [counters, total] = await Promise.all([
      store.readCounters(ws, queueGroup(selection.queueSid)),
      store.countIndex(ws, membersIndex(selection.queueSid)),
    ]);
    return { activityStatistics: activityCounts(config, (sid) => counters[membersInActivityKey(sid)] ?? 0), totalWorkers: total };
  }
  const counters = await store.readCounters(ws, WORKERS_GROUP);
  return { activityStatistics: activityCounts(config, (sid) => counters[workersInActivityKey(sid)] ?? 0), totalWorkers: counters[WORKERS_TOTAL_KEY] ?? 0 };
}

/** The workers a selection covers, in creation order. */
export async function selectWorkers(store: RoutingStore, config: WorkspaceConfig, selection: WorkerSelection): Promise<WorkerRecord[]> {
  const name = selection.friendlyName?.toLowerCase();
  return (await store.list(config.workspace.sid, 'worker')).filter(
    (w) => (selection.queueSid === undefined || w.queueSids.includes(selection.queueSid)) && (name === undefined || w.friendlyName.toLowerCase() === name),
  );
}

async function taskFigures(store: RoutingStore, config: WorkspaceConfig, group: TaskScopeGroup, now: number, channelSid?: string): Promise<TaskFigures> {
  const ws = config.workspace.sid;
  const [counters, longestWaiting] = await Promise.all([store.readCounters(ws, group), oldestWaiting(store, ws, ageIndex(group), now, channelSid)]);
  return { ...tasksFromCounters(counters, channelSid), longestWaiting };
}

/** Task counters are kept per channel; without a channel they are summed. */
function tasksFromCounters(counters: Record<string, number>, channelSid?: string): Omit<TaskFigures, 'longestWaiting'> {
  const tasksByStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<AssignmentStatus, number>;
  const tasksByPriority: Record<string, number> = {};
  for (const [key, value] of Object.entries(counters)) {
    const counter = parseCounterKey(key);
    if (counter?.figure !== 'status' && counter?.figure !== 'priority') continue;
    if (channelSid !== undefined && counter.channelSid !== channelSid) continue;
    if (counter.figure === 'status' && counter.status in tasksByStatus) tasksByStatus[counter.status as AssignmentStatus] += value;
    if (counter.figure === 'priority') tasksByPriority[counter.priority] = (tasksByPriority[counter.priority] ?? 0) + value;
  }
  const totalTasks = Object.values(tasksByStatus).reduce((sum, n) => sum + n, 0);
  return { tasksByStatus, tasksByPriority, totalTasks };
}

function activityCounts(config: WorkspaceConfig, count: (activitySid: string) => number): ActivityCount[] {
  return [...config.activities.values()].map((a) => ({ sid: a.sid, friendlyName: a.friendlyName, workers: count(a.sid) }));
}

/**
 * The head of an age or entered index (oldest first). With a channel, the oldest tasks are read until
 * one of that channel turns up; past CHANNEL_SCAN_LIMIT the answer is "none" rather than a scan of the whole queue.
 */
async function oldestWaiting(store: RoutingStore, ws: string, index: IndexName, now: number, channelSid?: string): Promise<LongestWaiting> {
  if (channelSid === undefined) {
    const [head] = await store.rangeIndex(ws, index, 1);
    return head === undefined ? NONE_WAITING : waitingOf(head, now);
  }
  let after: string | undefined;
  for (let scanned = 0; scanned < CHANNEL_SCAN_LIMIT;) {
    const page = await store.rangeIndexRecords(ws, index, 'task', CHANNEL_SCAN_PAGE, after);
    if (page.length === 0) break;
    const found = page.find((m) => m.record?.taskChannelSid === channelSid);
    if (found) return waitingOf(found.member, now);
    if (page.length < CHANNEL_SCAN_PAGE) break;
    scanned += page.length;
    after = page[page.length - 1]!.member;
  }
  return NONE_WAITING;
}

const NONE_WAITING: LongestWaiting = { age: 0, sid: null };

function waitingOf(member: string, now: number): LongestWaiting {
  const { ms, sid } = parseTimeMember(member);
  return { age: Math.max(0, Math.floor((now - ms) / 1000)), sid };
}

// ---------------------------------------------------------------------------------------------------------------
// Cumulative

/** A time window: events dated from `start` to `end`, both included (epoch ms). */
export interface StatisticsWindow {
  start: number;
  end: number;
}

/** Reservations created, and ended each way, in a window. */
export interface ReservationCounts {
  created: number;
  accepted: number;
  rejected: number;
  timedOut: number;
  canceled: number;
  rescinded: number;
}

/** Whole seconds. */
export interface Durations {
  avg: number;
  min: number;
  max: number;
  total: number;
}

/** Tasks canceled and reservations accepted with waits above and at-or-below one threshold (seconds). */
export interface WaitSplit {
  threshold: number;
  above: { tasksCanceled: number; reservationsAccepted: number };
  below: { tasksCanceled: number; reservationsAccepted: number };
}

/** What happened to tasks of a scope in a window. */
export interface TaskCumulative {
  reservations: ReservationCounts;
  tasksCreated: number;
  /** Into the queue (queue scope) or the workflow (otherwise). */
  tasksEntered: number;
  tasksCanceled: number;
  tasksCompleted: number;
  tasksDeleted: number;
  tasksMoved: number;
  tasksTimedOutInWorkflow: number;
  waitUntilAccepted: Durations;
  waitUntilCanceled: Durations;
  waitInQueueUntilAccepted: Durations;
  /** One entry per requested threshold, in the order asked; null when none was asked. */
  splitByWaitTime: WaitSplit[] | null;
}

/** Which tasks cumulative task statistics cover: the workspace's, or a queue's or workflow's; optionally one channel. */
export interface TaskScope {
  queueSid?: string;
  workflowSid?: string;
  channelSid?: string;
}

/** Time workers spent in one activity, over their stints in it. */
export interface ActivityDuration extends Durations {
  sid: string;
  friendlyName: string;
}

/** What workers did in a window. */
export interface WorkerCumulative {
  reservations: ReservationCounts;
  /** Every activity of the workspace, zeros included. */
  activityDurations: ActivityDuration[];
}

/** The events cumulative statistics read: those of the window and any after it (activity durations need those). */
export function eventsSince(store: RoutingStore, ws: string, start: number): Promise<TaskRouterEvent[]> {
  return store.listEvents(ws, start);
}

const RESERVATION_OUTCOMES: Partial<Record<EventType, keyof ReservationCounts>> = {
  'reservation.created': 'created',
  'reservation.accepted': 'accepted',
  'reservation.rejected': 'rejected',
  'reservation.timeout': 'timedOut',
  'reservation.canceled': 'canceled',
  'reservation.rescinded': 'rescinded',
};

/** Reservations, task outcomes and waits of the tasks in `scope`, from the events dated in `window`. */
export function taskCumulative(events: readonly TaskRouterEvent[], window: StatisticsWindow, scope: TaskScope, thresholds?: readonly number[]): TaskCumulative {
  const reservations = noReservations();
  const counts = { created: 0, entered: 0, canceled: 0, completed: 0, deleted: 0, moved: 0, timedOut: 0 };
  const enteredType = scope.queueSid === undefined ? 'workflow.entered' : 'task-queue.entered';
  const acceptedWaits: number[] = [];
  const canceledWaits: number[] = [];
  const inQueueWaitsMs: number[] = [];
  for (const e of events) {
    if (e.eventDate < window.start || e.eventDate > window.end || !taskInScope(e, scope)) continue;
    const outcome = RESERVATION_OUTCOMES[e.eventType];
    if (outcome) reservations[outcome] += 1;
    if (e.eventType === enteredType) counts.entered += 1;
    switch (e.eventType) {
      case 'task.created':
        counts.created += 1;
        break;
      case 'task.canceled':
        counts.canceled += 1;
        pushAge(canceledWaits, e.data.task_age);
        break;
      case 'task.completed':
        counts.completed += 1;
        break;
      case 'task.deleted':
      case 'task.system-deleted':
        counts.deleted += 1;
        break;
      case 'task-queue.moved':
        counts.moved += 1;
        break;
      case 'workflow.timeout':
        counts.timedOut += 1;
        break;
      case 'reservation.accepted': {
        pushAge(acceptedWaits, e.data.task_age);
        const entered = Number(e.data.task_queue_entered_date_ms ?? NaN);
        if (Number.isFinite(entered)) inQueueWaitsMs.push(Math.max(0, e.eventDate - entered));
        break;
      }
    }
  }
  return {
    reservations,
    tasksCreated: counts.created,
    tasksEntered: counts.entered,
    tasksCanceled: counts.canceled,
    tasksCompleted: counts.completed,
    tasksDeleted: counts.deleted,
    tasksMoved: counts.moved,
    tasksTimedOutInWorkflow: counts.timedOut,
    waitUntilAccepted: durationsOf(acceptedWaits.map((s) => s * 1000)),
    waitUntilCanceled: durationsOf(canceledWaits.map((s) => s * 1000)),
    waitInQueueUntilAccepted: durationsOf(inQueueWaitsMs),
    splitByWaitTime: thresholds === undefined ? null : thresholds.map((t) => splitAt(t, canceledWaits, acceptedWaits)),
  };
}

/** Task statistics of several queues over the same events, each queue's events picked out in one pass. */
export function queuesCumulative(
  events: readonly TaskRouterEvent[],
  window: StatisticsWindow,
  queueSids: readonly string[],
  channelSid?: string,
  thresholds?: readonly number[],
): Map<string, TaskCumulative> {
  const byQueue = new Map<string, TaskRouterEvent[]>(queueSids.map((q) => [q, []]));
  for (const e of events) byQueue.get(queueOf(e) ?? '')?.push(e);
  return new Map(queueSids.map((q) => [q, taskCumulative(byQueue.get(q)!, window, { queueSid: q, channelSid }, thresholds)]));
}

/**
 * Reservations of the selected workers (`workerSids`; null = every worker, deleted ones included) and the activity
 * durations of `workers`.
 */
export function workerCumulative(
  events: readonly TaskRouterEvent[],
  window: StatisticsWindow,
  config: WorkspaceConfig,
  workers: readonly WorkerRecord[],
  workerSids: ReadonlySet<string> | null,
  now: number,
  channelSid?: string,
): WorkerCumulative {
  const reservations = noReservations();
  for (const e of events) {
    const outcome = RESERVATION_OUTCOMES[e.eventType];
    if (!outcome || e.eventDate < window.start || e.eventDate > window.end) continue;
    const fields = fieldsOf(e);
    if (channelSid !== undefined && fields.task_channel_sid !== channelSid) continue;
    if (workerSids !== null && !workerSids.has(fields.worker_sid ?? '')) continue;
    reservations[outcome] += 1;
  }
  return { reservations, activityDurations: activityDurations(events, window, config, workers, now) };
}

function activityDurations(
  events: readonly TaskRouterEvent[],
  window: StatisticsWindow,
  config: WorkspaceConfig,
  workers: readonly WorkerRecord[],
  now: number,
): ActivityDuration[] {
  const updates = new Map<string, Array<TaskRouterEvent<'worker.activity.update'>>>();
  for (const e of events) {
    if (e.eventType !== 'worker.activity.update') continue;
    const list = updates.get(e.resourceSid) ?? [];
    list.push(e);
    updates.set(e.resourceSid, list);
  }
  const stints = new Map<string, number[]>();
  const count = (activitySid: string, from: number, to: number) => {
    const ms = Math.min(to, window.end) - Math.max(from, window.start);
    if (ms <= 0) return;
    const list = stints.get(activitySid) ?? [];
    list.push(ms);
    stints.set(activitySid, list);
  };
  for (const worker of workers) {
    // Until a later change says otherwise, the worker is in its current activity up to the end of the window.
    let open = { activitySid: worker.activitySid, since: worker.dateStatusChanged, until: Math.min(window.end, now) };
    for (const e of updates.get(worker.sid) ?? []) {
      const previous = e.data.worker_previous_activity_sid;
      const spentMs = Number(e.data.worker_time_in_previous_activity_ms ?? NaN);
      if (!previous || !Number.isFinite(spentMs)) continue;
      if (e.eventDate > window.end) {
        open = { activitySid: previous, since: e.eventDate - spentMs, until: window.end };
        break;
      }
      count(previous, e.eventDate - spentMs, e.eventDate);
    }
    count(open.activitySid, open.since, open.until);
  }
  return [...config.activities.values()].map((a) => ({ sid: a.sid, friendlyName: a.friendlyName, ...durationsOf(stints.get(a.sid) ?? []) }));
}

function taskInScope(e: TaskRouterEvent, scope: TaskScope): boolean {
  const fields = fieldsOf(e);
  if (scope.channelSid !== undefined && fields.task_channel_sid !== scope.channelSid) return false;
  if (scope.queueSid !== undefined && queueOf(e) !== scope.queueSid) return false;
  if (scope.workflowSid !== undefined && fields.workflow_sid !== scope.workflowSid) return false;
  return true;
}

/** The queue an event counts for: the one a `task-queue.*` event is about, else the one its task or reservation is in. */
function queueOf(e: TaskRouterEvent): string | undefined {
  return e.eventType.startsWith('task-queue.') ? e.resourceSid : fieldsOf(e).task_queue_sid;
}

function pushAge(into: number[], taskAge: string): void {
  const age = Number(taskAge);
  if (Number.isFinite(age)) into.push(age);
}

function splitAt(threshold: number, canceledWaits: readonly number[], acceptedWaits: readonly number[]): WaitSplit {
  const below = (waits: readonly number[]) => waits.filter((w) => w <= threshold).length;
  return {
    threshold,
    above: { tasksCanceled: canceledWaits.length - below(canceledWaits), reservationsAccepted: acceptedWaits.length - below(acceptedWaits) },
    below: { tasksCanceled: below(canceledWaits), reservationsAccepted: below(acceptedWaits) },
  };
}

function durationsOf(valuesMs: readonly number[]): Durations {
  if (valuesMs.length === 0) return { avg: 0, min: 0, max: 0, total: 0 };
  const total = valuesMs.reduce((sum, v) => sum + v, 0);
  return {
    avg: Math.round(total / valuesMs.length / 1000),
    min: Math.floor(valuesMs.reduce((m, v) => Math.min(m, v), Infinity) / 1000),
    max: Math.floor(valuesMs.reduce((m, v) => Math.max(m, v), 0) / 1000),
    total: Math.floor(total / 1000),
  };
}

function noReservations(): ReservationCounts {
  return { created: 0, accepted: 0, rejected: 0, timedOut: 0, canceled: 0, rescinded: 0 };
}
