import type { CallStatus, DialCallStatus, HangupSource, HttpMethod, QueueResult, RequestPurpose } from './types.js';

/** What happened, one entry per fact; every entry also carries {@link SimEventBase}. */
export type SimEventData =
  /** The call's status changed (`previous` is null for the first status). */
  | { type: 'status'; status: CallStatus; previous: CallStatus | null }
  /**
   * The simulator made an HTTP request to the application (webhook, action, waitUrl, status callback…). `status` is
   * the HTTP status (null when the request failed at the network level, with `error` set); `body` is the response.
   */
  | {
      type: 'request';
      purpose: RequestPurpose;
      method: HttpMethod;
      url: string;
      params: Record<string, string>;
      status: number | null;
      contentType: string | null;
      body: string;
      error?: string;
    }
  /** A TwiML document was accepted and is about to run (`url` is null for inline TwiML). */
  | { type: 'twiml'; purpose: RequestPurpose; url: string | null; xml: string; verbs: string[] }
  /** A TwiML document was refused: Twilio's error code, the first problem, and every problem found. */
  | {
      type: 'twiml-error';
      purpose: RequestPurpose;
      url: string | null;
      code: number;
      message: string;
      problems: string[];
      xml: string;
    }
  /** A verb started executing. */
  | { type: 'verb'; verb: string; attributes: Record<string, string>; text: string }
  /**
   * Audio the party on this leg heard: text of a `<Say>`, URL of a `<Play>`, DTMF tones of `<Play digits>`, or a
   * `<Pause>`. `loop` 0 means "until interrupted"; `durationMs` is simulated time (null when unbounded).
   */
  | {
      type: 'heard';
      kind: 'say' | 'play' | 'digits' | 'pause';
      text: string;
      voice?: string;
      language?: string;
      loop: number;
      durationMs: number | null;
    }
  /** The test made the party act: key presses, words spoken, or deliberate silence. */
  | { type: 'input'; kind: 'dtmf' | 'speech' | 'silence'; value: string }
  /** `<Gather>` progress: started listening, got a result, or timed out without one. */
  | {
      type: 'gather';
      phase: 'start' | 'result' | 'timeout';
      input: string[];
      digits?: string;
      speech?: string;
      finishedOnKey?: string;
    }
  /** The call entered, left, or could not enter a queue (`result` is the QueueResult when it left). */
  | {
      type: 'queue';
      phase: 'enter' | 'full' | 'leave';
      queueName: string;
      queueSid: string;
      position?: number;
      result?: QueueResult;
      dequeuedBy?: string;
    }
  /** `<Dial>` started (with what it dials) or ended (with what its action receives). */
  | {
      type: 'dial';
      phase: 'start' | 'end';
      targets?: string[];
      dialCallStatus?: DialCallStatus;
      dialCallSid?: string;
      dialCallDuration?: number;
    }
  /** A new leg was placed for this call (a `<Dial>` child). */
  | { type: 'leg'; childCallSid: string; to: string }
  /** Audio between this leg and another started or stopped flowing. */
  | { type: 'bridge'; phase: 'start' | 'end'; otherCallSid: string }
  /** This leg joined, started, left or saw the end of a conference. */
  | { type: 'conference'; phase: 'join' | 'start' | 'leave' | 'end'; name: string; conferenceSid: string }
  /** A participant changed through the Participants REST resource. */
  | { type: 'participant'; conferenceSid: string; hold: boolean; muted: boolean; endConferenceOnExit: boolean }
  /**
   * Media Streams: `open` (socket connected), `start`/`stop` (protocol messages sent), `closed`, `mark` (echoed
   * back to the server), `clear`, `media-in` (audio the server sent, `bytes` long), `error`.
   */
  | {
      type: 'stream';
      phase: 'open' | 'start' | 'stop' | 'closed' | 'mark' | 'clear' | 'media-in' | 'error';
      streamSid: string;
      name: string | null;
      url: string;
      mark?: string;
      bytes?: number;
      message?: string;
    }
  /** The call ended, and who ended it. */
  | { type: 'hangup'; by: HangupSource }
  /** Something Twilio would report as an error (fetch failure, bad response, TwiML error): Twilio's code. */
  | { type: 'error'; code: number; message: string }
  /** Something valid that the simulator does not emulate (it skips it). */
  | { type: 'warning'; message: string }
  /** A message sent from Twilio's side (a `<Message>` reply or a REST-created message). */
  | { type: 'message'; messageSid: string; from: string; to: string; body: string; mediaUrls: string[] };

/** Fields on every event. */
export interface SimEventBase {
  /** Global order across the whole simulator. */
  seq: number;
  /** Simulated epoch milliseconds. */
  at: number;
  /** The call (`CA…`) or message (`SM…`) the event belongs to. */
  sid: string;
}

export type SimEvent = SimEventBase & SimEventData;

/** Narrows {@link SimEvent} by `type`. */
export type SimEventOf<T extends SimEvent['type']> = Extract<SimEvent, { type: T }>;

/** Options for waiting on the log. */
export interface WaitOptions {
  /** Real milliseconds before giving up (default 5000). */
  timeoutMs?: number;
}

/** An append-only event list that can be awaited. */
export class EventLog {
  readonly events: SimEvent[] = [];
  private readonly waiters = new Set<(e: SimEvent) => void>();

  constructor(private readonly label: string) {}

  push(event: SimEvent): void {
    this.events.push(event);
    for (const w of [...this.waiters]) w(event);
  }

  /**
   * Resolves with the first event, already logged or still to come, that matches; rejects after the timeout with
   * the recent log in the message, which is usually enough to see what went wrong.
   */
  waitFor<E extends SimEvent = SimEvent>(predicate: ((e: SimEvent) => e is E) | ((e: SimEvent) => boolean), options: WaitOptions = {}): Promise<E> {
    const found = this.events.find(predicate);
    if (found) return Promise.resolve(found as E);
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise<E>((resolve, reject) => {
      const waiter = (e: SimEvent) => {
        if (!predicate(e)) return;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        resolve(e as E);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${this.label}: no matching event within ${timeoutMs} ms. Recent events:\n${describe(this.events.slice(-40))}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}

/** One line per event, for failure messages and debugging. */
export function describe(events: readonly SimEvent[]): string {
  return events
    .map((e) => {
      const { seq, at: _at, sid, type, ...rest } = e;
      const detail = Object.entries(rest)
        .filter(([k]) => k !== 'xml' && k !== 'body')
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      return `  #${seq} ${sid.slice(0, 10)}… ${type} ${detail}`;
    })
    .join('\n');
}
