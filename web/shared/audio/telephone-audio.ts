import { TELEPHONE_RATE } from './mulaw.ts';

/**
 * The page's audio context for calls. Where the browser allows it runs at the telephone's 8 kHz, so that Web Audio
 * itself resamples between the call and the sound card both ways; elsewhere at the device's rate (frames are then
 * resampled on the way in by `AudioBuffer`s at 8 kHz, and on the way out by the capture worklet).
 */
export function telephoneAudioContext(): AudioContext {
  try {
    return new AudioContext({ sampleRate: TELEPHONE_RATE, latencyHint: 'interactive' });
  } catch {
    return new AudioContext({ latencyHint: 'interactive' });
  }
}
