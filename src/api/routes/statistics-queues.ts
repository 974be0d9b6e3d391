import express, { Router, type Request } from 'express';
import { notFound } from '../../core/errors.js';
import type { TaskQueueRecord } from '../../core/model.js';
import { eventsSince, queueRealTime, queuesCumulative, taskCumulative } from '../../engine/statistics.js';
import { pathParam, type ApiContext } from '../context.js';
import { pageBody, pageSlice, readPageRequest } from '../wire/pagination.js';
import { sendRecord } from './respond.js';
import { readBulkQueueSids, readCumulativeRequest, readStatisticsRequest, type CumulativeRequest, type StatisticsRequest } from './statistics-params.js';
import { bulkQueueBody, queueRealTimeBody, statisticsEnvelope, taskCumulativeBody } from './statistics-wire.js';
import { sendJson } from '../send-json.js';

/**
 * `/v1/Workspaces/{WS}/TaskQueues/…` statistics: one queue's (`{WQ}/Statistics`, `{WQ}/RealTimeStatistics`,
 * `{WQ}/CumulativeStatistics`), every queue's (`Statistics`, paged) and several queues' real-time figures at once
 * (`POST RealTimeStatistics`, JSON body).
 */
export function queueStatisticsRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });
  const store = api.engine.store;

  router.get('/Statistics', async (req, res) => {
    const request = await readCumulativeRequest(api, req);
    const { ctx, query, channelSid, window, thresholds } = request;
    const friendlyName = query.string('FriendlyName');
    const paging = readPageRequest(req.query);
    const queues = [...ctx.config.queues.values()].filter((q) => friendlyName === undefined || q.friendlyName === friendlyName);
    const page = pageSlice(queues, paging);
    const events = await eventsSince(store, ctx.config.workspace.sid, window.start);
    const cumulative = queuesCumulative(
      events,
      window,
      page.map((q) => q.sid),
      channelSid,
      thresholds,
    );
    const items = await Promise.all(
      page.map(async (q) => ({
        account_sid: ctx.config.workspace.accountSid,
        cumulative: taskCumulativeBody(cumulative.get(q.sid)!, window, 'queue'),
        realtime: await realtime(request, q),
        task_queue_sid: q.sid,
        workspace_sid: ctx.config.workspace.sid,
      })),
    );
    sendJson(res, 200, pageBody(req, ctx.publicUrl, 'task_queues_statistics', items, queues.length, paging));
  });

  router.post('/RealTimeStatistics', express.json(), async (req, res) => {
    const queueSids = readBulkQueueSids(req.body);
    const { ctx } = await readStatisticsRequest(api, req);
    // Sids of no queue here are answered with zeros, as TaskRouter does.
    const data = await Promise.all(queueSids.map(async (sid) => bulkQueueBody(sid, await queueRealTime(store, ctx.config, sid, ctx.now))));
    sendRecord(res, 200, { ...statisticsEnvelope(ctx, '/TaskQueues/RealTimeStatistics'), task_queue_data: data, task_queue_response_count: data.length });
  });

  router.get('/:wq/RealTimeStatistics', async (req, res) => {
    const request = await readStatisticsRequest(api, req);
    const queue = requireQueue(request, req);
    sendRecord(res, 200, { ...envelope(request, queue, 'RealTimeStatistics'), ...(await realtime(request, queue)) });
  });

  router.get('/:wq/CumulativeStatistics', async (req, res) => {
    const request = await readCumulativeRequest(api, req);
    const queue = requireQueue(request, req);
    sendRecord(res, 200, { ...envelope(request, queue, 'CumulativeStatistics'), ...(await cumulative(request, queue)) });
  });

  router.get('/:wq/Statistics', async (req, res) => {
    const request = await readCumulativeRequest(api, req);
    const queue = requireQueue(request, req);
    const [c, r] = await Promise.all([cumulative(request, queue), realtime(request, queue)]);
    sendRecord(res, 200, { ...envelope(request, queue, 'Statistics'), cumulative: c, realtime: r });
  });

  async function realtime({ ctx, channelSid }: StatisticsRequest, queue: TaskQueueRecord) {
    return queueRealTimeBody(await queueRealTime(store, ctx.config, queue.sid, ctx.now, channelSid));
  }

  async function cumulative({ ctx, channelSid, window, thresholds }: CumulativeRequest, queue: TaskQueueRecord) {
    const events = await eventsSince(store, ctx.config.workspace.sid, window.start);
    return taskCumulativeBody(taskCumulative(events, window, { queueSid: queue.sid, channelSid }, thresholds), window, 'queue');
  }

  return router;
}

function requireQueue({ ctx }: StatisticsRequest, req: Request): TaskQueueRecord {
  const sid = pathParam(req, 'wq');
  const queue = ctx.config.queues.get(sid);
  if (!queue) throw notFound(`The requested resource /Workspaces/${ctx.config.workspace.sid}/TaskQueues/${sid} was not found`);
  return queue;
}

function envelope({ ctx }: StatisticsRequest, queue: TaskQueueRecord, resource: string) {
  return { ...statisticsEnvelope(ctx, `/TaskQueues/${queue.sid}/${resource}`), task_queue_sid: queue.sid };
}
