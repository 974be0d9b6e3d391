import type { TaskRecord, WorkerRecord } from '../core/model.js';
import type { Change } from './change.js';
import { transact, type EngineContext } from './context.js';
import { FirstAttempt } from './first-attempt.js';
import { joinFields, makeEvent, taskFields } from './events.js';
import { membersIndex } from './derived/schema.js';
import { cancelTask, loadHolders } from './lifecycle.js';
import { reserveForTask } from './matching.js';
import { matches, parseAttributes } from './routing-scope.js';
import { planSteps, stepTimer, targetOf, type Step } from './task-state.js';
import { compiledWorkflow } from './workflow-cache.js';
import type { WorkspaceConfig } from './workspace-config.js';

/**
 * Where a task stands in its workflow: entering steps, moving on when a step times out or is skipped, and falling
 * out of the workflow (canceled) when its last step times out.
 */

export const WORKFLOW_TIMEOUT_REASON = 'Workflow Timeout';
export const WORKFLOW_SKIPPED_REASON = 'Workflow Skipped';

/**
 * Puts `task` (a copy being written) into `step`: queue, priority, target snapshot and step timer. Returns the events
 * to emit once the task is written.
 */
export function enterStep(config: WorkspaceConfig, change: Change, task: TaskRecord, step: Step, attributes: Record<string, unknown>): void {
  const target = targetOf(step, attributes, config);
  if (task.taskQueueSid !== target.queueSid) task.taskQueueEnteredAt = change.now;
  task.taskQueueSid = target.queueSid;
  task.target = target;
  if (step.target.priority !== undefined) task.priority = step.target.priority;
  if (target.timeoutAt !== null) change.setTimer(stepTimer(task.sid), target.timeoutAt);
  else change.clearTimer(stepTimer(task.sid));
}

export function emitStepEntered(config: WorkspaceConfig, change: Change, before: TaskRecord | null, task: TaskRecord): void {
  if (before?.taskQueueSid !== task.taskQueueSid) {
    change.emit(
      makeEvent('task-queue.entered', config, change.now, task.taskQueueSid!, `Task ${task.sid} entered queue`, taskFields(task, config, change.now)),
    );
  }
}

export function emitTargetMatched(config: WorkspaceConfig, change: Change, task: TaskRecord): void {
  const filter = task.target && task.workflowSid ? filterName(config, task) : '';
  change.emit(
    makeEvent(
      'workflow.target-matched',
      config,
      change.now,
      task.workflowSid ?? task.sid,
      `Task ${task.sid} matched a workflow target`,
      joinFields(taskFields(task, config, change.now), {
        workflow_filter_name: filter,
        workflow_filter_target: String(task.target?.targetIndex ?? ''),
      }),
    ),
  );
}

function filterName(config: WorkspaceConfig, task: TaskRecord): string {
  const wf = config.workflows.get(task.workflowSid!);
  if (!wf || !task.target) return '';
  if (task.target.filterIndex < 0) return 'Default Filter';
  return compiledWorkflow(wf).filters[task.target.filterIndex]?.name ?? '';
}

/** Steps of the task's workflow for its current attributes and age. */
export function planFor(config: WorkspaceConfig, task: TaskRecord, now: number) {
  const workflow = task.workflowSid ? config.workflows.get(task.workflowSid) : undefined;
  if (!workflow) return { steps: [] as Step[], timedOut: false };
  return planSteps(compiledWorkflow(workflow), parseAttributes(task.attributes), task, now);
}

/**
 * Re-runs a waiting task through its workflow (after a rejection, a reservation timeout, a step timeout, or an
 * attribute change) and then tries to reserve it. Tasks with live reservations are left alone.
 */
