import { fieldEntries, fieldsOf, type EventFields, type TaskRouterEvent } from '../../../core/events/index.js';
import { formatDate } from '../dates.js';
import { workspaceUrl, type WireContext } from './context.js';

/** TaskRouter stops showing task attributes of events older than this (43,200 minutes). */
const ATTRIBUTES_REDACTED_AFTER_MS = 30 * 24 * 3600_000;

/** Collection path of each resource, by sid prefix: where `resource_url` and `actor_url` point. */
const COLLECTION_OF: Record<string, string> = {
  WT: 'Tasks',
  WK: 'Workers',
  WQ: 'TaskQueues',
  WW: 'Workflows',
  WA: 'Activities',
  TC: 'TaskChannels',
};

/**
 * An Event as TaskRouter returns it. Events raised by the routing core itself name the workspace as their actor, as
 * TaskRouter's own do; `event_data` keeps the string values the event was recorded with, minus absent fields.
 */
export function serializeEvent(e: TaskRouterEvent, ctx: WireContext): Record<string, unknown> {
  const actorSid = e.actorSid ?? e.workspaceSid;
  return {
    account_sid: ctx.config.workspace.accountSid,
    actor_sid: actorSid,
    actor_type: e.actorType ?? 'workspace',
    actor_url: resourceUrl(ctx, e, actorSid),
    description: e.description,
    event_data: eventData(e, ctx.now),
    event_date: formatDate(e.eventDate),
    event_date_ms: e.eventDate,
    event_type: e.eventType,
    resource_sid: e.resourceSid,
    resource_type: e.resourceType,
    resource_url: resourceUrl(ctx, e, e.resourceSid),
    sid: e.sid,
    source: 'twilio',
    source_ip_address: null,
    url: workspaceUrl(ctx, e.workspaceSid, `/Events/${e.sid}`),
    workspace_sid: e.workspaceSid,
  };
}

function eventData(e: TaskRouterEvent, now: number): EventFields {
  const data: EventFields = Object.fromEntries(fieldEntries(e));
  if (now - e.eventDate > ATTRIBUTES_REDACTED_AFTER_MS) delete data.task_attributes;
  return data;
}

function resourceUrl(ctx: WireContext, e: TaskRouterEvent, sid: string): string | null {
  const prefix = sid.slice(0, 2);
  if (prefix === 'WS') return workspaceUrl(ctx, sid);
  if (prefix === 'WR') {
    const taskSid = fieldsOf(e).task_sid;
    return taskSid ? workspaceUrl(ctx, e.workspaceSid, `/Tasks/${taskSid}/Reservations/${sid}`) : null;
  }
  const collection = COLLECTION_OF[prefix];
  return collection ? workspaceUrl(ctx, e.workspaceSid, `/${collection}/${sid}`) : null;
}
