import { Router } from 'express';
import { badRequest, notFound } from '../../core/errors.js';
import type { WorkerRecord } from '../../core/model.js';
import { eventsSince, selectWorkers, workerCumulative, workersRealTime, type WorkerSelection } from '../../engine/statistics.js';
import { pathParam, type ApiContext } from '../context.js';
import { sendRecord } from './respond.js';
import { readCumulativeRequest, readStatisticsRequest, type CumulativeRequest, type StatisticsRequest } from './statistics-params.js';
import { statisticsEnvelope, workerCumulativeBody, workerRealTimeBody } from './statistics-wire.js';

/**
 * `/v1/Workspaces/{WS}/Workers/…` statistics: every worker's (`Statistics`, `RealTimeStatistics`,
 * `CumulativeStatistics`; the first narrowed by `TaskQueueSid`, `TaskQueueName` and `FriendlyName`) and one worker's
 * (`{WK}/Statistics`, cumulative only).
 */
export function workerStatisticsRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });
  const store = api.engine.store;

  router.get('/RealTimeStatistics', async (req, res) => {
    const request = await readStatisticsRequest(api, req);
    const figures = await workersRealTime(store, request.ctx.config);
    sendRecord(res, 200, { ...statisticsEnvelope(request.ctx, '/Workers/RealTimeStatistics'), ...workerRealTimeBody(figures) });
  });

  router.get('/CumulativeStatistics', async (req, res) => {
    const request = await readCumulativeRequest(api, req);
    const workers = await store.list(request.ctx.config.workspace.sid, 'worker');
    sendRecord(res, 200, { ...statisticsEnvelope(request.ctx, '/Workers/CumulativeStatistics'), ...(await cumulative(request, workers, null)) });
  });

  router.get('/Statistics', async (req, res) => {
    const request = await readCumulativeRequest(api, req);
    const selection = readSelection(request);
    const narrowed = selection.queueSid !== undefined || selection.friendlyName !== undefined;
    const workers = await selectWorkers(store, request.ctx.config, selection);
    const [c, r] = await Promise.all([
      cumulative(request, workers, narrowed ? new Set(workers.map((w) => w.sid)) : null),
      workersRealTime(store, request.ctx.config, selection),
    ]);
    sendRecord(res, 200, { ...statisticsEnvelope(request.ctx, '/Workers/Statistics'), cumulative: c, realtime: workerRealTimeBody(r) });
  });

  router.get('/:wk/Statistics', async (req, res) => {
    const request = await readCumulativeRequest(api, req);
    const ws = request.ctx.config.workspace.sid;
    const sid = pathParam(req, 'wk');
    const worker = await store.get(ws, 'worker', sid);
    if (!worker) throw notFound(`The requested resource /Workspaces/${ws}/Workers/${sid} was not found`);
    const c = await cumulative(request, [worker], new Set([worker.sid]));
    sendRecord(res, 200, { ...statisticsEnvelope(request.ctx, `/Workers/${sid}/Statistics`), cumulative: c, worker_sid: sid });
  });

  async function cumulative({ ctx, channelSid, window }: CumulativeRequest, workers: WorkerRecord[], workerSids: Set<string> | null) {
    const events = await eventsSince(store, ctx.config.workspace.sid, window.start);
    return workerCumulativeBody(workerCumulative(events, window, ctx.config, workers, workerSids, ctx.now, channelSid), window);
  }

  return router;
}

/** `TaskQueueSid` / `TaskQueueName` (of a queue of this workspace; both must name the same one) and `FriendlyName`. */
function readSelection({ ctx, query }: StatisticsRequest): WorkerSelection {
  const queueSid = query.string('TaskQueueSid');
  const queueName = query.string('TaskQueueName');
  const friendlyName = query.string('FriendlyName');
  if (queueSid !== undefined && !ctx.config.queues.has(queueSid)) throw badRequest(`TaskQueueSid ${queueSid} is not a TaskQueue of this workspace`);
  let named: string | undefined;
  if (queueName !== undefined) {
    named = [...ctx.config.queues.values()].find((q) => q.friendlyName === queueName)?.sid;
    if (named === undefined) throw badRequest(`TaskQueueName ${queueName} is not a TaskQueue of this workspace`);
    if (queueSid !== undefined && named !== queueSid) throw badRequest('TaskQueueSid and TaskQueueName name different TaskQueues');
  }
  return { queueSid: queueSid ?? named, friendlyName };
}
