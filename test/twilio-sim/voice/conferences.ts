import type { SimEnv } from '../core/env.js';
import { newSid, rfc2822 } from '../core/ids.js';
import { deferred, type Deferred } from '../core/scope.js';
import type { HttpMethod } from '../core/types.js';
import type { SimCall } from './call.js';

/** A participant's `<Conference>` attributes that change how the room behaves. */
export interface ParticipantOptions {
  startConferenceOnEnter: boolean;
  endConferenceOnExit: boolean;
  muted: boolean;
  statusCallback?: { url: string; method: HttpMethod; events: ReadonlySet<string> };
}

/** Why a conference ended, in Twilio's words (`ReasonConferenceEnded`). */
export type ConferenceEndReason = 'participant-with-end-conference-on-exit-left' | 'last-participant-left';

/** A conference room (`CF…`). */
export class SimConference {
  readonly sid = newSid('CF');
  status: 'init' | 'in-progress' | 'completed' = 'init';
  readonly participants = new Map<string, { call: SimCall; options: ParticipantOptions }>();
  /** Resolves when the conference starts (a participant with startConferenceOnEnter is present). */
  readonly started: Deferred<void> = deferred<void>();
  /** Resolves when the conference ends; every remaining participant's `<Dial>` then completes. */
  readonly ended: Deferred<ConferenceEndReason> = deferred<ConferenceEndReason>();
  private callback: ParticipantOptions['statusCallback'];
  private sequence = 0;

  constructor(
    private readonly env: SimEnv,
    readonly friendlyName: string,
  ) {}

  join(call: SimCall, options: ParticipantOptions): void {
    // Twilio takes the conference's status callback from the first participant that sets one.
    if (!this.callback && options.statusCallback) this.callback = options.statusCallback;
    this.participants.set(call.sid, { call, options });
    this.env.record(call.sid, { type: 'conference', phase: 'join', name: this.friendlyName, conferenceSid: this.sid });
    this.notify('join', 'participant-join', { call, options });
    if (options.startConferenceOnEnter && this.status === 'init') this.start();
  }

  leave(call: SimCall): void {
    const participant = this.participants.get(call.sid);
    if (!participant) return;
    this.participants.delete(call.sid);
    this.env.record(call.sid, { type: 'conference', phase: 'leave', name: this.friendlyName, conferenceSid: this.sid });
    this.notify('leave', 'participant-leave', participant);
    if (this.status === 'completed') return;
    if (participant.options.endConferenceOnExit) this.end('participant-with-end-conference-on-exit-left', call.sid);
    else if (!this.participants.size) this.end('last-participant-left', call.sid);
  }

  private start(): void {
    this.status = 'in-progress';
    for (const { call } of this.participants.values()) {
      this.env.record(call.sid, { type: 'conference', phase: 'start', name: this.friendlyName, conferenceSid: this.sid });
    }
    this.notify('start', 'conference-start');
    this.started.resolve();
  }

  private end(reason: ConferenceEndReason, endingCallSid: string): void {
    this.status = 'completed';
    for (const { call } of this.participants.values()) {
      this.env.record(call.sid, { type: 'conference', phase: 'end', name: this.friendlyName, conferenceSid: this.sid });
    }
    this.notify('end', 'conference-end', undefined, {
      ReasonConferenceEnded: reason,
      Reason: reason === 'last-participant-left' ? 'Last participant left the conference' : 'Participant with endConferenceOnExit left the conference',
      CallSidEndingConference: endingCallSid,
    });
    this.ended.resolve(reason);
  }

  private notify(subscription: string, event: string, participant?: { call: SimCall; options: ParticipantOptions }, extra: Record<string, string> = {}): void {
    const callback = this.callback;
    if (!callback || !callback.events.has(subscription)) return;
    const params: Record<string, string> = {
      AccountSid: this.env.options.accountSid,
      ConferenceSid: this.sid,
      FriendlyName: this.friendlyName,
      StatusCallbackEvent: event,
      SequenceNumber: String(this.sequence++),
      Timestamp: rfc2822(this.env.clock.now()),
      ...extra,
    };
    if (participant) {
      Object.assign(params, {
        CallSid: participant.call.sid,
        Muted: String(participant.options.muted),
        Hold: 'false',
        Coaching: 'false',
        EndConferenceOnExit: String(participant.options.endConferenceOnExit),
        StartConferenceOnEnter: String(participant.options.startConferenceOnEnter),
      });
    }
    const sid = participant?.call.sid ?? [...this.participants.keys()][0] ?? this.sid;
    this.env.background(this.env.webhook(sid, 'conference-status-callback', callback.method, callback.url, params));
  }
}

/** Conferences by friendly name; a name whose conference has ended gets a fresh conference on next use. */
export class ConferenceStore {
  private readonly rooms: SimConference[] = [];

  constructor(private readonly env: SimEnv) {}

  all(): SimConference[] {
    return [...this.rooms];
  }

  active(name: string): SimConference | undefined {
    return this.rooms.find((c) => c.friendlyName === name && c.status !== 'completed');
  }

  getOrCreate(name: string): SimConference {
    const existing = this.active(name);
    if (existing) return existing;
    const room = new SimConference(this.env, name);
    this.rooms.push(room);
    return room;
  }
}
