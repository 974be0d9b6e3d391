import { badRequest, notFound } from '../core/errors.js';
import { parseExpression } from '../core/expression/index.js';
import type { TaskQueueRecord } from '../core/model.js';
import { newSid } from '../core/sid.js';
import { friendlyName, intInRange, requireParam } from '../core/validate.js';
import { configurationQueueSids } from '../core/workflow/index.js';
import type { Change } from './change.js';
import type { TaskQueueInput } from './commands.js';
import { transact, type EngineContext } from './context.js';
import { makeEvent, taskQueueFields } from './events.js';
import { pullForWorkers } from './matching.js';
import { rebuildWorkers } from './reindex.js';
import { tasksToList } from './task-list.js';
import { compiledWorkflow } from './workflow-cache.js';
import type { WorkspaceConfig } from './workspace-config.js';
import { queueKey } from './workspaces.js';

const DEFAULT_TARGET_WORKERS = '1==1';

export async function createTaskQueue(ctx: EngineContext, ws: string, input: TaskQueueInput): Promise<TaskQueueRecord> {
  const name = friendlyName(requireParam(input.friendlyName, 'FriendlyName'));
  const previous = await ctx.configs.get(ctx.store, ws);
  const queue = await transact(ctx, ws, async (config, change) => {
    if (await ctx.store.lookupUnique(ws, queueKey(name))) {
      throw badRequest(`Queue named ${name} already exists for workspace ${ws} for account ${ctx.accountSid}`);
    }
    if (config.queues.size >= 5000) throw badRequest('A workspace can have at most 5000 TaskQueues');
    const created = change.put('taskQueue', null, {
      sid: newSid('WQ'),
      workspaceSid: ws,
      friendlyName: name,
      dateCreated: change.now,
      dateUpdated: change.now,
      version: 0,
      ...checkedSettings(config, input, {
        targetWorkers: DEFAULT_TARGET_WORKERS,
        maxReservedWorkers: 1,
        taskOrder: 'FIFO',
        reservationActivitySid: null,
        assignmentActivitySid: null,
      }),
    });
    change.claim(queueKey(name), created.sid);
    change.emit(makeEvent('task-queue.created', config, change.now, created.sid, `TaskQueue ${name} created`, taskQueueFields(created)));
    return created;
  });
  await pullForWorkers(ctx, ws, await rebuildWorkers(ctx, ws, previous));
  return queue;
}

export async function updateTaskQueue(ctx: EngineContext, ws: string, sid: string, input: TaskQueueInput): Promise<TaskQueueRecord> {
  const previous = await ctx.configs.get(ctx.store, ws);
  const before = requireQueue(previous, sid);
  const queue = await transact(ctx, ws, async (config, change) => {
    const current = requireQueue(config, sid);
    const next: TaskQueueRecord = { ...current, ...checkedSettings(config, input, current) };
    if (input.friendlyName !== undefined && input.friendlyName !== current.friendlyName) {
      next.friendlyName = friendlyName(requireParam(input.friendlyName, 'FriendlyName'));
      const holder = await ctx.store.lookupUnique(ws, queueKey(next.friendlyName));
      if (holder && holder !== sid) throw badRequest(`Queue named ${next.friendlyName} already exists for workspace ${ws}`);
      change.release(queueKey(current.friendlyName), sid);
      change.claim(queueKey(next.friendlyName), sid);
    }
    const written = change.put('taskQueue', current, next);
    if (written.taskOrder !== current.taskOrder) await reorderPendingTasks(ctx, config, written, change);
    change.emit(makeEvent('task-queue.updated', config, change.now, sid, `TaskQueue ${written.friendlyName} updated`, taskQueueFields(written)));
    if (written.targetWorkers !== current.targetWorkers) {
      change.emit(
        makeEvent('task-queue.expression.updated', config, change.now, sid, `TaskQueue ${written.friendlyName} expression updated`, taskQueueFields(written)),
      );
    }
    return written;
  });
  if (queue.targetWorkers !== before.targetWorkers) await pullForWorkers(ctx, ws, await rebuildWorkers(ctx, ws, previous));
  return queue;
}

export async function deleteTaskQueue(ctx: EngineContext, ws: string, sid: string): Promise<void> {
  const previous = await ctx.configs.get(ctx.store, ws);
  await transact(ctx, ws, async (config, change) => {
    const queue = requireQueue(config, sid);
    for (const wf of config.workflows.values()) {
      if (configurationQueueSids(compiledWorkflow(wf)).has(sid)) {
        throw badRequest(`TaskQueue ${sid} is referenced by Workflow ${wf.sid} and cannot be deleted`);
      }
    }
    const tasks = await ctx.store.list(ws, 'task');
    if (tasks.some((t) => t.taskQueueSid === sid && ['pending', 'reserved', 'assigned', 'wrapping'].includes(t.assignmentStatus))) {
      throw badRequest(`TaskQueue ${sid} has active tasks and cannot be deleted`);
    }
    change.delete('taskQueue', queue);
    change.release(queueKey(queue.friendlyName), sid);
    change.emit(makeEvent('task-queue.deleted', config, change.now, sid, `TaskQueue ${queue.friendlyName} deleted`, taskQueueFields(queue)));
  });
  await rebuildWorkers(ctx, ws, previous);
}

export function requireQueue(config: WorkspaceConfig, sid: string): TaskQueueRecord {
  const queue = config.queues.get(sid);
  if (!queue) throw notFound(`The requested resource /Workspaces/${config.workspace.sid}/TaskQueues/${sid} was not found`);
  return queue;
}

type QueueSettings = Pick<TaskQueueRecord, 'targetWorkers' | 'maxReservedWorkers' | 'taskOrder' | 'reservationActivitySid' | 'assignmentActivitySid'>;

function checkedSettings(config: WorkspaceConfig, input: TaskQueueInput, current: QueueSettings): QueueSettings {
  const settings = { ...current };
  if (input.targetWorkers !== undefined) {
    // An empty expression is allowed: nobody matches, tasks wait until moved or the expression changes.
    if (input.targetWorkers.trim() !== '') parseExpression(input.targetWorkers);
    settings.targetWorkers = input.targetWorkers;
  }
  if (input.maxReservedWorkers !== undefined) settings.maxReservedWorkers = intInRange(input.maxReservedWorkers, 'MaxReservedWorkers', 1, 50);
  if (input.taskOrder !== undefined) settings.taskOrder = input.taskOrder;
  for (const key of ['reservationActivitySid', 'assignmentActivitySid'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (value !== '' && !config.activities.has(value)) {
      throw badRequest(`${key[0]!.toUpperCase()}${key.slice(1)} ${value} is not an Activity of this workspace`);
    }
    settings[key] = value === '' ? null : value;
  }
  return settings;
}

/**
 * A queue's order changed: pending members encode it, so re-encode the queue's waiting tasks. Those are live tasks of
 * the queue (a task's taskQueueSid is its target's queue), read from its own live-task index.
 */
async function reorderPendingTasks(ctx: EngineContext, config: WorkspaceConfig, queue: TaskQueueRecord, change: Change): Promise<void> {
  const live = await tasksToList(ctx.store, config.workspace.sid, { statuses: ['pending', 'reserved'], taskQueueSid: queue.sid });
  const tasks = live.filter((t) => t.target?.queueSid === queue.sid);
  const nextConfig: WorkspaceConfig = { ...config, queues: new Map(config.queues).set(queue.sid, queue) };
  for (const task of tasks) {
    change.reindexUnder('task', task, nextConfig);
  }
}