export async function reevaluateTask(ctx: EngineContext, ws: string, taskSid: string, cause: 'reevaluate' | 'timeout' = 'reevaluate'): Promise<void> {
  const placed = await transact(ctx, ws, async (config, change) => {
    const task = await ctx.store.get(ws, 'task', taskSid);
    if (!task || task.assignmentStatus !== 'pending') {
      if (cause === 'timeout') change.clearTimer(stepTimer(taskSid));
      return false;
    }
    if (!task.workflowSid) return true; // routed straight to a queue: nothing to re-plan
    const plan = planFor(config, task, change.now);
    if (plan.timedOut) {
      cancelTask(config, change, task, WORKFLOW_TIMEOUT_REASON, await loadHolders(ctx, ws, []), 'workflow.timeout');
      return false;
    }
    const next = { ...task };
    const step = plan.steps[0];
    if (!step) {
      next.target = null;
      next.taskQueueSid = null;
      change.clearTimer(stepTimer(task.sid));
      change.put('task', task, next);
      return false;
    }
    if (cause === 'timeout' && task.taskQueueSid) {
      change.emit(
        makeEvent('task-queue.timeout', config, change.now, task.taskQueueSid, `Task ${task.sid} timed out of its queue`, taskFields(task, config, change.now)),
      );
    }
    enterStep(config, change, next, step, parseAttributes(task.attributes));
    const written = change.put('task', task, next);
    if (task.taskQueueSid && task.taskQueueSid !== written.taskQueueSid) {
      change.emit(
        makeEvent(
          'task-queue.moved',
          config,
          change.now,
          task.taskQueueSid,
          `Task ${task.sid} moved to another queue`,
          taskFields(written, config, change.now),
        ),
      );
    }
    emitStepEntered(config, change, task, written);
    emitTargetMatched(config, change, written);
    return true;
  });
  if (placed) await routeTask(ctx, ws, taskSid);
}

/**
 * Reserves workers for a task that just entered a step; when none can be reserved right away and the step's skip_if
 * holds, moves on to the next step — and after the last one, out of the workflow. `known` is the task as its caller
 * just wrote it. Returns the task as routing left it when that is known without another read.
 */
export async function routeTask(ctx: EngineContext, ws: string, taskSid: string, known?: TaskRecord): Promise<TaskRecord | null> {
  const first = new FirstAttempt(known);
  for (let guard = 0; guard < 256; guard++) {
    const { made, task } = await reserveForTask(ctx, ws, taskSid, first.take());
    if (made !== 0) return made > 0 ? task : null;
    if (!task?.target?.skipIf) return task;
    const moved = await transact(ctx, ws, async (config, change) => {
      const task = await ctx.store.get(ws, 'task', taskSid);
      if (!task || task.assignmentStatus !== 'pending' || !task.target?.skipIf) return false;
      const counts = await workerCounts(ctx, config, task.target.queueSid);
      if (!matches(task.target.skipIf, { workers: counts })) return false;
      const plan = planFor(config, task, change.now);
      const at = plan.steps.findIndex((s) => s.filterIndex === task.target!.filterIndex && s.targetIndex === task.target!.targetIndex);
      const step = plan.steps[at + 1];
      if (!step) {
        cancelTask(config, change, task, WORKFLOW_SKIPPED_REASON, await loadHolders(ctx, ws, []), 'workflow.skipped');
        return false;
      }
      const next = { ...task };
      enterStep(config, change, next, step, parseAttributes(task.attributes));
      const written = change.put('task', task, next);
      emitStepEntered(config, change, task, written);
      emitTargetMatched(config, change, written);
      return true;
    });
    if (!moved) return null;
  }
  return null;
}

/** skip_if's view of a queue: `workers.available`, `workers.unavailable` and `workers.<activity sid>` counts. */
async function workerCounts(ctx: EngineContext, config: WorkspaceConfig, queueSid: string): Promise<Record<string, number>> {
  const ws = config.workspace.sid;
  const counts: Record<string, number> = { available: 0, unavailable: 0 };
  let after: string | undefined;
  for (;;) {
    const members = await ctx.store.rangeIndex(ws, membersIndex(queueSid), 500, after);
    if (members.length === 0) break;
    after = members[members.length - 1];
    const workers = await ctx.store.getMany(ws, 'worker', members);
    for (const w of workers.filter((x): x is WorkerRecord => x !== null)) {
      counts[config.activities.get(w.activitySid)?.available ? 'available' : 'unavailable']! += 1;
      counts[w.activitySid] = (counts[w.activitySid] ?? 0) + 1;
    }
  }
  return counts;
}
