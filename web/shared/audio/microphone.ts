/** Where the bundled capture worklet is served (set by the pages' build). */
declare const CAPTURE_WORKLET_URL: string;

/** The microphone on a call: 20 ms frames of 8 kHz samples while it runs; muting sends silence in their place. */
export interface Microphone {
  /** Muted: the microphone's track is disabled, so frames carry silence (the call's timing goes on). */
  setMuted(muted: boolean): void;
  /** Releases the microphone (its light goes off) and the worklet. */
  stop(): void;
}

/**
 * Opens the microphone (echo cancellation and noise suppression on, as for any call) and passes its audio, brought
 * to 8 kHz by the capture worklet, to `onFrame` in 20 ms frames.
 */
export async function openMicrophone(context: AudioContext, onFrame: (samples: Float32Array) => void): Promise<Microphone> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, channelCount: 1 } });
  try {
    await workletLoaded(context);
    const source = context.createMediaStreamSource(stream);
    const capture = new AudioWorkletNode(context, 'telephone-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
    capture.port.onmessage = (event: MessageEvent<Float32Array>) => onFrame(event.data);
    source.connect(capture);
    return {
      setMuted(muted) {
        for (const track of stream.getAudioTracks()) track.enabled = !muted;
      },
      stop() {
        source.disconnect();
        capture.port.onmessage = null;
        for (const track of stream.getTracks()) track.stop();
      },
    };
  } catch (err) {
    for (const track of stream.getTracks()) track.stop();
    throw err;
  }
}

const loaded = new WeakMap<AudioContext, Promise<void>>();

/** The capture worklet, loaded once per context (a second registration of its processor would fail). */
function workletLoaded(context: AudioContext): Promise<void> {
  let loading = loaded.get(context);
  if (!loading) {
    loading = context.audioWorklet.addModule(CAPTURE_WORKLET_URL);
    loaded.set(context, loading);
  }
  return loading;
}
