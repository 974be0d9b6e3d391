import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { fieldsOf, type TaskRouterEvent } from '../core/events/index.js';
import { linksTo } from './trace-context.js';
import { withSpan } from './tracing.js';

/** Where committed events are sent: the names of send spans (`send assignment-callback`), few and fixed. */
export type SendDestination = 'assignment-callback' | 'event-callback' | 'worker-events';

export interface SendSpan<T> {
  destination: SendDestination;
  event: TaskRouterEvent;
  /** What the attempt returned, as a failure to report on the span; null when it succeeded. */
  failure?: (result: T) => string | null;
  attributes?: Attributes;
}

/**
 * Runs `send`, one attempt at handing a committed event over (a callback POST, frames to the worker SDK's sessions),
 * in a PRODUCER span after OpenTelemetry's messaging conventions. The span starts a trace of its own, linked to the
 * span that committed the event: delivery runs apart from the commit, perhaps on another instance, perhaps after
 * retries, and does not belong inside the committing request's trace. Span attributes name the sids involved (unlike
 * metric labels, they may).
 */
export async function withSendSpan<T>(spec: SendSpan<T>, send: () => Promise<T>): Promise<T> {
  const { destination, event } = spec;
  const data = fieldsOf(event);
  const attributes: Attributes = {
    'messaging.system': 'switchboard',
    'messaging.operation.type': 'send',
    'messaging.operation.name': 'send',
    'messaging.destination.name': destination,
    'messaging.message.id': event.sid,
    'switchboard.event_type': event.eventType,
    'switchboard.workspace_sid': event.workspaceSid,
    ...spec.attributes,
  };
  if (data.task_sid) attributes['switchboard.task_sid'] = data.task_sid;
  if (data.reservation_sid) attributes['switchboard.reservation_sid'] = data.reservation_sid;
  const options = { kind: SpanKind.PRODUCER, root: true, links: linksTo([event.traceContext]) };
  return withSpan(
    `send ${destination}`,
    attributes,
    async (span) => {
      const result = await send();
      const failure = spec.failure?.(result) ?? null;
      if (failure !== null) span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
      return result;
    },
    options,
  );
}
