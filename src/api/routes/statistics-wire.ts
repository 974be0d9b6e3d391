import type {
  ActivityCount,
  Durations,
  QueueFigures,
  ReservationCounts,
  StatisticsWindow,
  TaskCumulative,
  TaskFigures,
  WaitSplit,
  WorkerCumulative,
  WorkerFigures,
} from '../../engine/statistics.js';
import { formatDate } from '../wire/dates.js';
import { workspaceUrl, type WireContext } from '../wire/serialize/index.js';

/** Statistics figures as TaskRouter's snake_case JSON, with every field twilio-node reads. */

type Body = Record<string, unknown>;

/** What every statistics resource carries: its account, workspace and own URL (`path` inside the workspace). */
export function statisticsEnvelope(ctx: WireContext, path: string): Body {
  const ws = ctx.config.workspace.sid;
  return { account_sid: ctx.config.workspace.accountSid, workspace_sid: ws, url: workspaceUrl(ctx, ws, path) };
}

export function taskRealTimeBody(f: TaskFigures): Body {
  return {
    longest_task_waiting_age: f.longestWaiting.age,
    longest_task_waiting_sid: f.longestWaiting.sid,
    tasks_by_priority: f.tasksByPriority,
    tasks_by_status: f.tasksByStatus,
    total_tasks: f.totalTasks,
  };
}

export function workerRealTimeBody(f: WorkerFigures): Body {
  return { activity_statistics: f.activityStatistics.map(activityCountBody), total_workers: f.totalWorkers };
}

export function queueRealTimeBody(f: QueueFigures): Body {
  return {
    ...taskRealTimeBody(f),
    activity_statistics: f.activityStatistics.map(activityCountBody),
    longest_relative_task_age_in_queue: f.longestInQueue.age,
    longest_relative_task_sid_in_queue: f.longestInQueue.sid,
    total_available_workers: f.totalAvailableWorkers,
    total_eligible_workers: f.totalEligibleWorkers,
  };
}

/** One queue of a bulk real-time answer: the fields TaskRouter documents for `task_queue_data`. */
export function bulkQueueBody(queueSid: string, f: QueueFigures): Body {
  return {
    task_queue_sid: queueSid,
    total_available_workers: f.totalAvailableWorkers,
    total_eligible_workers: f.totalEligibleWorkers,
    total_tasks: f.totalTasks,
    longest_task_waiting_age: f.longestWaiting.age,
    longest_task_waiting_sid: f.longestWaiting.sid,
    tasks_by_status: f.tasksByStatus,
    tasks_by_priority: f.tasksByPriority,
    activity_statistics: f.activityStatistics.map(activityCountBody),
  };
}

/** Which task cumulative fields a scope has: queues and workflows count tasks entering them, not created. */
export type CumulativeScopeKind = 'workspace' | 'queue' | 'workflow';

export function taskCumulativeBody(c: TaskCumulative, window: StatisticsWindow, kind: CumulativeScopeKind): Body {
  const body: Body = {
    avg_task_acceptance_time: c.waitUntilAccepted.avg,
    ...windowBody(window),
    ...reservationsBody(c.reservations),
    split_by_wait_time: c.splitByWaitTime === null ? null : splitBody(c.splitByWaitTime),
    wait_duration_until_accepted: durationsBody(c.waitUntilAccepted),
    wait_duration_until_canceled: durationsBody(c.waitUntilCanceled),
    tasks_canceled: c.tasksCanceled,
    tasks_completed: c.tasksCompleted,
    tasks_deleted: c.tasksDeleted,
    tasks_moved: c.tasksMoved,
  };
  if (kind === 'workspace') body.tasks_created = c.tasksCreated;
  else body.tasks_entered = c.tasksEntered;
  if (kind !== 'queue') body.tasks_timed_out_in_workflow = c.tasksTimedOutInWorkflow;
  if (kind === 'queue') body.wait_duration_in_queue_until_accepted = durationsBody(c.waitInQueueUntilAccepted);
  return body;
}

export function workerCumulativeBody(c: WorkerCumulative, window: StatisticsWindow): Body {
  return {
    activity_durations: c.activityDurations.map((a) => ({ sid: a.sid, friendly_name: a.friendlyName, ...durationsBody(a) })),
    ...reservationsBody(c.reservations),
    ...windowBody(window),
  };
}

function windowBody(window: StatisticsWindow): Body {
  return { start_time: formatDate(window.start), end_time: formatDate(window.end) };
}

function reservationsBody(r: ReservationCounts): Body {
  return {
    reservations_created: r.created,
    reservations_accepted: r.accepted,
    reservations_rejected: r.rejected,
    reservations_timed_out: r.timedOut,
    reservations_canceled: r.canceled,
    reservations_rescinded: r.rescinded,
  };
}

function durationsBody(d: Durations): Body {
  return { avg: d.avg, min: d.min, max: d.max, total: d.total };
}

function splitBody(splits: readonly WaitSplit[]): Body {
  const side = (s: WaitSplit['above']) => ({ tasks_canceled: s.tasksCanceled, reservations_accepted: s.reservationsAccepted });
  return Object.fromEntries(splits.map((s) => [String(s.threshold), { above: side(s.above), below: side(s.below) }]));
}

function activityCountBody(a: ActivityCount): Body {
  return { sid: a.sid, friendly_name: a.friendlyName, workers: a.workers };
}
