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

/** Hold or unhold a participant, with what it hears while held (Twilio's music without a URL). */
export interface ParticipantHold {
  hold: boolean;
  holdUrl?: string;
  holdMethod?: string;
}

/** A worker's own leg in a task's conference: mute, and whether its leaving ends (or beeps in) the conference. */
export interface WorkerParticipantChanges {
  muted?: boolean;
  endConferenceOnExit?: boolean;
  beepOnExit?: boolean;
}

/**
 * The seam between the worker SDK's conference calls and a voice connector: the participants of the conference a
 * task's call was connected through (the `conference` instruction). The caller has checked who may act; the
 * connector finds the conference and the legs, and throws a Twilio-format 400 when the task has none, before anything
 * changes.
 */
export interface ConferenceControls {
  /** The task's caller held or unheld. */
  holdCustomer(workspaceSid: string, task: TaskRecord, hold: ParticipantHold): Promise<void>;
  /** A worker's leg in the task's conference held or unheld. */
  holdWorker(workspaceSid: string, task: TaskRecord, workerSid: string, hold: ParticipantHold): Promise<void>;
  /** A worker's leg taken out of the task's conference. */
  kickWorker(workspaceSid: string, task: TaskRecord, workerSid: string): Promise<void>;
  /** The leg of a reservation's worker in the task's conference updated. */
  updateWorker(workspaceSid: string, task: TaskRecord, reservation: ReservationRecord, changes: WorkerParticipantChanges): Promise<void>;
}
