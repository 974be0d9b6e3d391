import type { ReservationRecord, TaskRecord, WorkerRecord } from '../core/model.js';

/** A reservation instruction that needs a telephony connector: dequeue, call, redirect, conference, supervise. */
export interface TelephonyInstruction {
  instruction: 'dequeue' | 'call' | 'redirect' | 'conference' | 'supervise';
  /** The instruction's parameters, keyed by Twilio's REST names (DequeueTo, CallUrl, …) with values as sent. */
  params: Record<string, unknown>;
  workspaceSid: string;
  reservation: ReservationRecord;
  task: TaskRecord;
  worker: WorkerRecord;
}

/**
 * The seam between the routing core and a voice connector. The engine validates the reservation and the
 * instruction's parameters, then hands the instruction here; the connector places or bridges calls and answers
 * whether the reservation should be accepted now (`call`/`redirect` with accept, for instance) or later (when the
 * agent answers).
 */
export interface TelephonyPort {
  execute(instruction: TelephonyInstruction): Promise<{ acceptNow: boolean }>;
}
