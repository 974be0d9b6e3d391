import { Router } from 'express';
import { badRequest, notFound } from '../../core/errors.js';
import { evaluateExpression } from '../../core/expression/index.js';
import type { TaskRecord } from '../../core/model.js';
import { filterScope, parseAttributes } from '../../engine/routing-scope.js';
import { tasksToList } from '../../engine/task-list.js';
import { pathParam, wireContext, type ApiContext } from '../context.js';
import { ASSIGNMENT_STATUSES, taskCreateInput, taskUpdateInput } from '../wire/commands.js';
import { ifMatch } from '../wire/etag.js';
import { parseOrdering, sortBy, type SortKeys } from '../wire/ordering.js';
import { TwilioParams } from '../wire/params.js';
import { serializeTask } from '../wire/serialize/index.js';
import { compiledExpression } from './expressions.js';
import { sendDeleted, sendList, sendRecord } from './respond.js';

const SORT_KEYS: SortKeys<TaskRecord> = {
  DateCreated: (t) => t.dateCreated,
  Priority: (t) => t.priority,
  VirtualStartTime: (t) => t.virtualStartTime,
};

/** `/v1/Workspaces/{WS}/Tasks[/{WT}]`. */
export function tasksRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const query = TwilioParams.of(req.query);
    const priority = query.int('Priority');
    const statuses = query.list('AssignmentStatus');
    for (const s of statuses ?? []) {
      if (!(ASSIGNMENT_STATUSES as readonly string[]).includes(s)) {
        throw badRequest(`AssignmentStatus must be among ${ASSIGNMENT_STATUSES.join(', ')}, got '${s}'`);
      }
    }
    const workflowSid = query.string('WorkflowSid');
    const workflowName = query.string('WorkflowName');
    const queueSid = query.string('TaskQueueSid');
    const queueName = query.string('TaskQueueName');
    const routingTarget = query.string('RoutingTarget');
    const hasAddons = query.bool('HasAddons');
    const evaluate = query.string('EvaluateTaskAttributes');
    const expression = evaluate === undefined ? null : compiledExpression(evaluate, 'EvaluateTaskAttributes');
    const ordering = query.string('Ordering');
    const terms = ordering === undefined ? [{ field: 'DateCreated', descending: false }] : parseOrdering(ordering, Object.keys(SORT_KEYS));
    if (terms.some((t) => t.field === 'DateCreated') && terms.some((t) => t.field === 'VirtualStartTime')) {
      throw badRequest('Ordering cannot combine DateCreated and VirtualStartTime');
    }

    const ctx = await wireContext(api, ws);
    const workflowSids = workflowName === undefined ? null : sidsNamed(ctx.config.workflows.values(), workflowName);
    const queueSids = queueName === undefined ? null : sidsNamed(ctx.config.queues.values(), queueName);
    let tasks = (await tasksToList(api.engine.store, ws, { statuses, taskQueueSid: queueSid, workflowSid })).filter((t) => {
      if (priority !== undefined && t.priority !== priority) return false;
      if (statuses && statuses.length > 0 && !statuses.includes(t.assignmentStatus)) return false;
      if (workflowSid !== undefined && t.workflowSid !== workflowSid) return false;
      if (workflowSids && !(t.workflowSid && workflowSids.has(t.workflowSid))) return false;
      if (queueSid !== undefined && t.taskQueueSid !== queueSid) return false;
      if (queueSids && !(t.taskQueueSid && queueSids.has(t.taskQueueSid))) return false;
      if (routingTarget !== undefined && t.routingTarget !== routingTarget) return false;
      if (hasAddons !== undefined && hasAnyAddon(t) !== hasAddons) return false;
      if (expression && !evaluateExpression(expression, filterScope(parseAttributes(t.attributes), ctx.now))) return false;
      return true;
    });
    tasks = sortBy(tasks, terms, SORT_KEYS);
    sendList(req, res, ctx, 'tasks', tasks, (t) => serializeTask(t, ctx));
  });

  router.post('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const body = TwilioParams.of(req.body);
    const input = taskCreateInput(body);
    await wireContext(api, ws);
    const task = await api.engine.createTask(ws, input);
    sendRecord(res, 201, serializeTask(task, await wireContext(api, ws)), task);
  });

  // Beyond TaskRouter: a waiting task's place in line and estimated wait, for hold announcements.
  router.get('/:wt/QueuePosition', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const ctx = await wireContext(api, ws);
    const p = await api.engine.queuePosition(ws, pathParam(req, 'wt'));
    sendRecord(res, 200, {
      task_sid: p.taskSid,
      task_queue_sid: p.taskQueueSid,
      assignment_status: p.assignmentStatus,
      position: p.position,
      queue_length: p.queueLength,
      pace_per_minute: Math.round(p.pacePerMinute * 100) / 100,
      estimated_wait_time: p.estimatedWaitSeconds,
      workspace_sid: ws,
      url: `${ctx.publicUrl}/v1/Workspaces/${ws}/Tasks/${p.taskSid}/QueuePosition`,
    });
  });

  router.get('/:wt', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const ctx = await wireContext(api, ws);
    const task = await requireTask(api, ws, pathParam(req, 'wt'));
    sendRecord(res, 200, serializeTask(task, ctx), task);
  });

  router.post('/:wt', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const body = TwilioParams.of(req.body);
    const input = taskUpdateInput(body, ifMatch(req));
    await wireContext(api, ws);
    const task = await api.engine.updateTask(ws, pathParam(req, 'wt'), input);
    sendRecord(res, 200, serializeTask(task, await wireContext(api, ws)), task);
  });

  router.delete('/:wt', async (req, res) => {
    const ws = pathParam(req, 'ws');
    await wireContext(api, ws);
    await api.engine.deleteTask(ws, pathParam(req, 'wt'), ifMatch(req));
    sendDeleted(res);
  });

  return router;
}

/** A task of the workspace, or 404. */
export async function requireTask(api: ApiContext, ws: string, sid: string): Promise<TaskRecord> {
  const task = await api.engine.store.get(ws, 'task', sid);
  if (!task) throw notFound(`The requested resource /Workspaces/${ws}/Tasks/${sid} was not found`);
  return task;
}

function sidsNamed(records: Iterable<{ sid: string; friendlyName: string }>, name: string): Set<string> {
  return new Set([...records].filter((r) => r.friendlyName === name).map((r) => r.sid));
}

function hasAnyAddon(task: TaskRecord): boolean {
  return Object.keys(parseAttributes(task.addons || '{}')).length > 0;
}
