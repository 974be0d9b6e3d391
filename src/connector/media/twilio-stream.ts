import type { RawData, WebSocket } from 'ws';
import { guarded } from '../../sockets/guarded.js';
import { CLOSE, isOpen, messageText, sendJson } from './message-sink.js';
import { readBinding, type StreamBinding } from './stream-binding.js';
import { readTwilioMessage, type AudioFrame, type Track } from './stream-protocol.js';
import { log } from '../../telemetry/log.js';

/** What a started stream's messages go to: a fan-out to listeners, or a browser agent's bridge. */
export interface StreamSession {
  media(frame: AudioFrame): void;
  /** Twilio reached a mark we sent (bidirectional streams). */
  mark(name: string): void;
  /** The caller pressed a key (bidirectional streams). */
  dtmf(digit: string): void;
  /** Twilio stopped the stream, or its socket closed. */
  ended(): void;
}

export interface TwilioStreamOptions {
  authToken: string;
  /** A stream that has not started within this long is closed. */
  startTimeoutMs: number;
  /** Sets up what a checked `start` asks for; null (after closing the stream with why) when it cannot be. */
  open(stream: TwilioMediaStream, binding: StreamBinding): Promise<StreamSession | null>;
}

/**
 * Twilio's end of one Media Stream WebSocket. The first message that matters is `start`: its parameters must name
 * a task of ours with a valid key for the stream's call (stream-binding.ts), or the stream is closed. Then media,
 * marks and DTMF go to the session until `stop` or the socket closes. Frames that are not the protocol's JSON text
 * close the stream; events it does not know are ignored. For a bidirectional stream, audio, marks and clears are
 * sent back to Twilio through it.
 */
export class TwilioMediaStream {
  streamSid = '';
  callSid = '';
  tracks: Track[] = [];
  private session: StreamSession | null = null;
  private state: 'waiting' | 'starting' | 'open' | 'ended' = 'waiting';
  private readonly startTimer: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    private readonly options: TwilioStreamOptions,
  ) {
    // What these throw has nowhere to go but the process's end: each is guarded.
    this.startTimer = setTimeout(
      guarded('closing a media stream that never started', () => this.refuse(CLOSE.policy, 'no start message')),
      options.startTimeoutMs,
    );
    ws.on(
      'message',
      guarded('a media stream message', (data: RawData, isBinary: boolean) => this.receive(data, isBinary)),
    );
    ws.on(
      'close',
      guarded('ending a media stream', () => this.finish()),
    );
    // A socket error is followed by its close, which ends the stream.
    ws.on('error', () => {});
  }

  get ended(): boolean {
    return this.state === 'ended';
  }

  /** Bytes queued for Twilio: how far behind the stream is. */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  /** Audio for the caller to hear (raw μ-law, base64). */
  sendMedia(payload: string): void {
    sendJson(this.ws, { event: 'media', streamSid: this.streamSid, media: { payload } });
  }

  /** Asks Twilio to tell us when the audio sent so far has played. */
  sendMark(name: string): void {
    sendJson(this.ws, { event: 'mark', streamSid: this.streamSid, mark: { name } });
  }

  /** Drops the audio Twilio has not played yet. */
  sendClear(): void {
    sendJson(this.ws, { event: 'clear', streamSid: this.streamSid });
  }

  /** Ends the stream from our side: for `<Connect><Stream>`, Twilio then fetches the `<Connect action>`. */
  close(code: number, reason: string): void {
    if (isOpen(this.ws)) this.ws.close(code, reason);
    this.finish();
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.state === 'ended') return;
    if (isBinary) return this.refuse(CLOSE.unsupported, 'binary frames are not part of Media Streams');
    const message = readTwilioMessage(messageText(data));
    if (typeof message === 'string') return this.refuse(CLOSE.invalid, `malformed message: ${message}`);
    switch (message.event) {
      case 'start':
        this.start(message.streamSid, message.callSid, message.tracks, message.customParameters).catch((err: unknown) => {
          log.error({ err, stream_sid: message.streamSid, call_sid: message.callSid }, 'media stream could not be started');
          this.refuse(CLOSE.error, 'the stream could not be set up');
        });
        return;
      case 'media':
        this.session?.media(message.frame);
        return;
      case 'mark':
        this.session?.mark(message.name);
        return;
      case 'dtmf':
        this.session?.dtmf(message.digit);
        return;
      case 'stop':
        this.finish();
        return;
      default:
        return;
    }
  }

  private async start(streamSid: string, callSid: string, tracks: Track[], parameters: Record<string, unknown>): Promise<void> {
    if (this.state !== 'waiting') return this.refuse(CLOSE.policy, 'a second start message');
    clearTimeout(this.startTimer);
    const binding = readBinding(parameters, callSid, this.options.authToken);
    if (!binding) return this.refuse(CLOSE.policy, 'the stream names no task of ours');
    this.state = 'starting';
    this.streamSid = streamSid;
    this.callSid = callSid;
    this.tracks = tracks;
    let session: StreamSession | null = null;
    try {
      session = await this.options.open(this, binding);
    } catch (err) {
      log.error({ err, stream_sid: streamSid, call_sid: callSid }, 'media stream could not be set up');
    }
    if (!session) return this.refuse(CLOSE.error, 'the stream could not be set up');
    // Twilio may have stopped the stream while it was being set up; frames meanwhile were live audio, now gone.
    if (this.ended) return session.ended();
    this.session = session;
    this.state = 'open';
  }

  private refuse(code: number, reason: string): void {
    if (this.state === 'ended') return;
    this.close(code, reason);
  }

  private finish(): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    clearTimeout(this.startTimer);
    const session = this.session;
    this.session = null;
    session?.ended();
  }
}
