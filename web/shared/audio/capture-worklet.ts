// The microphone's side of a call, run on the audio rendering thread: the input is brought to 8 kHz and posted to
// the page in 20 ms frames. Bundled as its own asset (an audio worklet must be a script the page's CSP allows).

declare const sampleRate: number;
declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

const TELEPHONE_RATE = 8000;
const FRAME_SAMPLES = 160;

class TelephoneCapture extends AudioWorkletProcessor {
  /** Input samples per output sample: 1 when the context runs at 8 kHz. */
  private readonly step = sampleRate / TELEPHONE_RATE;
  private frame = new Float32Array(FRAME_SAMPLES);
  private filled = 0;
  /** Sum and count of the input samples of the output sample being made (a box filter, which also keeps aliasing down). */
  private sum = 0;
  private taken = 0;
  private due = this.step;

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0]?.[0];
    if (!input) return true;
    for (const sample of input) {
      this.sum += sample;
      this.taken++;
      if (this.taken < this.due) continue;
      this.push(this.sum / this.taken);
      this.due += this.step - this.taken;
      this.sum = 0;
      this.taken = 0;
    }
    return true;
  }

  private push(sample: number): void {
    this.frame[this.filled++] = sample;
    if (this.filled < FRAME_SAMPLES) return;
    this.port.postMessage(this.frame, [this.frame.buffer]);
    this.frame = new Float32Array(FRAME_SAMPLES);
    this.filled = 0;
  }
}

registerProcessor('telephone-capture', TelephoneCapture);

export {};
