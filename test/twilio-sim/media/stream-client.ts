import WebSocket from 'ws';
import type { SimEnv } from '../core/env.js';
import { newSid, rfc2822 } from '../core/ids.js';
import { deferred, type Deferred } from '../core/scope.js';
import type { HttpMethod } from '../core/types.js';
import { twilioSignature } from '../http/signing.js';
import type { SimCall } from '../voice/call.js';

/** Bytes in one 20 ms frame of 8 kHz μ-law. */
export const FRAME_BYTES = 160;
/** Audio time one frame represents. */
export const FRAME_MS = 20;
const MULAW_SILENCE = 0xff;

/** What a `<Stream>` (or a REST stream) asks for. */
export interface StreamSpec {
  url: string;
  name: string | null;
  track: 'inbound_track' | 'outbound_track' | 'both_tracks';
  /** `<Connect><Stream>`: the server may send audio, marks and clears back. */
  bidirectional: boolean;
  customParameters: Record<string, string>;
  statusCallback?: { url: string; method: HttpMethod };
}

type Track = 'inbound' | 'outbound';

/**
 * Twilio's side of a Media Streams WebSocket. On open it sends `connected` then `start` (with the `<Parameter>`
 * values as customParameters), then one `media` message per track every 20 ms (pacing configurable) carrying 160
 * bytes of μ-law, with per-track chunk counters and timestamps in audio milliseconds since the start; `stop` and a
 * close when the stream or the call ends. For `<Connect>` streams it plays back the server's `media`, echoes each
 * `mark` once the audio queued before it has played (on the simulated clock), and on `clear` drops queued audio and
 * echoes pending marks at once.
 */
export class MediaStreamClient {
  readonly streamSid = newSid('MZ');
  /** Resolves with who closed the socket, once it is closed. */
  readonly closed: Deferred<'server' | 'simulator' | 'error'> = deferred();
  /** Every message the simulator sent, in order (parsed). */
  readonly sent: Record<string, unknown>[] = [];
  /** Every message the server sent, in order (parsed JSON, or `{binary: bytes}`). */
  readonly received: unknown[] = [];
  /** Audio the server sent on a bidirectional stream, concatenated (raw μ-law). */
  receivedAudio = Buffer.alloc(0);
  private ws: WebSocket | null = null;
  private sequence = 0;
  private readonly chunks: Record<Track, number> = { inbound: 0, outbound: 0 };
  private readonly feeds: Record<Track, Buffer> = { inbound: Buffer.alloc(0), outbound: Buffer.alloc(0) };
  private pacer: NodeJS.Timeout | null = null;
  private stopped = false;
  private errored = false;
  private playheadEndsAt = 0;
  private readonly pendingMarks = new Set<{ name: string; cancel: AbortController }>();

  constructor(
    private readonly env: SimEnv,
    readonly call: SimCall,
    readonly spec: StreamSpec,
  ) {}

