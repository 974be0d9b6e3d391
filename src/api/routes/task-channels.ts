import { Router } from 'express';
import { notFound } from '../../core/errors.js';
import { findChannel } from '../../engine/workspace-config.js';
import { committedContext, pathParam, wireContext, type ApiContext } from '../context.js';
import { TwilioParams } from '../wire/params.js';
import { serializeTaskChannel } from '../wire/serialize/index.js';
import { sendDeleted, sendList, sendRecord } from './respond.js';

/** `/v1/Workspaces/{WS}/TaskChannels[/{TC sid | unique name}]`. */
export function taskChannelsRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const ctx = await wireContext(api, pathParam(req, 'ws'));
    sendList(req, res, ctx, 'channels', ctx.config.channels, (c) => serializeTaskChannel(c, ctx));
  });

  router.post('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const body = TwilioParams.of(req.body);
    const input = {
      friendlyName: body.string('FriendlyName'),
      uniqueName: body.string('UniqueName'),
      channelOptimizedRouting: body.bool('ChannelOptimizedRouting'),
    };
    await wireContext(api, ws);
    const channel = await api.engine.createTaskChannel(ws, input);
    sendRecord(res, 201, serializeTaskChannel(channel, await committedContext(api, ws)), channel);
  });

  router.get('/:sid', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const sid = pathParam(req, 'sid');
    const ctx = await wireContext(api, ws);
    const channel = findChannel(ctx.config, sid);
    if (!channel) throw notFound(`The requested resource /Workspaces/${ws}/TaskChannels/${sid} was not found`);
    sendRecord(res, 200, serializeTaskChannel(channel, ctx), channel);
  });

  router.post('/:sid', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const body = TwilioParams.of(req.body);
    const input = { friendlyName: body.string('FriendlyName'), channelOptimizedRouting: body.bool('ChannelOptimizedRouting') };
    const channel = await api.engine.updateTaskChannel(ws, pathParam(req, 'sid'), input);
    sendRecord(res, 200, serializeTaskChannel(channel, await committedContext(api, ws)), channel);
  });

  router.delete('/:sid', async (req, res) => {
    await api.engine.deleteTaskChannel(pathParam(req, 'ws'), pathParam(req, 'sid'));
    sendDeleted(res);
  });

  return router;
}
