import { Router, type Request } from 'express';
import { notFound } from '../../core/errors.js';
import type { WorkflowRecord } from '../../core/model.js';
import { eventsSince, taskCumulative, workflowRealTime } from '../../engine/statistics.js';
import { pathParam, type ApiContext } from '../context.js';
import { sendRecord } from './respond.js';
import { readCumulativeRequest, readStatisticsRequest, type CumulativeRequest, type StatisticsRequest } from './statistics-params.js';
import { statisticsEnvelope, taskCumulativeBody, taskRealTimeBody } from './statistics-wire.js';

/** `/v1/Workspaces/{WS}/Workflows/{WW}/{Statistics|RealTimeStatistics|CumulativeStatistics}`. */
export function workflowStatisticsRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });
  const store = api.engine.store;

  router.get('/:ww/RealTimeStatistics', async (req, res) => {
    const request = await readStatisticsRequest(api, req);
    const workflow = requireWorkflow(request, req);
    sendRecord(res, 200, { ...envelope(request, workflow, 'RealTimeStatistics'), ...(await realtime(request, workflow)) });
  });

  router.get('/:ww/CumulativeStatistics', async (req, res) => {
    const request = await readCumulativeRequest(api, req);
    const workflow = requireWorkflow(request, req);
    sendRecord(res, 200, { ...envelope(request, workflow, 'CumulativeStatistics'), ...(await cumulative(request, workflow)) });
  });

  router.get('/:ww/Statistics', async (req, res) => {
    const request = await readCumulativeRequest(api, req);
    const workflow = requireWorkflow(request, req);
    const [c, r] = await Promise.all([cumulative(request, workflow), realtime(request, workflow)]);
    sendRecord(res, 200, { ...envelope(request, workflow, 'Statistics'), cumulative: c, realtime: r });
  });

  async function realtime({ ctx, channelSid }: StatisticsRequest, workflow: WorkflowRecord) {
    return taskRealTimeBody(await workflowRealTime(store, ctx.config, workflow.sid, ctx.now, channelSid));
  }

  async function cumulative({ ctx, channelSid, window, thresholds }: CumulativeRequest, workflow: WorkflowRecord) {
    const events = await eventsSince(store, ctx.config.workspace.sid, window.start);
    return taskCumulativeBody(taskCumulative(events, window, { workflowSid: workflow.sid, channelSid }, thresholds), window, 'workflow');
  }

  return router;
}

function requireWorkflow({ ctx }: StatisticsRequest, req: Request): WorkflowRecord {
  const sid = pathParam(req, 'ww');
  const workflow = ctx.config.workflows.get(sid);
  if (!workflow) throw notFound(`The requested resource /Workspaces/${ctx.config.workspace.sid}/Workflows/${sid} was not found`);
  return workflow;
}

function envelope({ ctx }: StatisticsRequest, workflow: WorkflowRecord, resource: string) {
  return { ...statisticsEnvelope(ctx, `/Workflows/${workflow.sid}/${resource}`), workflow_sid: workflow.sid };
}
