import type { WorkspaceRecord } from '../core/model.js';
import { fieldEntries, type EventType, type TaskRouterEvent } from '../core/events/index.js';
import type { RoutingStore } from '../store/routing-store.js';
import type { CallbackFetch } from './callback-http.js';
import type { OutboxEntry } from './outbox.js';
import { pascalCase } from './pascal-case.js';
import { failureOfOutcome, type DeliveryOutcome } from './pump.js';
import { withSendSpan } from '../telemetry/trace-sends.js';
import { failureOf, postSigned, refusalOf } from './signed-post.js';

/** TaskRouter waits this long for an EventCallbackUrl answer. */
export const EVENT_CALLBACK_TIMEOUT_MS = 15_000;

/** Does the workspace want this event POSTed: a callback URL is set and the EventsFilter (if any) names the type. */
export function wantsEvent(workspace: WorkspaceRecord, eventType: EventType): boolean {
  if (!workspace.eventCallbackUrl) return false;
  const filter = (workspace.eventsFilter ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return filter.length === 0 || filter.includes(eventType);
}

/**
 * The form TaskRouter POSTs for an event: the common parameters, then every event_data field under its PascalCase
 * name (`task_queue_sid` → `TaskQueueSid`). Absent fields are left out rather than sent empty.
 */
export function eventCallbackParams(event: TaskRouterEvent, workspace: WorkspaceRecord): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of fieldEntries(event)) params[pascalCase(key)] = value;
  return Object.assign(params, {
    EventType: event.eventType,
    AccountSid: workspace.accountSid,
    WorkspaceSid: workspace.sid,
    WorkspaceName: workspace.friendlyName,
    EventDescription: event.description,
    ResourceType: event.resourceType,
    ResourceSid: event.resourceSid,
    Timestamp: String(Math.floor(event.eventDate / 1000)),
    TimestampMs: String(event.eventDate),
    Sid: event.sid,
  });
}

export interface EventCallbackDeps {
  store: RoutingStore;
  authToken: string;
  http: CallbackFetch;
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * Delivers one event to its workspace's EventCallbackUrl. The workspace is read at delivery time, so a URL or filter
 * change applies to events still waiting. Every attempt carries the event sid as idempotency token: delivery is at
 * least once, and a receiver can drop repeats by it. Each attempt is a `send event-callback` span linked to the
 * commit that made the event.
 */
export function eventCallbackDelivery(deps: EventCallbackDeps): (entry: OutboxEntry) => Promise<DeliveryOutcome> {
  return async ({ event, attempt }) => {
    const workspace = await deps.store.get(event.workspaceSid, 'workspace', event.workspaceSid);
    if (!workspace || !wantsEvent(workspace, event.eventType)) return 'skipped';
    const span = { destination: 'event-callback' as const, event, failure: failureOfOutcome, attributes: { 'switchboard.delivery_attempt': attempt + 1 } };
    return withSendSpan(span, async (): Promise<DeliveryOutcome> => {
      const answer = await postSigned(deps.http, {
        url: workspace.eventCallbackUrl!,
        params: eventCallbackParams(event, workspace),
        authToken: deps.authToken,
        timeoutMs: deps.timeoutMs,
        signal: deps.signal,
        headers: { 'I-Twilio-Idempotency-Token': event.sid },
      });
      // A refused address stays refused: retrying would only delay the report.
      return answer.ok ? 'delivered' : { failed: failureOf(answer), final: refusalOf(answer) !== null };
    });
  };
}
