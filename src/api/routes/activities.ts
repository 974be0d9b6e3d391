import { Router } from 'express';
import { notFound } from '../../core/errors.js';
import { committedContext, pathParam, wireContext, type ApiContext } from '../context.js';
import { TwilioParams } from '../wire/params.js';
import { serializeActivity } from '../wire/serialize/index.js';
import { sendDeleted, sendList, sendRecord } from './respond.js';

/** `/v1/Workspaces/{WS}/Activities[/{WA}]`. */
export function activitiesRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const query = TwilioParams.of(req.query);
    const friendlyName = query.string('FriendlyName');
    const available = query.bool('Available');
    const ctx = await wireContext(api, ws);
    const activities = [...ctx.config.activities.values()].filter(
      (a) => (friendlyName === undefined || a.friendlyName === friendlyName) && (available === undefined || a.available === available),
    );
    sendList(req, res, ctx, 'activities', activities, (a) => serializeActivity(a, ctx));
  });

  router.post('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const body = TwilioParams.of(req.body);
    const input = { friendlyName: body.string('FriendlyName'), available: body.bool('Available') };
    await wireContext(api, ws);
    const activity = await api.engine.createActivity(ws, input);
    sendRecord(res, 201, serializeActivity(activity, await committedContext(api, ws)), activity);
  });

  router.get('/:sid', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const sid = pathParam(req, 'sid');
    const ctx = await wireContext(api, ws);
    const activity = ctx.config.activities.get(sid);
    if (!activity) throw notFound(`The requested resource /Workspaces/${ws}/Activities/${sid} was not found`);
    sendRecord(res, 200, serializeActivity(activity, ctx), activity);
  });

  router.post('/:sid', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const body = TwilioParams.of(req.body);
    // Available is immutable, but TaskRouter accepts it on update when unchanged; the engine decides.
    const input = { friendlyName: body.string('FriendlyName'), available: body.bool('Available') };
    const activity = await api.engine.updateActivity(ws, pathParam(req, 'sid'), input);
    sendRecord(res, 200, serializeActivity(activity, await committedContext(api, ws)), activity);
  });

  router.delete('/:sid', async (req, res) => {
    await api.engine.deleteActivity(pathParam(req, 'ws'), pathParam(req, 'sid'));
    sendDeleted(res);
  });

  return router;
}
