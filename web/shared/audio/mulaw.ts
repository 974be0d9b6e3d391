import { mulaw } from 'alawmulaw';

/** Telephone audio as Twilio's Media Streams carry it: 8 kHz, mono, G.711 μ-law. */
export const TELEPHONE_RATE = 8000;
/** Samples in one 20 ms Media Streams frame. */
export const FRAME_SAMPLES = 160;

/** A Media Streams payload (base64 μ-law) as samples in [-1, 1]. */
export function decodePayload(payload: string): Float32Array {
  const text = atob(payload);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const pcm = mulaw.decode(bytes);
  const samples = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i]! / 32768;
  return samples;
}

/** Samples in [-1, 1] as a Media Streams payload (base64 μ-law). */
export function encodePayload(samples: Float32Array): string {
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768)));
  const bytes = mulaw.encode(pcm);
  return btoa(String.fromCharCode(...bytes));
}
