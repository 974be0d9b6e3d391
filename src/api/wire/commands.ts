import type { AssignmentStatus } from '../../core/model.js';
import { attributesJson } from '../../core/validate.js';
import type { ReservationInput, TaskInput, WorkerInput } from '../../engine/commands.js';
import type { TwilioParams } from './params.js';

/**
 * Twilio's parameters → the engine's command inputs, for every face that takes them: the REST API, and the worker
 * SDK's bridge, whose JSON params are read through the same `TwilioParams`. Each throws 400 naming the parameter
 * before anything changes.
 */

/** A task's assignment statuses, as filters and updates name them. */
export const ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = ['pending', 'reserved', 'assigned', 'canceled', 'completed', 'wrapping'];
const INSTRUCTIONS = ['dequeue', 'call', 'redirect', 'conference', 'supervise'] as const;
/** Parameters that are a reservation update itself; every other one belongs to the instruction. */
const STATUS_PARAMS = ['ReservationStatus', 'WorkerActivitySid', 'Instruction'] as const;

/** `Attributes` checked as a JSON object within the size limit. */
function checkedAttributes(body: TwilioParams): string | undefined {
  const attributes = body.string('Attributes');
  return attributes === undefined ? undefined : attributesJson(attributes);
}

export function workerCreateInput(body: TwilioParams): WorkerInput {
  return { friendlyName: body.string('FriendlyName'), activitySid: body.string('ActivitySid'), attributes: checkedAttributes(body) };
}

export function workerUpdateInput(body: TwilioParams, ifMatch: string | undefined): WorkerInput {
  return { ...workerCreateInput(body), rejectPendingReservations: body.bool('RejectPendingReservations'), ifMatch };
}

/** Parameters shared by a task's create and update. */
function taskRoutingInput(body: TwilioParams): TaskInput {
  return {
    attributes: checkedAttributes(body),
    priority: body.int('Priority'),
    taskChannel: body.string('TaskChannel'),
    virtualStartTime: body.date('VirtualStartTime'),
  };
}

export function taskCreateInput(body: TwilioParams): TaskInput {
  return {
    ...taskRoutingInput(body),
    timeout: body.int('Timeout'),
    workflowSid: body.string('WorkflowSid'),
    routingTarget: body.string('RoutingTarget'),
    ignoreCapacity: body.bool('IgnoreCapacity'),
    taskQueueSid: body.string('TaskQueueSid'),
  };
}

export function taskUpdateInput(body: TwilioParams, ifMatch: string | undefined): TaskInput {
  return { ...taskRoutingInput(body), assignmentStatus: body.oneOf('AssignmentStatus', ASSIGNMENT_STATUSES), reason: body.string('Reason'), ifMatch };
}

export function reservationUpdateInput(body: TwilioParams, ifMatch: string | undefined): ReservationInput {
  const instruction = body.oneOf('Instruction', INSTRUCTIONS);
  const instructionParams = body.rest(STATUS_PARAMS);
  return {
    reservationStatus: body.string('ReservationStatus'),
    workerActivitySid: body.string('WorkerActivitySid'),
    instruction,
    instructionParams: instruction !== undefined || Object.keys(instructionParams).length > 0 ? instructionParams : undefined,
    ifMatch,
  };
}
