import type { SimEnv } from '../core/env.js';
import { EventLog, type SimEvent, type SimEventOf, type WaitOptions } from '../core/events.js';
import { newSid } from '../core/ids.js';
import { Scope, deferred, type Deferred } from '../core/scope.js';
import { TERMINAL_STATUSES, type CallDirection, type CallStatus, type FetchTarget, type Geo, type HangupSource, type RequestPurpose } from '../core/types.js';
import { InputQueue } from './input.js';
import { geoParams } from './geo.js';
import { emitCallProgress, type StatusCallbackConfig } from './status-callbacks.js';
import type { Bridge } from './bridge.js';
import type { MediaStreamClient } from '../media/stream-client.js';

/** How a leg comes to exist. */
export interface CallInit {
  direction: CallDirection;
  from: string;
  to: string;
  parentCallSid?: string;
  /** Extra parameters sent with every request for this call (custom SIP headers, CallerName…). */
  extraParams?: Record<string, string>;
  geo?: { from?: Geo; to?: Geo };
  statusCallback?: StatusCallbackConfig;
}

/**
 * One call leg, as Twilio sees it and as the party on it acts. Tests script the party (`press`, `say`, `hangUp`) and
 * read what happened from {@link SimCall.events}.
 */
export class SimCall {
  readonly sid = newSid('CA');
  readonly direction: CallDirection;
  readonly from: string;
  readonly to: string;
  readonly parentCallSid: string | undefined;
  /** Simulated epoch ms. */
  readonly createdAt: number;
  answeredAt: number | null = null;
  endedAt: number | null = null;
  /** How the call ended, once it has. */
  endedBy: HangupSource | null = null;

  /** @internal The region the current TwiML program runs in; replaced on redirect. */
  scope = new Scope();
  /** What the party has done (key presses, speech) that TwiML has not consumed yet. */
  readonly inputs = new InputQueue();
  /** @internal Status callback subscription (REST `StatusCallback*` or a `<Dial>` noun's attributes). */
  statusCallback: StatusCallbackConfig | undefined;
  /** @internal Sequence for status callbacks. */
  callbackSequence = 0;
  /** @internal Status callbacks in flight, delivered in order. */
  callbackChain: Promise<unknown> = Promise.resolve();
  /** @internal The bridge this leg is in. */
  bridge: Bridge | null = null;
  /** Media Streams opened on this leg (`<Start>`, `<Connect>`, REST), in order; open or not. */
  readonly streams: MediaStreamClient[] = [];
  /** @internal Where an unanswered outbound leg fetches its TwiML once answered (REST may change it meanwhile). */
  pendingTarget: FetchTarget | null = null;
  /** @internal Resolved when the call is over and its final callbacks have been sent. */
  readonly done: Deferred<void> = deferred<void>();

  private currentStatus: CallStatus;
  private readonly extraParams: Record<string, string>;
  private readonly geo: { from?: Geo; to?: Geo };
  private readonly eventLog: EventLog;

  constructor(
    private readonly env: SimEnv,
    init: CallInit,
    initialStatus: CallStatus,
  ) {
    this.direction = init.direction;
    this.from = init.from;
    this.to = init.to;
    this.parentCallSid = init.parentCallSid;
    this.extraParams = init.extraParams ?? {};
    this.geo = init.geo ?? {};
    this.statusCallback = init.statusCallback;
    this.createdAt = env.clock.now();
    this.currentStatus = initialStatus;
    env.calls.set(this.sid, this);
    this.eventLog = env.logOf(this.sid);
    env.record(this.sid, { type: 'status', status: initialStatus, previous: null });
  }

  /** Current status. */
  get status(): CallStatus {
    return this.currentStatus;
  }

  /** Whether the call has reached a final status. */
  get ended(): boolean {
    return TERMINAL_STATUSES.includes(this.currentStatus);
  }

  get answered(): boolean {
    return this.answeredAt !== null;
  }

  /** Everything that happened on this leg, in order (live: grows as the call goes on). */
  get events(): readonly SimEvent[] {
    return this.eventLog.events;
  }

  /** Resolves when the call is over and its final callbacks (actions, status callbacks) have gone out. */
  get finished(): Promise<void> {
    return this.done.promise;
  }

  /** Seconds from answer to end (or to now), as Twilio bills and reports `CallDuration`. */
  get durationSeconds(): number {
    if (this.answeredAt === null) return 0;
    return Math.max(0, Math.round(((this.endedAt ?? this.env.clock.now()) - this.answeredAt) / 1000));
  }

