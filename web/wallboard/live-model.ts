import type { ActivityJson, AssignmentStatus, EventJson, TaskJson, TaskQueueJson, WorkerJson } from './wire.ts';

/** An agent as the wallboard shows it: who, in which activity, since when (epoch ms). */
export interface Agent {
  sid: string;
  name: string;
  activitySid: string;
  activityName: string;
  since: number;
}

/** A task not yet ended: where it waits or who holds it. */
export interface LiveTask {
  sid: string;
  status: AssignmentStatus;
  queueSid: string | null;
  channel: string;
  priority: number;
  /** Epoch ms. */
  createdAt: number;
  /** The worker who accepted it, or who is being offered it. */
  workerSid: string | null;
  /** What the task is about, for the supervisor: the caller or sender when it has one. */
  label: string;
}

/** A task's wait that ended: accepted by an agent, or canceled (abandoned) before anyone did. */
export interface EndedWait {
  taskSid: string;
  createdAt: number;
  endedAt: number;
  waitSeconds: number;
  outcome: 'accepted' | 'canceled';
}

/** Everything the wallboard follows from the event stream, between reloads. */
export interface LiveBoard {
  activities: Map<string, ActivityJson>;
  queues: Map<string, TaskQueueJson>;
  agents: Map<string, Agent>;
  tasks: Map<string, LiveTask>;
  /** Oldest first, kept for `WAIT_HISTORY_MS`. */
  endedWaits: EndedWait[];
  /** The tasks of `endedWaits`. */
  endedTasks: Set<string>;
}

/** How far back ended waits are kept: the chart's hour plus the 30 minutes its first service level looks back on. */
export const WAIT_HISTORY_MS = 90 * 60_000;

const LIVE_STATUSES: ReadonlySet<string> = new Set(['pending', 'reserved', 'assigned', 'wrapping']);
const WAITING: ReadonlySet<string> = new Set(['pending', 'reserved']);

/** Whether a task is still waiting for an agent to accept it. */
export function isWaiting(task: LiveTask): boolean {
  return WAITING.has(task.status);
}

export function agentFromJson(w: WorkerJson): Agent {
  return {
    sid: w.sid,
    name: w.friendly_name,
    activitySid: w.activity_sid,
    activityName: w.activity_name ?? '',
    since: w.date_status_changed ? Date.parse(w.date_status_changed) : Date.now(),
  };
}

export function taskFromJson(t: TaskJson, workerSid: string | null): LiveTask {
  return {
    sid: t.sid,
    status: t.assignment_status,
    queueSid: t.task_queue_sid,
    channel: t.task_channel_unique_name ?? 'default',
    priority: t.priority,
    createdAt: Date.parse(t.date_created),
    workerSid,
    label: labelOf(t.attributes),
  };
}

/** Events that change what the board is made of (activities, queues, workers): the board is read again for them. */
const STRUCTURE_EVENTS =
  /^(activity\.(created|deleted|updated)|task-queue\.(created|deleted|updated|expression\.updated)|worker\.(created|deleted|attributes\.update))$/;

export function changesStructure(e: EventJson): boolean {
  return STRUCTURE_EVENTS.test(e.event_type);
}

/**
 * Brings the board up to date with one event. Events carry the task's and worker's state as it was committed, so the
 * same event applied twice (one the snapshot already showed) leaves the board as once.
 */
export function applyEvent(board: LiveBoard, e: EventJson): void {
  const d = e.event_data;
  const type = e.event_type;
  if (type === 'worker.activity.update' && d.worker_sid) {
    const agent = board.agents.get(d.worker_sid);
    if (agent && agent.since <= e.event_date_ms) {
      agent.activitySid = d.worker_activity_sid ?? agent.activitySid;
      agent.activityName = d.worker_activity_name ?? agent.activityName;
      agent.since = e.event_date_ms;
    }
    return;
  }
  if (!d.task_sid) return;
  if (type === 'reservation.accepted' || type === 'task.canceled') recordEndedWait(board, e);
  const status = d.task_assignment_status;
  if (type.startsWith('task.') && /deleted$/.test(type)) {
    board.tasks.delete(d.task_sid);
    return;
  }
  if (!status || !LIVE_STATUSES.has(status)) {
    if (status) board.tasks.delete(d.task_sid);
    return;
  }
  const task = board.tasks.get(d.task_sid) ?? newTask(e);
  task.status = status as AssignmentStatus;
  task.queueSid = d.task_queue_sid ?? task.queueSid;
  task.priority = d.task_priority ? Number(d.task_priority) : task.priority;
  if (type === 'reservation.created' || type === 'reservation.accepted') task.workerSid = d.worker_sid ?? task.workerSid;
  else if (/^reservation\.(rejected|timeout|canceled|rescinded)$/.test(type) && task.workerSid === d.worker_sid) task.workerSid = null;
  board.tasks.set(task.sid, task);
}

function newTask(e: EventJson): LiveTask {
  const d = e.event_data;
  return {
    sid: d.task_sid!,
    status: 'pending',
    queueSid: null,
    channel: d.task_channel_unique_name ?? 'default',
    priority: 0,
    createdAt: createdAt(e),
    workerSid: null,
    label: labelOf(d.task_attributes),
  };
}

function createdAt(e: EventJson): number {
  const seconds = Number(e.event_data.task_date_created);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : e.event_date_ms;
}

/**
 * Records the wait an event ended (`reservation.accepted`, `task.canceled`); the first acceptance of a task ends its
 * wait (a transfer accepted later is no wait of the caller's).
 */
export function recordEndedWait(board: LiveBoard, e: EventJson): void {
  const taskSid = e.event_data.task_sid!;
  if (board.endedTasks.has(taskSid)) return;
  board.endedTasks.add(taskSid);
  const age = Number(e.event_data.task_age);
  board.endedWaits.push({
    taskSid,
    createdAt: createdAt(e),
    endedAt: e.event_date_ms,
    waitSeconds: Number.isFinite(age) ? age : 0,
    outcome: e.event_type === 'task.canceled' ? 'canceled' : 'accepted',
  });
}

/** Drops ended waits older than the history the board keeps. */
export function forgetOldWaits(board: LiveBoard, now: number): void {
  const keepFrom = now - WAIT_HISTORY_MS;
  const first = board.endedWaits.findIndex((w) => w.endedAt >= keepFrom);
  for (const w of board.endedWaits.splice(0, first === -1 ? board.endedWaits.length : first)) board.endedTasks.delete(w.taskSid);
}

/** The caller or sender a task's attributes name, else its channel's words. */
function labelOf(attributes: string | undefined): string {
  try {
    const parsed = JSON.parse(attributes ?? '{}') as Record<string, unknown>;
    for (const key of ['name', 'caller', 'from', 'customer']) {
      const value = parsed[key];
      if (typeof value === 'string' && value) return value;
    }
  } catch {
    // Attributes that are not JSON name nobody.
  }
  return '';
}
