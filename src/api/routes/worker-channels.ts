import { Router } from 'express';
import { notFound } from '../../core/errors.js';
import type { TaskChannelRecord, WorkerRecord } from '../../core/model.js';
import type { WorkspaceConfig } from '../../engine/workspace-config.js';
import { committedContext, pathParam, wireContext, type ApiContext } from '../context.js';
import { TwilioParams } from '../wire/params.js';
import { channelOf } from '../../engine/workers.js';
import { serializeWorkerChannel } from '../wire/serialize/index.js';
import { sendList, sendRecord } from './respond.js';
import { requireWorker } from './workers.js';

/** `/v1/Workspaces/{WS}/Workers/{WK}/Channels[/{WC sid | TC sid | unique name}]`: one per task channel. */
export function workerChannelsRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const ctx = await wireContext(api, ws);
    const worker = await requireWorker(api, ws, pathParam(req, 'wk'));
    sendList(req, res, ctx, 'channels', ctx.config.channels, (c) => serializeWorkerChannel(worker, c, ctx));
  });

  router.get('/:sid', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const ctx = await wireContext(api, ws);
    const worker = await requireWorker(api, ws, pathParam(req, 'wk'));
    const channel = requireWorkerChannel(ctx.config, worker, pathParam(req, 'sid'));
    sendRecord(res, 200, serializeWorkerChannel(worker, channel, ctx), worker);
  });

  router.post('/:sid', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const wk = pathParam(req, 'wk');
    const body = TwilioParams.of(req.body);
    const input = { capacity: body.int('Capacity'), available: body.bool('Available') };
    const before = await wireContext(api, ws);
    const channel = requireWorkerChannel(before.config, await requireWorker(api, ws, wk), pathParam(req, 'sid'));
    const worker = await api.engine.updateWorkerChannel(ws, wk, channel.sid, input);
    sendRecord(res, 200, serializeWorkerChannel(worker, channel, await committedContext(api, ws)), worker);
  });

  return router;
}

/** The task channel a worker-channel path names, or 404. */
function requireWorkerChannel(config: WorkspaceConfig, worker: WorkerRecord, sid: string): TaskChannelRecord {
  const channel = channelOf(config, worker.sid, sid);
  if (!channel) {
    throw notFound(`The requested resource /Workspaces/${config.workspace.sid}/Workers/${worker.sid}/Channels/${sid} was not found`);
  }
  return channel;
}
