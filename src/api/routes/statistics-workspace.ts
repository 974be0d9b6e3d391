import { Router } from 'express';
import { eventsSince, taskCumulative, workspaceRealTime } from '../../engine/statistics.js';
import type { ApiContext } from '../context.js';
import { sendRecord } from './respond.js';
import { readCumulativeRequest, readStatisticsRequest, type CumulativeRequest, type StatisticsRequest } from './statistics-params.js';
import { statisticsEnvelope, taskCumulativeBody, taskRealTimeBody, workerRealTimeBody } from './statistics-wire.js';

/** `/v1/Workspaces/{WS}/{Statistics|RealTimeStatistics|CumulativeStatistics}`. */
export function workspaceStatisticsRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });

  router.get('/RealTimeStatistics', async (req, res) => {
    const request = await readStatisticsRequest(api, req);
    sendRecord(res, 200, { ...statisticsEnvelope(request.ctx, '/RealTimeStatistics'), ...(await realtime(request)) });
  });

  router.get('/CumulativeStatistics', async (req, res) => {
    const request = await readCumulativeRequest(api, req);
    sendRecord(res, 200, { ...statisticsEnvelope(request.ctx, '/CumulativeStatistics'), ...(await cumulative(request)) });
  });

  router.get('/Statistics', async (req, res) => {
    const request = await readCumulativeRequest(api, req);
    const [c, r] = await Promise.all([cumulative(request), realtime(request)]);
    sendRecord(res, 200, { ...statisticsEnvelope(request.ctx, '/Statistics'), cumulative: c, realtime: r });
  });

  async function realtime({ ctx, channelSid }: StatisticsRequest) {
    const figures = await workspaceRealTime(api.engine.store, ctx.config, ctx.now, channelSid);
    return { ...taskRealTimeBody(figures), ...workerRealTimeBody(figures) };
  }

  async function cumulative({ ctx, channelSid, window, thresholds }: CumulativeRequest) {
    const events = await eventsSince(api.engine.store, ctx.config.workspace.sid, window.start);
    return taskCumulativeBody(taskCumulative(events, window, { channelSid }, thresholds), window, 'workspace');
  }

  return router;
}
