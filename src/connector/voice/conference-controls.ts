import { badRequest } from '../../core/errors.js';
import type { ReservationRecord, TaskRecord } from '../../core/model.js';
import type { ParticipantContextUpdateOptions } from 'twilio/lib/rest/api/v2010/account/conference/participant.js';
import type { ConferenceControls, ParticipantHold, WorkerParticipantChanges } from '../../engine/telephony-port.js';
import { twilioRest } from '../twilio/rest-failure.js';
import { callOfTask } from './agent-address.js';
import { reservationLeg, taskConference, workerLeg } from './task-conference.js';
import type { TelephonyDeps } from './telephony-deps.js';

/**
 * The worker SDK's conference calls carried out through Twilio's Conference Participants REST API: the caller or a
 * worker's leg held (hearing `holdUrl`), a worker's leg removed, a reservation's leg muted or made to end the
 * conference when it leaves. Every target is found before anything is asked of Twilio.
 */
export class VoiceConferenceControls implements ConferenceControls {
  constructor(private readonly deps: TelephonyDeps) {}

  async holdCustomer(workspaceSid: string, task: TaskRecord, hold: ParticipantHold): Promise<void> {
    const { callSid } = callOfTask(task);
    const conference = await taskConference(this.deps, workspaceSid, task);
    await this.update(conference, callSid, holdUpdate(hold), 'hold the caller');
  }

  async holdWorker(workspaceSid: string, task: TaskRecord, workerSid: string, hold: ParticipantHold): Promise<void> {
    const conference = await taskConference(this.deps, workspaceSid, task);
    const leg = await workerLeg(this.deps, workspaceSid, task, workerSid);
    await this.update(conference, leg, holdUpdate(hold), 'hold the worker');
  }

  async kickWorker(workspaceSid: string, task: TaskRecord, workerSid: string): Promise<void> {
    const conference = await taskConference(this.deps, workspaceSid, task);
    const leg = await workerLeg(this.deps, workspaceSid, task, workerSid);
    await twilioRest('remove the worker from the conference', () => this.deps.client.conferences(conference).participants(leg).remove());
  }

  async updateWorker(workspaceSid: string, task: TaskRecord, reservation: ReservationRecord, changes: WorkerParticipantChanges): Promise<void> {
    const conference = await taskConference(this.deps, workspaceSid, task);
    const leg = await reservationLeg(this.deps, task, reservation);
    if (!leg) throw badRequest(`Reservation ${reservation.sid} has no leg in the conference of task ${task.sid}`);
    await this.update(conference, leg, changes, 'update the worker in the conference');
  }

  private async update(conference: string, callSid: string, changes: ParticipantContextUpdateOptions, action: string): Promise<void> {
    await twilioRest(action, () => this.deps.client.conferences(conference).participants(callSid).update(changes));
  }
}

/** A hold as Twilio's Participant update takes it: the URL and method only when given. */
function holdUpdate({ hold, holdUrl, holdMethod }: ParticipantHold): ParticipantContextUpdateOptions {
  return { hold, ...(holdUrl !== undefined && { holdUrl }), ...(holdMethod !== undefined && { holdMethod }) };
}
