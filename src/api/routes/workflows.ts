import { Router } from 'express';
import { notFound } from '../../core/errors.js';
import type { WorkflowInput } from '../../engine/commands.js';
import { committedContext, pathParam, wireContext, type ApiContext } from '../context.js';
import { TwilioParams } from '../wire/params.js';
import { serializeWorkflow } from '../wire/serialize/index.js';
import { sendDeleted, sendList, sendRecord } from './respond.js';

/** `/v1/Workspaces/{WS}/Workflows[/{WW}]`. */
export function workflowsRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const query = TwilioParams.of(req.query);
    const friendlyName = query.string('FriendlyName');
    const ctx = await wireContext(api, pathParam(req, 'ws'));
    const workflows = [...ctx.config.workflows.values()].filter((w) => friendlyName === undefined || w.friendlyName === friendlyName);
    sendList(req, res, ctx, 'workflows', workflows, (w) => serializeWorkflow(w, ctx));
  });

  router.post('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const input = workflowInput(TwilioParams.of(req.body));
    await wireContext(api, ws);
    const workflow = await api.engine.createWorkflow(ws, input);
    sendRecord(res, 201, serializeWorkflow(workflow, await committedContext(api, ws)), workflow);
  });

  router.get('/:sid', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const sid = pathParam(req, 'sid');
    const ctx = await wireContext(api, ws);
    const workflow = ctx.config.workflows.get(sid);
    if (!workflow) throw notFound(`The requested resource /Workspaces/${ws}/Workflows/${sid} was not found`);
    sendRecord(res, 200, serializeWorkflow(workflow, ctx), workflow);
  });

  router.post('/:sid', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const body = TwilioParams.of(req.body);
    const input: WorkflowInput = { ...workflowInput(body), reEvaluateTasks: body.bool('ReEvaluateTasks') };
    const workflow = await api.engine.updateWorkflow(ws, pathParam(req, 'sid'), input);
    sendRecord(res, 200, serializeWorkflow(workflow, await committedContext(api, ws)), workflow);
  });

  router.delete('/:sid', async (req, res) => {
    await api.engine.deleteWorkflow(pathParam(req, 'ws'), pathParam(req, 'sid'));
    sendDeleted(res);
  });

  return router;
}

function workflowInput(body: TwilioParams): WorkflowInput {
  return {
    friendlyName: body.string('FriendlyName'),
    configuration: body.string('Configuration'),
    assignmentCallbackUrl: body.string('AssignmentCallbackUrl'),
    fallbackAssignmentCallbackUrl: body.string('FallbackAssignmentCallbackUrl'),
    taskReservationTimeout: body.int('TaskReservationTimeout'),
  };
}
