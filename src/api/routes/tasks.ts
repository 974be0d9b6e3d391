import { Router } from 'express';
import { notFound } from '../../core/errors.js';
import type { TaskRecord } from '../../core/model.js';
import { committedContext, pathParam, wireContext, type ApiContext } from '../context.js';
import { findTasks } from '../lists/task-list.js';
import { taskCreateInput, taskUpdateInput } from '../wire/commands.js';
import { ifMatch } from '../wire/etag.js';
import { TwilioParams } from '../wire/params.js';
import { serializeTask } from '../wire/serialize/index.js';
import { sendDeleted, sendList, sendRecord } from './respond.js';

/** `/v1/Workspaces/{WS}/Tasks[/{WT}]`. */
export function tasksRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const ctx = await wireContext(api, pathParam(req, 'ws'));
    const tasks = await findTasks(api.engine, ctx, TwilioParams.of(req.query));
    sendList(req, res, ctx, 'tasks', tasks, (t) => serializeTask(t, ctx));
  });

  router.post('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const body = TwilioParams.of(req.body);
    const input = taskCreateInput(body);
    await wireContext(api, ws);
    const task = await api.engine.createTask(ws, input);
    sendRecord(res, 201, serializeTask(task, await committedContext(api, ws)), task);
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
    sendRecord(res, 200, serializeTask(task, await committedContext(api, ws)), task);
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
