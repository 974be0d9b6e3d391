import { FramePlayer } from './frame-player.ts';
import { levelOf } from './level.ts';
import { decodePayload } from './mulaw.ts';

/** What was heard of a call so far: its recent level (0 to 1) and how many frames arrived. */
export interface Heard {
  level: number;
  frames: number;
}

/** The meter is told every this many frames of a track (100 ms), not for each 20 ms frame. */
const REPORT_EVERY = 5;

/**
 * Plays a call's Media Streams frames (base64 μ-law) on the page's audio context, one gapless player per track (the
 * context mixes them), and reports what was heard for a level meter: the loudest frame since the last report.
 */
export class CallSpeaker {
  private readonly players = new Map<string, FramePlayer>();
  private frames = 0;
  private level = 0;

  constructor(
    private readonly context: AudioContext,
    private readonly report: (heard: Heard) => void,
  ) {}

  play(payload: string, track = 'inbound'): void {
    let player = this.players.get(track);
    if (!player) this.players.set(track, (player = new FramePlayer(this.context)));
    const samples = decodePayload(payload);
    player.play(samples);
    this.frames++;
    this.level = Math.max(this.level, levelOf(samples));
    if (this.frames % REPORT_EVERY === 0) {
      this.report({ level: this.level, frames: this.frames });
      this.level = 0;
    }
  }
}
