import { Router } from 'express';
import { notFound } from '../../core/errors.js';
import type { WorkerRecord } from '../../core/model.js';
import { committedContext, pathParam, wireContext, type ApiContext } from '../context.js';
import { findWorkers } from '../lists/worker-list.js';
import { workerCreateInput, workerUpdateInput } from '../wire/commands.js';
import { ifMatch } from '../wire/etag.js';
import { TwilioParams } from '../wire/params.js';
import { serializeWorker } from '../wire/serialize/index.js';
import { sendDeleted, sendList, sendRecord } from './respond.js';

/** `/v1/Workspaces/{WS}/Workers[/{WK}]` (channels and reservations have their own routers). */
export function workersRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const ctx = await wireContext(api, pathParam(req, 'ws'));
    const workers = await findWorkers(api.engine, ctx, TwilioParams.of(req.query));
    sendList(req, res, ctx, 'workers', workers, (w) => serializeWorker(w, ctx));
  });

  router.post('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const body = TwilioParams.of(req.body);
    const input = workerCreateInput(body);
    await wireContext(api, ws);
    const worker = await api.engine.createWorker(ws, input);
    sendRecord(res, 201, serializeWorker(worker, await committedContext(api, ws)), worker);
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
    sendRecord(res, 200, serializeWorker(worker, await committedContext(api, ws)), worker);
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
