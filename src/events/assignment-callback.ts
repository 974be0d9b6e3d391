import type { TaskRouterEvent } from '../core/events/index.js';
import type { RoutingEngine } from '../engine/engine.js';
import { carryOutAssignmentAnswer, readAssignmentAnswer } from './assignment-instruction.js';
import type { CallbackFetch } from './callback-http.js';
import type { Logger } from '../telemetry/log.js';
import type { OutboxEntry } from './outbox.js';
import { failureOfOutcome, type DeliveryOutcome } from './pump.js';
import { withSendSpan } from '../telemetry/trace-sends.js';
import { failureOf, postSigned, refusalOf } from './signed-post.js';

/** TaskRouter gives the application this long to answer, then turns to the fallback URL. */
export const ASSIGNMENT_CALLBACK_TIMEOUT_MS = 5_000;

/**
 * The parameters TaskRouter POSTs to a workflow's AssignmentCallbackUrl — these twelve and no others — taken from
 * the `reservation.created` event, so they describe task and worker as they were when the reservation was made.
 */
export function assignmentCallbackParams(event: TaskRouterEvent<'reservation.created'>, accountSid: string): Record<string, string> {
  const d = event.data;
  return {
    Timestamp: String(Math.floor(event.eventDate / 1000)),
    AccountSid: accountSid,
    WorkspaceSid: event.workspaceSid,
    WorkflowSid: d.workflow_sid ?? '',
    TaskQueueSid: d.task_queue_sid,
    WorkerSid: d.worker_sid,
    WorkerAttributes: d.worker_attributes,
    TaskSid: d.task_sid,
    TaskAttributes: d.task_attributes,
    TaskAge: d.task_age,
    TaskPriority: d.task_priority,
    ReservationSid: d.reservation_sid,
  };
}

export interface AssignmentCallbackDeps {
  engine: RoutingEngine;
  accountSid: string;
  authToken: string;
  http: CallbackFetch;
  timeoutMs: number;
  signal: AbortSignal;
  logger: Logger;
}

/**
 * Delivers a `reservation.created` event to its workflow's AssignmentCallbackUrl — and, when that fails (no 2xx in
 * time), once to the FallbackAssignmentCallbackUrl — then carries out the instruction in the answer. There is no
 * retry beyond that: the reservation's own timeout is the application's deadline. The exchange, answer carried out
 * included, is a `send assignment-callback` span linked to the commit that made the reservation.
 */
export function assignmentCallbackDelivery(deps: AssignmentCallbackDeps): (entry: OutboxEntry) => Promise<DeliveryOutcome> {
  return async ({ event }) => {
    if (event.eventType !== 'reservation.created') return 'skipped';
    const workflowSid = event.data.workflow_sid;
    if (!workflowSid) return 'skipped';
    const workflow = await deps.engine.store.get(event.workspaceSid, 'workflow', workflowSid);
    if (!workflow?.assignmentCallbackUrl) return 'skipped';
    const params = assignmentCallbackParams(event, deps.accountSid);
    const post = (url: string) => postSigned(deps.http, { url, params, authToken: deps.authToken, timeoutMs: deps.timeoutMs, signal: deps.signal });
    return withSendSpan({ destination: 'assignment-callback', event, failure: failureOfOutcome }, async (): Promise<DeliveryOutcome> => {
      let answer = await post(workflow.assignmentCallbackUrl!);
      if (!answer.ok && workflow.fallbackAssignmentCallbackUrl && !deps.signal.aborted) {
        deps.logger.warn(
          { workspace_sid: event.workspaceSid, workflow_sid: workflowSid, reservation_sid: event.data.reservation_sid, reason: failureOf(answer) },
          'AssignmentCallbackUrl failed; trying the fallback URL',
        );
        answer = await post(workflow.fallbackAssignmentCallbackUrl);
      }
      if (!answer.ok) return { failed: failureOf(answer), final: refusalOf(answer) !== null };
      await carryOutAssignmentAnswer(deps.engine, event, readAssignmentAnswer(answer.body), deps.logger);
      return 'delivered';
    });
  };
}
