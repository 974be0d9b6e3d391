import type { QueueOrder } from '../../core/model.js';
import type { WorkspaceConfig } from '../workspace-config.js';

/**
 * Every index and counter routing keeps besides the records themselves: their names, and how members and counter
 * keys are encoded and read back. This is the one place that spells them; the stores persist them as given, so a
 * name or encoding changed here changes what data written before reads as.
 *
 * Indexes hold members compared as bytes, so each member encodes its sort key as fixed-width digits: priorities up to
 * 2^31−1 and millisecond times both stay exact (a double score could not hold the pair). A member ends with the sid
 * of the record it stands for (after the last `:`), which is how the stores find that record.
 *
 *   pending:<WQ>:<TC>    tasks waiting in a queue on a channel     <inverted priority:10><time key:15>:<WT>
 *   idle:<WQ>:<TC>       workers who could take a task now          <idle since:15>:<WK>
 *   members:<WQ>         workers matching the queue's TargetWorkers <WK>
 *   age:<scope group>    pending and reserved tasks of a scope      <date created:15>:<WT>
 *   entered:<WQ>         pending and reserved tasks of a queue      <entered the queue:15>:<WT>
 *   reservations:<WK>    a worker's reservations                    <date created:15>:<WR>
 *
 * Counter groups and their keys:
 *   ws, q:<WQ>, wf:<WW>  (task scopes)  status:<status>:<TC>, priority:<priority>:<TC> (pending and reserved only)
 *   workers                             activity:<WA>, total
 *   q:<WQ>                              members:activity:<WA>, members:available
 *   rate:<WQ>                           reserved:<minute since the epoch> (tasks the queue reserved that minute)
 */

declare const indexBrand: unique symbol;
declare const groupBrand: unique symbol;
declare const scopeBrand: unique symbol;

/** The name of an ordered index. */
export type IndexName = string & { readonly [indexBrand]: true };
/** The name of a group of counters (a hash of counter keys to counts). */
export type CounterGroup = string & { readonly [groupBrand]: true };
/** The counter group of a scope tasks are counted in: the workspace, a queue or a workflow. */
export type TaskScopeGroup = CounterGroup & { readonly [scopeBrand]: true };

const MAX_PRIORITY = 2_147_483_647;
const MAX_TIME = 999_999_999_999_999;
const TIME_DIGITS = 15;
const PRIORITY_DIGITS = 10;

// ---------------------------------------------------------------------------------------------------------------
// Counter groups

/** The workspace's tasks. */
export const WORKSPACE_GROUP = 'ws' as TaskScopeGroup;
/** A queue's tasks, and its eligible workers. */
export const queueGroup = (queueSid: string): TaskScopeGroup => `q:${queueSid}` as TaskScopeGroup;
/** A workflow's tasks. */
export const workflowGroup = (workflowSid: string): TaskScopeGroup => `wf:${workflowSid}` as TaskScopeGroup;
/** Every worker of the workspace. */
export const WORKERS_GROUP = 'workers' as CounterGroup;
/** How many tasks a queue reserved, minute by minute. */
export const paceGroup = (queueSid: string): CounterGroup => `rate:${queueSid}` as CounterGroup;

/** The narrowest task scope named: a queue, else a workflow, else the workspace. */
export function taskScopeGroup(scope: { taskQueueSid?: string; workflowSid?: string }): TaskScopeGroup {
  if (scope.taskQueueSid !== undefined) return queueGroup(scope.taskQueueSid);
  if (scope.workflowSid !== undefined) return workflowGroup(scope.workflowSid);
  return WORKSPACE_GROUP;
}

// ---------------------------------------------------------------------------------------------------------------
// Counter keys

/** Tasks of a scope in an assignment status, on a channel. */
export const statusKey = (status: string, channelSid: string): string => `status:${status}:${channelSid}`;
/** Pending and reserved tasks of a scope at a priority, on a channel. */
export const priorityKey = (priority: number, channelSid: string): string => `priority:${priority}:${channelSid}`;
/** Workers in an activity (group `workers`). */
export const workersInActivityKey = (activitySid: string): string => `activity:${activitySid}`;
/** Every worker (group `workers`). */
export const WORKERS_TOTAL_KEY = 'total';
/** A queue's eligible workers in an activity. */
export const membersInActivityKey = (activitySid: string): string => `members:activity:${activitySid}`;
/** A queue's eligible workers in an available activity. */
export const MEMBERS_AVAILABLE_KEY = 'members:available';
/** Tasks a queue reserved in one minute (group `rate:<WQ>`). */
export const reservedInMinuteKey = (minute: number): string => `reserved:${minute}`;

