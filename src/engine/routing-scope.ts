import { evaluateExpression, parseExpression, type Expression } from '../core/expression/index.js';
import type { ActivityRecord, WorkerRecord } from '../core/model.js';
import type { WorkspaceConfig } from './workspace-config.js';
import { availableCapacityPercentage, channelState } from './worker-channels.js';

/**
 * The objects expressions are evaluated against, and a cache of parsed expressions (routing evaluates the same few
 * expressions over and over; parsing once keeps a match cheap).
 */

const parsed = new Map<string, Expression>();
const PARSE_CACHE_LIMIT = 10_000;

/** Parses an expression already validated at the API, through a bounded cache. */
export function compiled(source: string): Expression {
  let expr = parsed.get(source);
  if (!expr) {
    if (parsed.size >= PARSE_CACHE_LIMIT) parsed.clear();
    expr = parseExpression(source);
    parsed.set(source, expr);
  }
  return expr;
}

export function matches(source: string, scope: Record<string, unknown>): boolean {
  return evaluateExpression(compiled(source), scope);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `taskrouter.*` values: time of day in UTC. */
export function taskrouterScope(now: number): Record<string, unknown> {
  const d = new Date(now);
  const hour = d.getUTCHours();
  const min = d.getUTCMinutes();
  return { currentTime: hour * 100 + min, currentHour: hour, currentMin: min, dayOfWeek: DAYS[d.getUTCDay()] };
}

export function parseAttributes(json: string): Record<string, unknown> {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A worker as expressions see it: its attributes plus sid, friendly_name, activity and per-channel figures. */
export function workerScope(worker: WorkerRecord, config: WorkspaceConfig): Record<string, unknown> {
  const activity: ActivityRecord | undefined = config.activities.get(worker.activitySid);
  const channel: Record<string, unknown> = {};
  for (const ch of config.channels) {
    const st = channelState(worker, ch.sid);
    channel[ch.uniqueName] = {
      assigned_tasks: st.taskCount,
      configured_capacity: st.capacity,
      available: st.available,
      available_capacity_percentage: availableCapacityPercentage(st),
    };
  }
  return {
    ...parseAttributes(worker.attributes),
    sid: worker.sid,
    friendly_name: worker.friendlyName,
    activity_sid: worker.activitySid,
    activity_name: activity?.friendlyName ?? null,
    channel,
  };
}

/** Scope for a queue's TargetWorkers: the worker's attributes at the root, and also under `worker.`. */
export function targetWorkersScope(worker: WorkerRecord, config: WorkspaceConfig, now: number): Record<string, unknown> {
  const w = workerScope(worker, config);
  return { taskrouter: taskrouterScope(now), worker: w, ...w };
}

/** Scope for a workflow filter: the task's attributes at the root, and also under `task.`. */
export function filterScope(taskAttributes: Record<string, unknown>, now: number): Record<string, unknown> {
  return { taskrouter: taskrouterScope(now), task: taskAttributes, ...taskAttributes };
}

/** Scope for a target expression: `task.` and `worker.` prefixes. */
export function targetScope(taskAttributes: Record<string, unknown>, worker: WorkerRecord, config: WorkspaceConfig, now: number): Record<string, unknown> {
  return { task: taskAttributes, worker: workerScope(worker, config), taskrouter: taskrouterScope(now) };
}
