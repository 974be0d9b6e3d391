import { TwilioError } from '../core/errors.js';
import type { TaskRouterEvent } from '../core/events/index.js';
import type { ReservationInput } from '../engine/commands.js';
import type { RoutingEngine } from '../engine/engine.js';
import type { Logger } from '../telemetry/log.js';
import { pascalCase } from './pascal-case.js';

/** Prefix of each telephony instruction's REST parameters: `to` of a dequeue is `DequeueTo`. */
const REST_PREFIX: Record<string, string> = { dequeue: 'Dequeue', call: 'Call', redirect: 'Redirect', conference: '' };

/** Keys whose REST name is not simply the prefixed PascalCase of the JSON key. */
const REST_RENAMES: Record<string, Record<string, string>> = {
  dequeue: { status_callback_events: 'DequeueStatusCallbackEvent' },
};

/** What an assignment callback answer asks of the reservation. */
export type AssignmentAnswer =
  /** Nothing now (empty or non-JSON body, no instruction): the application will answer through the REST API. */
  { kind: 'later' } | { kind: 'update'; instruction: string; input: ReservationInput } | { kind: 'unsupported'; instruction: string };

/**
 * Reads the JSON an application answers an assignment callback with (`{"instruction":"accept"}`, `{"instruction":
 * "dequeue","from":"+1…"}` …) as the reservation update the REST API would make: accept and reject become a
 * ReservationStatus, the telephony instructions their REST parameters (`post_work_activity_sid` of a dequeue →
 * `DequeuePostWorkActivitySid`).
 */
export function readAssignmentAnswer(body: string): AssignmentAnswer {
  let answer: unknown;
  try {
    answer = body.trim() === '' ? null : JSON.parse(body);
  } catch {
    return { kind: 'later' };
  }
  if (!answer || typeof answer !== 'object' || Array.isArray(answer)) return { kind: 'later' };
  const { instruction: raw, ...options } = answer as Record<string, unknown>;
  if (typeof raw !== 'string' || raw.trim() === '') return { kind: 'later' };
  const instruction = raw.trim().toLowerCase();
  if (instruction === 'accept') return { kind: 'update', instruction, input: { reservationStatus: 'accepted' } };
  if (instruction === 'reject') {
    const activity = options.activity_sid;
    return {
      kind: 'update',
      instruction,
      input: { reservationStatus: 'rejected', workerActivitySid: typeof activity === 'string' && activity !== '' ? activity : undefined },
    };
  }
  const prefix = REST_PREFIX[instruction];
  if (prefix === undefined) return { kind: 'unsupported', instruction };
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const restValue = restParamValue(value);
    if (restValue !== undefined) params[REST_RENAMES[instruction]?.[key] ?? prefix + pascalCase(key)] = restValue;
  }
  return { kind: 'update', instruction, input: { instruction, instructionParams: params } };
}

/** REST parameters are strings (lists: strings repeated); JSON numbers and booleans are sent as their text. */
function restParamValue(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.filter((v) => v !== null && typeof v !== 'object').map(String);
  return undefined;
}

/**
 * Carries out an assignment answer for the reservation a `reservation.created` event announced. An answer that comes
 * after the reservation stopped being pending (accepted through REST meanwhile, timed out…) is dropped; a failing
 * instruction is logged. Neither is an error of the delivery.
 */
export async function carryOutAssignmentAnswer(
  engine: RoutingEngine,
  event: TaskRouterEvent<'reservation.created'>,
  answer: AssignmentAnswer,
  logger: Logger,
): Promise<void> {
  const ws = event.workspaceSid;
  const reservationSid = event.data.reservation_sid;
  const about = { workspace_sid: ws, task_sid: event.data.task_sid, reservation_sid: reservationSid };
  if (answer.kind === 'later') return;
  if (answer.kind === 'unsupported') {
    logger.warn({ ...about, instruction: answer.instruction }, 'AssignmentCallbackUrl answered with an unsupported instruction');
    return;
  }
  const reservation = await engine.store.get(ws, 'reservation', reservationSid);
  if (!reservation || reservation.status !== 'pending') {
    logger.info(
      { ...about, instruction: answer.instruction, reservation_status: reservation?.status ?? 'gone' },
      'AssignmentCallbackUrl answer ignored: the reservation is no longer pending',
    );
    return;
  }
  try {
    await engine.updateReservation(ws, { taskSid: reservation.taskSid }, reservationSid, answer.input);
  } catch (err) {
    const code = err instanceof TwilioError ? err.code : undefined;
    logger.warn({ ...about, instruction: answer.instruction, code, reason: (err as Error).message }, "AssignmentCallbackUrl answer's instruction failed");
  }
}
