import { Router } from 'express';
import { badRequest, notFound } from '../../core/errors.js';
import { fieldsOf, type EventField } from '../../core/events/index.js';
import { findChannel } from '../../engine/workspace-config.js';
import { pathParam, wireContext, type ApiContext } from '../context.js';
import { minutesBefore } from '../wire/dates.js';
import { pageBody, pageSlice, readPageRequest } from '../wire/pagination.js';
import { TwilioParams } from '../wire/params.js';
import { serializeEvent } from '../wire/serialize/index.js';
import { sendRecord } from './respond.js';
import { sendJson } from '../send-json.js';

/** TaskRouter's window when neither Minutes nor StartDate is given. */
const DEFAULT_MINUTES = 15;

/** Filters naming a resource, and the event_data field that carries its sid. */
const RESOURCE_FILTERS = [
  ['TaskSid', 'task_sid'],
  ['WorkerSid', 'worker_sid'],
  ['ReservationSid', 'reservation_sid'],
  ['TaskQueueSid', 'task_queue_sid'],
  ['WorkflowSid', 'workflow_sid'],
] as const satisfies ReadonlyArray<readonly [string, EventField]>;

/**
 * `/v1/Workspaces/{WS}/Events[/{EV}]`, newest first. The list is a window in time (the last `Minutes`, 15 by
 * default, or `StartDate`..`EndDate`); its links pin the window so following `next_page_url` while events keep
 * arriving neither repeats nor skips any.
 */
export function eventsRouter(api: ApiContext): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const query = TwilioParams.of(req.query);
    const types = query.list('EventType') ?? [];
    const minutes = query.int('Minutes');
    if (minutes !== undefined && minutes < 1) throw badRequest('Minutes must be at least 1');
    const startDate = query.date('StartDate');
    const endDate = query.date('EndDate');
    // An EndDate given to the second (as twilio-node sends it) includes events later within that second.
    const until = endDate === undefined ? Infinity : /\.\d/.test(query.string('EndDate')!) ? endDate : endDate + 999;
    const sid = query.string('Sid');
    const channel = query.string('TaskChannel');
    const resources = RESOURCE_FILTERS.flatMap(([param, field]) => {
      const value = query.string(param);
      return value === undefined ? [] : [{ field, value }];
    });
    const paging = readPageRequest(req.query);

    const ctx = await wireContext(api, ws);
    const since = startDate ?? minutesBefore(ctx.now, minutes ?? DEFAULT_MINUTES);
    const channelSid = channel === undefined ? undefined : (findChannel(ctx.config, channel)?.sid ?? channel);
    const events = (await api.engine.store.listEvents(ws, since))
      .filter((e) => {
        const fields = fieldsOf(e);
        if (e.eventDate > until) return false;
        if (types.length > 0 && !types.includes(e.eventType)) return false;
        if (sid !== undefined && e.sid !== sid) return false;
        if (resources.some(({ field, value }) => fields[field] !== value && e.resourceSid !== value)) return false;
        if (channel !== undefined && fields.task_channel_sid !== channelSid && fields.task_channel_unique_name !== channel) return false;
        return true;
      })
      .reverse();
    const pinned = {
      StartDate: new Date(since).toISOString(),
      EndDate: new Date(endDate ?? ctx.now).toISOString(),
    };
    const page = pageSlice(events, paging).map((e) => serializeEvent(e, ctx));
    sendJson(res, 200, pageBody(req, ctx.publicUrl, 'events', page, events.length, paging, pinned));
  });

  router.get('/:ev', async (req, res) => {
    const ws = pathParam(req, 'ws');
    const sid = pathParam(req, 'ev');
    const ctx = await wireContext(api, ws);
    const event = await api.engine.store.getEvent(ws, sid);
    if (!event) throw notFound(`The requested resource /Workspaces/${ws}/Events/${sid} was not found`);
    sendRecord(res, 200, serializeEvent(event, ctx));
  });

  return router;
}
