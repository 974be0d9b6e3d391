import { mulaw } from 'alawmulaw';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { eventually } from '../connector/harness.js';
import type { MediaStreamClient, SimCall } from '../twilio-sim/index.js';

/** `seconds` of a 440 Hz tone at half scale, as 8 kHz μ-law: what a caller says, recognisably not silence. */
export function tone(seconds: number): Buffer {
  const pcm = new Int16Array(Math.round(8000 * seconds));
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(16000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  return Buffer.from(mulaw.encode(pcm));
}

/** The loudest sample of μ-law `audio`, 0 to 32767 (μ-law's idea of silence decodes to 0 or nearly). */
export function peak(audio: Buffer): number {
  let loudest = 0;
  for (const sample of mulaw.decode(new Uint8Array(audio))) loudest = Math.max(loudest, Math.abs(sample));
  return loudest;
}

/** Audible: louder than the faint noise a muted microphone or μ-law rounding leaves (about -40 dBFS). */
export const AUDIBLE = 300;

/** The caller's open bidirectional stream (the `<Connect><Stream>` to a browser agent). */
export function agentStream(call: SimCall): Promise<MediaStreamClient> {
  return eventually(() => call.streams.find((s) => s.spec.bidirectional && s.open), "the caller's stream to the browser");
}

/** A meter's value, as the page shows it. */
export async function meterValue(page: Page, name: string): Promise<number> {
  return Number(await page.getByRole('meter', { name }).getAttribute('value'));
}

/** How many frames a level meter says were heard. */
export async function framesHeard(page: Page, scope = page.locator('body')): Promise<number> {
  const text = await scope.locator('.level-meter .frames').first().textContent();
  return Number(/(\d+) frames/.exec(text ?? '')?.[1] ?? 0);
}

/** Waits until the page's meter `name` shows audio above `least` and at least `frames` frames heard. */
export async function hears(page: Page, name: string, frames: number, least = 0.3): Promise<void> {
  await expect.poll(() => meterValue(page, name), { timeout: 10_000 }).toBeGreaterThan(least);
  await expect.poll(() => framesHeard(page), { timeout: 10_000 }).toBeGreaterThanOrEqual(frames);
}
