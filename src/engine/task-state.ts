import type { CompiledTarget, CompiledWorkflow } from '../core/workflow/index.js';
import { evaluateExpression } from '../core/expression/index.js';
import type { TaskRecord, TaskTarget } from '../core/model.js';
import { filterScope } from './routing-scope.js';
import type { WorkspaceConfig } from './workspace-config.js';

/** Tasks that still wait for (more) workers: pending, or reserved with fewer live reservations than the queue allows. */
export function isWaiting(task: TaskRecord): boolean {
  if (!task.target) return false;
  if (task.assignmentStatus === 'pending') return true;
  return task.assignmentStatus === 'reserved' && task.pendingReservations.length < task.target.maxReservedWorkers;
}

/** Pending and reserved: the statuses of tasks still in routing's hands (see `isLive`). */
export function isLiveStatus(status: string): boolean {
  return status === 'pending' || status === 'reserved';
}

export function isLive(task: TaskRecord): boolean {
  return isLiveStatus(task.assignmentStatus);
}

/** One routing step a task may stand in: a target of a filter, with its absolute timeout. */
export interface Step {
  filterIndex: number;
  targetIndex: number;
  target: CompiledTarget;
  timeoutAt: number | null;
}

export interface StepPlan {
  /** Steps in the order the task goes through them (by timeout or skip_if), from where its age puts it now. */
  steps: Step[];
  /** The first matching filter's last step has already timed out: the task falls out of the workflow. */
  timedOut: boolean;
}

/**
 * Where a task stands in a workflow at `now`. The first matching filter is used; its step timeouts add up on the
 * task's age, so steps whose cumulative timeout has passed are behind it. Later matching filters and then the
 * default filter follow, reachable only through skip_if (so planned only when one of the first filter's steps has one).
 */
export function planSteps(workflow: CompiledWorkflow, attributes: Record<string, unknown>, task: TaskRecord, now: number): StepPlan {
  const scope = filterScope(attributes, now);
  const steps: Step[] = [];
  let firstMatch = true;
  for (const [filterIndex, filter] of workflow.filters.entries()) {
    if (!evaluateExpression(filter.expression, scope)) continue;
    let elapsed = 0;
    const before = steps.length;
    for (const [targetIndex, target] of filter.targets.entries()) {
      let timeoutAt: number | null = null;
      if (target.timeout !== undefined) {
        elapsed += target.timeout;
        timeoutAt = task.dateCreated + elapsed * 1000;
      }
      if (timeoutAt !== null && timeoutAt <= now) continue;
      steps.push({ filterIndex, targetIndex, target, timeoutAt });
    }
    if (firstMatch && steps.length === before) return { steps: [], timedOut: true };
    // Beyond this filter's steps a task only goes by skipping them: when none of them has a skip_if, later filters
    // and the default one are never reached, and a workflow of many filters is not evaluated to its end.
    if (firstMatch && !steps.some((step) => step.target.skipIfSource !== undefined)) return { steps, timedOut: false };
    firstMatch = false;
  }
  if (workflow.defaultFilter) {
    steps.push({ filterIndex: -1, targetIndex: 0, target: workflow.defaultFilter, timeoutAt: null });
  }
  return { steps, timedOut: false };
}

/** Snapshot of a step for the task record: known-worker references resolved against the task now. */
export function targetOf(step: Step, attributes: Record<string, unknown>, config: WorkspaceConfig): TaskTarget {
  const t = step.target;
  return {
    filterIndex: step.filterIndex,
    targetIndex: step.targetIndex,
    queueSid: t.queueSid,
    expression: t.expressionSource ?? null,
    orderBy: t.orderBy ? JSON.stringify(t.orderBy) : null,
    skipIf: t.skipIfSource ?? null,
    knownWorkerSid: t.knownWorkerSid ? resolveReference(attributes, t.knownWorkerSid) : null,
    knownWorkerFriendlyName: t.knownWorkerFriendlyName ? resolveReference(attributes, t.knownWorkerFriendlyName) : null,
    timeoutAt: step.timeoutAt,
    maxReservedWorkers: config.queues.get(t.queueSid)?.maxReservedWorkers ?? 1,
  };
}

/** Resolves `task.x.y` against the task; '' when absent, which matches no worker (the task waits out the step). */
function resolveReference(attributes: Record<string, unknown>, path: string[]): string {
  let value: unknown = { task: attributes };
  for (const key of path) {
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

export const ttlTimer = (taskSid: string): string => `ttl:${taskSid}`;
export const stepTimer = (taskSid: string): string => `step:${taskSid}`;
export const reservationTimer = (reservationSid: string): string => `res:${reservationSid}`;
