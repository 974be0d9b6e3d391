/** Below this (about -60 dBFS) a frame counts as silence. */
const FLOOR_DB = -60;

/**
 * How loud a frame is for a level meter, 0 (silence) to 1 (full scale): its RMS in decibels, mapped linearly from
 * -60 dBFS up, as audio meters show it.
 */
export function levelOf(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / samples.length);
  if (rms === 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.max(0, Math.min(1, (db - FLOOR_DB) / -FLOOR_DB));
}
