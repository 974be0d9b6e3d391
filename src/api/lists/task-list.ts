import { badRequest } from '../../core/errors.js';
import { evaluateExpression } from '../../core/expression/index.js';
import type { TaskRecord } from '../../core/model.js';
import type { RoutingEngine } from '../../engine/engine.js';
import { filterScope, parseAttributes } from '../../engine/routing-scope.js';
import { tasksToList } from '../../engine/task-list.js';
import { compiledExpression } from '../wire/expressions.js';
import { ASSIGNMENT_STATUSES } from '../wire/commands.js';
import { parseOrdering, sortBy, type SortKeys } from '../wire/ordering.js';
import type { TwilioParams } from '../wire/params.js';
import type { WireContext } from '../wire/serialize/index.js';

const SORT_KEYS: SortKeys<TaskRecord> = {
  DateCreated: (t) => t.dateCreated,
  Priority: (t) => t.priority,
  VirtualStartTime: (t) => t.virtualStartTime,
};

/**
 * A workspace's tasks filtered and ordered by TaskRouter's list parameters (`Priority`, `AssignmentStatus`,
 * `WorkflowSid`/`WorkflowName`, `TaskQueueSid`/`TaskQueueName`, `RoutingTarget`, `HasAddons`,
 * `EvaluateTaskAttributes`, `Ordering`; oldest first by default), for the REST list and the worker SDK's
 * `Workspace.fetchTasks`. Every parameter is checked before anything is read.
 */
export async function findTasks(engine: RoutingEngine, ctx: WireContext, query: TwilioParams): Promise<TaskRecord[]> {
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

  const ws = ctx.config.workspace.sid;
  const workflowSids = workflowName === undefined ? null : sidsNamed(ctx.config.workflows.values(), workflowName);
  const queueSids = queueName === undefined ? null : sidsNamed(ctx.config.queues.values(), queueName);
  const tasks = (await tasksToList(engine.store, ws, { statuses, taskQueueSid: queueSid, workflowSid })).filter((t) => {
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
  return sortBy(tasks, terms, SORT_KEYS);
}

function sidsNamed(records: Iterable<{ sid: string; friendlyName: string }>, name: string): Set<string> {
  return new Set([...records].filter((r) => r.friendlyName === name).map((r) => r.sid));
}

function hasAnyAddon(task: TaskRecord): boolean {
  return Object.keys(parseAttributes(task.addons || '{}')).length > 0;
}