  /** The tracks Twilio forks, as named in `start.tracks` and `media.track`. */
  get tracks(): Track[] {
    if (this.spec.bidirectional || this.spec.track === 'inbound_track') return ['inbound'];
    if (this.spec.track === 'outbound_track') return ['outbound'];
    return ['inbound', 'outbound'];
  }

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && !this.stopped;
  }

  /** Connects; resolves once `connected` and `start` are sent (or the connection failed). */
  start(): Promise<void> {
    const headers = { 'X-Twilio-Signature': twilioSignature(this.env.options.authToken, this.spec.url, {}) };
    const ws = new WebSocket(this.spec.url, { headers });
    this.ws = ws;
    const started = deferred<void>();
    ws.on('open', () => {
      this.log('open');
      this.send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
      this.send({
        event: 'start',
        sequenceNumber: this.nextSequence(),
        start: {
          accountSid: this.env.options.accountSid,
          streamSid: this.streamSid,
          callSid: this.call.sid,
          tracks: this.tracks,
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
          customParameters: this.spec.customParameters,
        },
        streamSid: this.streamSid,
      });
      this.log('start');
      this.callback('stream-started');
      const interval = this.env.options.mediaFrameIntervalMs;
      if (interval > 0) this.pacer = setInterval(() => this.pushFrames(1), interval);
      started.resolve();
    });
    ws.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    ws.on('error', (err) => {
      this.errored = true;
      this.env.record(this.call.sid, { type: 'error', code: 31920, message: `Stream WebSocket error: ${err.message}` });
      this.log('error', { message: err.message });
      this.callback('stream-error', err.message);
      started.resolve();
    });
    ws.on('close', () => {
      this.halt();
      this.log('closed');
      this.closed.resolve(this.errored ? 'error' : this.stopped ? 'simulator' : 'server');
      this.stopped = true;
      started.resolve();
    });
    return started.promise;
  }

  /**
   * Appends caller (`inbound`) or callee (`outbound`) audio for the next frames; frames with nothing fed carry μ-law
   * silence.
   */
  feed(track: Track, audio: Buffer): void {
    this.feeds[track] = Buffer.concat([this.feeds[track], audio]);
  }

  /** Sends `count` frames per track now (fast-forward, or the only source of frames when pacing is off). */
  pushFrames(count: number): void {
    for (let i = 0; i < count; i++) {
      if (!this.open) return;
      for (const track of this.tracks) {
        const chunk = ++this.chunks[track];
        const frame = Buffer.alloc(FRAME_BYTES, MULAW_SILENCE);
        this.feeds[track].copy(frame, 0, 0, Math.min(FRAME_BYTES, this.feeds[track].length));
        this.feeds[track] = this.feeds[track].subarray(Math.min(FRAME_BYTES, this.feeds[track].length));
        this.send({
          event: 'media',
          sequenceNumber: this.nextSequence(),
          media: {
            track,
            chunk: String(chunk),
            timestamp: String((chunk - 1) * FRAME_MS),
            payload: frame.toString('base64'),
          },
          streamSid: this.streamSid,
        });
      }
    }
  }

  /** Forwards key presses on a bidirectional stream as `dtmf` messages. */
  sendDtmf(digits: string): void {
    if (!this.spec.bidirectional || !this.open) return;
    for (const digit of digits) {
      this.send({
        event: 'dtmf',
        streamSid: this.streamSid,
        sequenceNumber: this.nextSequence(),
        dtmf: { track: 'inbound_track', digit },
      });
    }
  }

  /** Sends `stop` and closes (the stream or the call ended). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.halt();
    const ws = this.ws;
    if (ws?.readyState === WebSocket.OPEN) {
      this.send(
        {
          event: 'stop',
          sequenceNumber: this.nextSequence(),
          streamSid: this.streamSid,
          stop: { accountSid: this.env.options.accountSid, callSid: this.call.sid },
        },
        true,
      );
      this.log('stop');
      this.callback('stream-stopped');
      ws.close(1000);
    } else if (ws?.readyState === WebSocket.CONNECTING) {
      ws.once('open', () => ws.close(1000));
    }
  }

  private halt(): void {
    if (this.pacer) clearInterval(this.pacer);
    this.pacer = null;
    for (const mark of this.pendingMarks) mark.cancel.abort();
    this.pendingMarks.clear();
  }

  private nextSequence(): string {
    return String(++this.sequence);
  }

  private send(message: Record<string, unknown>, evenIfStopped = false): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || (this.stopped && !evenIfStopped)) return;
    this.sent.push(message);
    this.ws.send(JSON.stringify(message));
  }

  private log(
    phase: 'open' | 'start' | 'stop' | 'closed' | 'mark' | 'clear' | 'media-in' | 'error',
    extra: { mark?: string; bytes?: number; message?: string } = {},
  ): void {
    this.env.record(this.call.sid, {
      type: 'stream',
      phase,
      streamSid: this.streamSid,
      name: this.spec.name,
      url: this.spec.url,
      ...extra,
    });
  }

  private protocolError(code: 31950 | 31951 | 31924, message: string): void {
    this.env.record(this.call.sid, { type: 'error', code, message });
    this.log('error', { message });
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.received.push({ binary: data.length });
      return this.protocolError(31950, 'Malformed Message: binary frame on a Media Stream');
    }
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    } catch {
      this.received.push({ text: data.toString('utf8') });
      return this.protocolError(31950, 'Malformed Message: not JSON');
    }
    this.received.push(message);
    if (!this.spec.bidirectional) {
      return this.protocolError(31924, `Protocol violation: "${String(message.event)}" sent on a unidirectional stream`);
    }
    if (message.streamSid !== this.streamSid) {
      return this.protocolError(31951, `Invalid Message: streamSid ${String(message.streamSid)} is not this stream`);
    }
    switch (message.event) {
      case 'media': {
        const payload = (message.media as { payload?: unknown } | undefined)?.payload;
        if (typeof payload !== 'string') return this.protocolError(31951, 'Invalid Message: media without payload');
        const audio = Buffer.from(payload, 'base64');
        this.receivedAudio = Buffer.concat([this.receivedAudio, audio]);
        const now = this.env.clock.now();
        this.playheadEndsAt = Math.max(now, this.playheadEndsAt) + audio.length / 8;
        this.log('media-in', { bytes: audio.length });
        return;
      }
      case 'mark': {
        const name = (message.mark as { name?: unknown } | undefined)?.name;
        if (typeof name !== 'string') return this.protocolError(31951, 'Invalid Message: mark without name');
        const entry = { name, cancel: new AbortController() };
        this.pendingMarks.add(entry);
        const wait = Math.max(0, this.playheadEndsAt - this.env.clock.now());
        this.env.clock.sleep(wait, entry.cancel.signal).then(
          () => this.echoMark(entry),
          () => {},
        );
        return;
      }
      case 'clear': {
        this.playheadEndsAt = this.env.clock.now();
        this.log('clear');
        for (const entry of [...this.pendingMarks]) {
          entry.cancel.abort();
          this.echoMark(entry);
        }
        return;
      }
      default:
        return this.protocolError(31951, `Invalid Message: unknown event "${String(message.event)}"`);
    }
  }

  private echoMark(entry: { name: string; cancel: AbortController }): void {
    if (!this.pendingMarks.delete(entry)) return;
    this.send({
      event: 'mark',
      sequenceNumber: this.nextSequence(),
      streamSid: this.streamSid,
      mark: { name: entry.name },
    });
    this.log('mark', { mark: entry.name });
  }

  private callback(event: 'stream-started' | 'stream-stopped' | 'stream-error', error?: string): void {
    const cb = this.spec.statusCallback;
    if (!cb) return;
    const params: Record<string, string> = {
      AccountSid: this.env.options.accountSid,
      CallSid: this.call.sid,
      StreamSid: this.streamSid,
      StreamName: this.spec.name ?? this.streamSid,
      StreamEvent: event,
      Timestamp: rfc2822(this.env.clock.now()),
    };
    if (error) params.StreamError = error;
    this.env.background(this.env.webhook(this.call.sid, 'stream-status-callback', cb.method, cb.url, params));
  }
}
