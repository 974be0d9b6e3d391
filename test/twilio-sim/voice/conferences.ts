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

/**
 * One call in a conference room, as the Participants REST resource shows and changes it: held (hearing `holdUrl`,
 * Twilio's music without one), muted, or removed (the call leaves the room and goes on after its `<Dial>`).
 */
export class SimParticipant {
  hold = false;
  holdUrl: string | undefined;
  holdMethod: HttpMethod = 'GET';
  beepOnExit = true;
  readonly dateCreated: number;
  dateUpdated: number;
  /** Resolves when the participant is removed through the REST API. */
  readonly removed: Deferred<void> = deferred<void>();
  /** Told when `hold` changes, by the `<Dial><Conference>` that runs the call, which plays or stops the hold audio. */
  onHoldChanged: () => void = () => {};

  constructor(
    readonly call: SimCall,
    readonly options: ParticipantOptions,
    now: number,
  ) {
    this.dateCreated = now;
    this.dateUpdated = now;
  }
}

/** Why a conference ended, in Twilio's words (`ReasonConferenceEnded`). */
export type ConferenceEndReason = 'participant-with-end-conference-on-exit-left' | 'last-participant-left';

/** A conference room (`CF…`). */
export class SimConference {
  readonly sid = newSid('CF');
  status: 'init' | 'in-progress' | 'completed' = 'init';
  readonly participants = new Map<string, SimParticipant>();
  readonly dateCreated: number;
  dateUpdated: number;
  /** Resolves when the conference starts (a participant with startConferenceOnEnter is present). */
  readonly started: Deferred<void> = deferred<void>();
  /** Resolves when the conference ends; every remaining participant's `<Dial>` then completes. */
  readonly ended: Deferred<ConferenceEndReason> = deferred<ConferenceEndReason>();
  private callback: ParticipantOptions['statusCallback'];
  private sequence = 0;

  constructor(
    private readonly env: SimEnv,
    readonly friendlyName: string,
  ) {
    this.dateCreated = env.clock.now();
    this.dateUpdated = this.dateCreated;
  }

  join(call: SimCall, options: ParticipantOptions): SimParticipant {
    // Twilio takes the conference's status callback from the first participant that sets one.
    if (!this.callback && options.statusCallback) this.callback = options.statusCallback;
    const participant = new SimParticipant(call, options, this.env.clock.now());
    this.participants.set(call.sid, participant);
    this.env.record(call.sid, { type: 'conference', phase: 'join', name: this.friendlyName, conferenceSid: this.sid });
    this.notify('join', 'participant-join', participant);
    if (options.startConferenceOnEnter && this.status === 'init') this.start();
    return participant;
  }

  /** A REST update: hold/unhold (with its audio), mute, and the exit settings, recorded as a `participant` event. */
  update(participant: SimParticipant, changes: ParticipantChanges): void {
    const holdChanged = changes.hold !== undefined && changes.hold !== participant.hold;
    if (changes.holdUrl !== undefined) participant.holdUrl = changes.holdUrl === '' ? undefined : changes.holdUrl;
    if (changes.holdMethod !== undefined) participant.holdMethod = changes.holdMethod;
    if (changes.hold !== undefined) participant.hold = changes.hold;
    if (changes.muted !== undefined) participant.options.muted = changes.muted;
    if (changes.endConferenceOnExit !== undefined) participant.options.endConferenceOnExit = changes.endConferenceOnExit;
    if (changes.beepOnExit !== undefined) participant.beepOnExit = changes.beepOnExit;
    participant.dateUpdated = this.dateUpdated = this.env.clock.now();
    this.env.record(participant.call.sid, {
      type: 'participant',
      conferenceSid: this.sid,
      hold: participant.hold,
      muted: participant.options.muted,
      endConferenceOnExit: participant.options.endConferenceOnExit,
    });
    if (holdChanged) {
      this.notify(participant.hold ? 'hold' : 'unhold', participant.hold ? 'participant-hold' : 'participant-unhold', participant);
      participant.onHoldChanged();
    }
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

  private notify(subscription: string, event: string, participant?: SimParticipant, extra: Record<string, string> = {}): void {
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
        Hold: String(participant.hold),
        Coaching: 'false',
        EndConferenceOnExit: String(participant.options.endConferenceOnExit),
        StartConferenceOnEnter: String(participant.options.startConferenceOnEnter),
      });
    }
    const sid = participant?.call.sid ?? [...this.participants.keys()][0] ?? this.sid;
    this.env.background(this.env.webhook(sid, 'conference-status-callback', callback.method, callback.url, params));
  }
}

/** What a Participants REST update may change (absent: unchanged). */
export interface ParticipantChanges {
  hold?: boolean;
  /** Empty: back to Twilio's hold music. */
  holdUrl?: string;
  holdMethod?: HttpMethod;
  muted?: boolean;
  endConferenceOnExit?: boolean;
  beepOnExit?: boolean;
}

/** Conferences by friendly name; a name whose conference has ended gets a fresh conference on next use. */
export class ConferenceStore {
  private readonly rooms: SimConference[] = [];

  constructor(private readonly env: SimEnv) {}

  all(): SimConference[] {
    return [...this.rooms];
  }

  get(sid: string): SimConference | undefined {
    return this.rooms.find((c) => c.sid === sid);
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