/** A counter key read back. */
export type CounterKey =
  | { figure: 'status'; status: string; channelSid: string }
  | { figure: 'priority'; priority: string; channelSid: string }
  | { figure: 'workersInActivity'; activitySid: string }
  | { figure: 'workersTotal' }
  | { figure: 'membersInActivity'; activitySid: string }
  | { figure: 'membersAvailable' }
  | { figure: 'reservedInMinute'; minute: number };

/** Reads a counter key back; null for a key no builder above makes. */
export function parseCounterKey(key: string): CounterKey | null {
  if (key === WORKERS_TOTAL_KEY) return { figure: 'workersTotal' };
  if (key === MEMBERS_AVAILABLE_KEY) return { figure: 'membersAvailable' };
  const parts = key.split(':');
  const [head, a, b] = parts;
  if (parts.length === 3 && (head === 'status' || head === 'priority')) {
    return head === 'status' ? { figure: 'status', status: a!, channelSid: b! } : { figure: 'priority', priority: a!, channelSid: b! };
  }
  if (parts.length === 3 && head === 'members' && a === 'activity') return { figure: 'membersInActivity', activitySid: b! };
  if (parts.length === 2 && head === 'activity') return { figure: 'workersInActivity', activitySid: a! };
  if (parts.length === 2 && head === 'reserved') return { figure: 'reservedInMinute', minute: Number(a) };
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Indexes

/** Tasks waiting in a queue on a channel, best first (see `pendingMember`). */
export const pendingIndex = (queueSid: string, channelSid: string): IndexName => `pending:${queueSid}:${channelSid}` as IndexName;
/** A queue's workers who could take a task on a channel now, longest idle first (time members). */
export const idleIndex = (queueSid: string, channelSid: string): IndexName => `idle:${queueSid}:${channelSid}` as IndexName;
/** Workers matching a queue's TargetWorkers (members are worker sids). */
export const membersIndex = (queueSid: string): IndexName => `members:${queueSid}` as IndexName;
/** Pending and reserved tasks of a scope, oldest first by creation (time members). */
export const ageIndex = (scope: TaskScopeGroup): IndexName => `age:${scope}` as IndexName;
/** Pending and reserved tasks of a queue, oldest first by entry into it (time members). */
export const enteredIndex = (queueSid: string): IndexName => `entered:${queueSid}` as IndexName;
/** A worker's reservations, oldest first (time members). */
export const workerReservationsIndex = (workerSid: string): IndexName => `reservations:${workerSid}` as IndexName;

/**
 * Every index of a configuration's queues, channels and workflows (a worker's reservations aside): those a
 * consistent workspace may hold members in.
 */
export function configIndexes(config: Pick<WorkspaceConfig, 'queues' | 'channels' | 'workflows'>): IndexName[] {
  const names = [ageIndex(WORKSPACE_GROUP), ...[...config.workflows.keys()].map((w) => ageIndex(workflowGroup(w)))];
  for (const q of config.queues.keys()) {
    names.push(membersIndex(q), ageIndex(queueGroup(q)), enteredIndex(q));
    for (const c of config.channels) names.push(pendingIndex(q, c.sid), idleIndex(q, c.sid));
  }
  return names;
}

/** A member of a queue's pending index: higher priority first; then older (FIFO) or newer (LIFO) virtual start time. */
export function pendingMember(priority: number, virtualStartTime: number, order: QueueOrder, taskSid: string): string {
  const time = order === 'FIFO' ? virtualStartTime : MAX_TIME - virtualStartTime;
  return `${digits(MAX_PRIORITY - priority, PRIORITY_DIGITS)}${digits(time, TIME_DIGITS)}:${taskSid}`;
}

/** Reads the sid and sort fields back out of a pending member. */
export function parsePendingMember(member: string): { priority: number; timeKey: number; taskSid: string } {
  const timeEnd = PRIORITY_DIGITS + TIME_DIGITS;
  return {
    priority: MAX_PRIORITY - Number(member.slice(0, PRIORITY_DIGITS)),
    timeKey: Number(member.slice(PRIORITY_DIGITS, timeEnd)),
    taskSid: member.slice(timeEnd + 1),
  };
}

/** A member ordered by a time, oldest first: of the idle, age, entered and worker reservations indexes. */
export function timeMember(ms: number, sid: string): string {
  return `${digits(ms, TIME_DIGITS)}:${sid}`;
}

/** Reads the time and sid back out of a time member. */
export function parseTimeMember(member: string): { ms: number; sid: string } {
  return { ms: Number(member.slice(0, TIME_DIGITS)), sid: member.slice(TIME_DIGITS + 1) };
}

function digits(value: number, width: number): string {
  return String(Math.max(0, Math.floor(value))).padStart(width, '0');
}