  /** Queues key presses (`0-9`, `*`, `#`) for the next `<Gather>` (or a `<Dial hangupOnStar>`). */
  press(digits: string): this {
    if (!/^[0-9*#]+$/.test(digits)) throw new Error(`not DTMF digits: ${digits}`);
    this.env.record(this.sid, { type: 'input', kind: 'dtmf', value: digits });
    this.inputs.push({ kind: 'dtmf', digits });
    for (const stream of this.streams) stream.sendDtmf(digits);
    return this;
  }

  /** Queues words for the next speech `<Gather>`. */
  say(words: string, confidence = 0.92): this {
    this.env.record(this.sid, { type: 'input', kind: 'speech', value: words });
    this.inputs.push({ kind: 'speech', text: words, confidence });
    return this;
  }

  /** Makes the next `<Gather>` time out at once, as if its timeout elapsed with nothing said. */
  silence(): this {
    this.env.record(this.sid, { type: 'input', kind: 'silence', value: '' });
    this.inputs.push({ kind: 'silence' });
    return this;
  }

  /** The party hangs up. Twilio's reaction (actions with `QueueResult=hangup`, Dial actions, callbacks) follows. */
  hangUp(): this {
    this.end('caller');
    return this;
  }

  /** Waits for an event on this leg (past or future). */
  waitFor<E extends SimEvent = SimEvent>(predicate: ((e: SimEvent) => e is E) | ((e: SimEvent) => boolean), options?: WaitOptions): Promise<E> {
    return this.eventLog.waitFor<E>(predicate, options);
  }

  /** Waits until the call reaches one of the statuses. */
  waitForStatus(status: CallStatus | readonly CallStatus[], options?: WaitOptions): Promise<SimEventOf<'status'>> {
    const wanted = typeof status === 'string' ? [status] : status;
    return this.waitFor((e): e is SimEventOf<'status'> => e.type === 'status' && wanted.includes(e.status), options);
  }

  /** Waits for a request of the given purpose (and, optionally, matching more). */
  waitForRequest(purpose: RequestPurpose, match: (e: SimEventOf<'request'>) => boolean = () => true, options?: WaitOptions): Promise<SimEventOf<'request'>> {
    return this.waitFor((e): e is SimEventOf<'request'> => e.type === 'request' && e.purpose === purpose && match(e), options);
  }

  /** What the party heard so far: `<Say>` text, `<Play>` URLs, `<Play digits>` tones (pauses left out). */
  heard(): string[] {
    return this.events.flatMap((e) => (e.type === 'heard' && e.kind !== 'pause' ? [e.text] : []));
  }

  /** Requests made for this call, optionally of one purpose. */
  requests(purpose?: RequestPurpose): SimEventOf<'request'>[] {
    return this.events.filter((e): e is SimEventOf<'request'> => e.type === 'request' && (!purpose || e.purpose === purpose));
  }

  /** @internal The standard voice request parameters, with the call's state as of now. */
  params(): Record<string, string> {
    const p: Record<string, string> = {
      AccountSid: this.env.options.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: this.sid,
      CallStatus: this.currentStatus,
      Called: this.to,
      Caller: this.from,
      Direction: this.direction,
      From: this.from,
      To: this.to,
      ...geoParams(this.from, this.to, this.geo),
    };
    if (this.parentCallSid) p.ParentCallSid = this.parentCallSid;
    return { ...p, ...this.extraParams };
  }

  /** @internal Moves to a new status, logging it and firing the matching progress callback. */
  setStatus(status: CallStatus): void {
    if (this.ended || status === this.currentStatus) return;
    const previous = this.currentStatus;
    this.currentStatus = status;
    this.env.record(this.sid, { type: 'status', status, previous });
    if (!this.ended) emitCallProgress(this.env, this, status);
  }

  /** @internal Answers the leg (first time only). */
  answer(): void {
    if (this.answeredAt !== null || this.ended) return;
    this.answeredAt = this.env.clock.now();
    this.setStatus('in-progress');
  }

  /**
   * @internal Ends the leg: final status (completed if it was answered, else `status`, default canceled), then interrupts
   * whatever it was doing so each layer can report its own outcome on the way out.
   */
  end(by: HangupSource, status?: CallStatus): void {
    if (this.ended) return;
    this.endedAt = this.env.clock.now();
    this.endedBy = by;
    // An answered call always ends `completed`; the other final statuses describe calls that never connected.
    this.setFinalStatus(this.answeredAt !== null ? 'completed' : (status ?? 'canceled'));
    this.env.record(this.sid, { type: 'hangup', by });
    for (const stream of this.streams) stream.stop();
    this.scope.abort({ kind: 'hangup', by });
  }

  /** @internal Makes the leg drop what it is doing and run other TwiML. */
  redirect(target: FetchTarget): void {
    if (this.ended) return;
    if (!this.answered && this.direction !== 'inbound') {
      // An outbound leg that has not been answered yet simply fetches the new TwiML when it is answered.
      this.pendingTarget = target;
      return;
    }
    this.scope.abort({ kind: 'redirect', target });
  }

  private setFinalStatus(status: CallStatus): void {
    const previous = this.currentStatus;
    this.currentStatus = status;
    this.env.record(this.sid, { type: 'status', status, previous });
  }
}
