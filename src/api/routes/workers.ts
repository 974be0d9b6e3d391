import { Router } from 'express';
import { notFound } from '../../core/errors.js';
import type { WorkerRecord } from '../../core/model.js';
import { matches, targetWorkersScope } from '../../engine/routing-scope.js';
import { pathParam, wireContext, type ApiContext } from '../context.js';
import { workerCreateInput, workerUpdateInput } from '../wire/commands.js';
import { ifMatch } from '../wire/etag.js';
import { parseOrdering, sortBy, type SortKeys } from '../wire/ordering.js';
import { TwilioParams } from '../wire/params.js';
import { serializeWorker } from '../wire/serialize/index.js';
import { compiledExpression } from './expressions.js';
import { sendDeleted, sendList, sendRecord } from './respond.js';

const SORT_KEYS: SortKeys<WorkerRecord> = {
  DateCreated: (w) => w.dateCreated,
  DateUpdated: (w) => w.dateUpdated,
  DateStatusChanged: (w) => w.dateStatusChanged,
  FriendlyName: (w) => w.friendlyName.toLowerCase(),
};

/** `/v1/Workspaces/{WS}/Workers[/{WK}]` (channels and reservations have their own routers). */
export function workersRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const query = TwilioParams.of(req.query);
    const activityName = query.string('ActivityName');
    const activitySid = query.string('ActivitySid');
    const available = query.bool('Available');
    const friendlyName = query.string('FriendlyName')?.toLowerCase();
    const expression = query.string('TargetWorkersExpression');
    const queueName = query.string('TaskQueueName');
    const queueSid = query.string('TaskQueueSid');
    const ordering = query.string('Ordering');
    const terms = ordering === undefined ? null : parseOrdering(ordering, Object.keys(SORT_KEYS));
    if (expression !== undefined) compiledExpression(expression, 'TargetWorkersExpression');

    const ctx = await wireContext(api, ws);
    const { activities, queues } = ctx.config;
    const namedQueue = queueName === undefined ? undefined : [...queues.values()].find((q) => q.friendlyName === queueName);
    let workers = await api.engine.store.list(ws, 'worker');
    workers = workers.filter((w) => {
      const activity = activities.get(w.activitySid);
      if (activitySid !== undefined && w.activitySid !== activitySid) return false;
      if (activityName !== undefined && activity?.friendlyName !== activityName) return false;
      if (available !== undefined && (activity?.available ?? false) !== available) return false;
      if (friendlyName !== undefined && w.friendlyName.toLowerCase() !== friendlyName) return false;
      if (queueSid !== undefined && !w.queueSids.includes(queueSid)) return false;
      if (queueName !== undefined && (!namedQueue || !w.queueSids.includes(namedQueue.sid))) return false;
      if (expression !== undefined && !matches(expression, targetWorkersScope(w, ctx.config, ctx.now))) return false;
      return true;
    });
    if (terms) workers = sortBy(workers, terms, SORT_KEYS);
    sendList(req, res, ctx, 'workers', workers, (w) => serializeWorker(w, ctx));
  });

  router.post('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const body = TwilioParams.of(req.body);
    const input = workerCreateInput(body);
    await wireContext(api, ws);
    const worker = await api.engine.createWorker(ws, input);
    sendRecord(res, 201, serializeWorker(worker, await wireContext(api, ws)), worker);
  });

  router.get('/:wk', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const ctx = await wireContext(api, ws);
    const worker = await requireWorker(api, ws, pathParam(req, 'wk'));
    sendRecord(res, 200, serializeWorker(worker, ctx), worker);
  });

  router.post('/:wk', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const body = TwilioParams.of(req.body);
    const input = workerUpdateInput(body, ifMatch(req));
    await wireContext(api, ws);
    const worker = await api.engine.updateWorker(ws, pathParam(req, 'wk'), input);
    sendRecord(res, 200, serializeWorker(worker, await wireContext(api, ws)), worker);
  });

  router.delete('/:wk', async (req, res) => {
    const ws = pathParam(req, 'ws');
    await wireContext(api, ws);
    await api.engine.deleteWorker(ws, pathParam(req, 'wk'), ifMatch(req));
    sendDeleted(res);
  });

  return router;
}

/** A worker of the workspace, or 404. */
export async function requireWorker(api: ApiContext, ws: string, sid: string): Promise<WorkerRecord> {
  const worker = await api.engine.store.get(ws, 'worker', sid);
  if (!worker) throw notFound(`The requested resource /Workspaces/${ws}/Workers/${sid} was not found`);
  return worker;
}
