import { Router } from 'express';
import { notFound } from '../../core/errors.js';
import type { TaskQueueRecord } from '../../core/model.js';
import { attributesJson } from '../../core/validate.js';
import type { TaskQueueInput } from '../../engine/commands.js';
import { matches, parseAttributes, taskrouterScope } from '../../engine/routing-scope.js';
import { committedContext, pathParam, wireContext, type ApiContext } from '../context.js';
import { parseOrdering, sortBy, type SortKeys } from '../wire/ordering.js';
import { TwilioParams } from '../wire/params.js';
import { serializeTaskQueue } from '../wire/serialize/index.js';
import { sendDeleted, sendList, sendRecord } from './respond.js';

const TASK_ORDERS = ['FIFO', 'LIFO'] as const;

const SORT_KEYS: SortKeys<TaskQueueRecord> = {
  DateCreated: (q) => q.dateCreated,
  DateUpdated: (q) => q.dateUpdated,
  FriendlyName: (q) => q.friendlyName.toLowerCase(),
};

/** `/v1/Workspaces/{WS}/TaskQueues[/{WQ}]`. */
export function taskQueuesRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const query = TwilioParams.of(req.query);
    const friendlyName = query.string('FriendlyName');
    const evaluate = query.string('EvaluateWorkerAttributes');
    const workerSid = query.string('WorkerSid');
    const ordering = query.string('Ordering');
    const terms = ordering === undefined ? null : parseOrdering(ordering, Object.keys(SORT_KEYS));
    const ctx = await wireContext(api, ws);
    let queues = [...ctx.config.queues.values()];
    if (friendlyName !== undefined) queues = queues.filter((q) => q.friendlyName === friendlyName);
    if (evaluate !== undefined) {
      // The queues a worker with these attributes would belong to.
      const attributes = parseAttributes(attributesJson(evaluate, 'EvaluateWorkerAttributes'));
      const scope = { taskrouter: taskrouterScope(ctx.now), worker: attributes, ...attributes };
      queues = queues.filter((q) => q.targetWorkers.trim() !== '' && matches(q.targetWorkers, scope));
    }
    if (workerSid !== undefined) {
      const worker = await api.engine.store.get(ws, 'worker', workerSid);
      const member = new Set(worker?.queueSids ?? []);
      queues = queues.filter((q) => member.has(q.sid));
    }
    if (terms) queues = sortBy(queues, terms, SORT_KEYS);
    sendList(req, res, ctx, 'task_queues', queues, (q) => serializeTaskQueue(q, ctx));
  });

  router.post('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const input = taskQueueInput(TwilioParams.of(req.body));
    await wireContext(api, ws);
    const queue = await api.engine.createTaskQueue(ws, input);
    sendRecord(res, 201, serializeTaskQueue(queue, await committedContext(api, ws)), queue);
  });

  router.get('/:sid', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const sid = pathParam(req, 'sid');
    const ctx = await wireContext(api, ws);
    const queue = ctx.config.queues.get(sid);
    if (!queue) throw notFound(`The requested resource /Workspaces/${ws}/TaskQueues/${sid} was not found`);
    sendRecord(res, 200, serializeTaskQueue(queue, ctx), queue);
  });

  router.post('/:sid', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const queue = await api.engine.updateTaskQueue(ws, pathParam(req, 'sid'), taskQueueInput(TwilioParams.of(req.body)));
    sendRecord(res, 200, serializeTaskQueue(queue, await committedContext(api, ws)), queue);
  });

  router.delete('/:sid', async (req, res) => {
    await api.engine.deleteTaskQueue(pathParam(req, 'ws'), pathParam(req, 'sid'));
    sendDeleted(res);
  });

  return router;
}

function taskQueueInput(body: TwilioParams): TaskQueueInput {
  return {
    friendlyName: body.string('FriendlyName'),
    targetWorkers: body.string('TargetWorkers'),
    maxReservedWorkers: body.int('MaxReservedWorkers'),
    taskOrder: body.oneOf('TaskOrder', TASK_ORDERS),
    reservationActivitySid: body.string('ReservationActivitySid'),
    assignmentActivitySid: body.string('AssignmentActivitySid'),
  };
}
