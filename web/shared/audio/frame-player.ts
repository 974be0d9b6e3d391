import { TELEPHONE_RATE } from './mulaw.ts';

/** Audio kept ahead of the playhead, against the network's jitter. */
const JITTER_SECONDS = 0.08;

/**
 * Plays a stream of 8 kHz frames gaplessly: each frame becomes an `AudioBuffer` scheduled right after the one before.
 * A stream that fell behind (a network stall) starts again a jitter buffer ahead rather than playing late audio
 * bunched up. One player per track; players on one context are mixed by it.
 */
export class FramePlayer {
  private playhead = 0;

  constructor(
    private readonly context: AudioContext,
    private readonly destination: AudioNode = context.destination,
  ) {}

  play(samples: Float32Array): void {
    if (samples.length === 0) return;
    const buffer = this.context.createBuffer(1, samples.length, TELEPHONE_RATE);
    buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.destination);
    const now = this.context.currentTime;
    if (this.playhead < now) this.playhead = now + JITTER_SECONDS;
    source.start(this.playhead);
    this.playhead += buffer.duration;
  }
}
