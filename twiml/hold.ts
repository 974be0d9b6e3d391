import { sayAttributes, voiceResponse, type SpeechStyle } from './speech.js';

export interface HoldDocument {
  style: SpeechStyle;
  /** Where the caller stands, when it is time to say so; null = music only this time. */
  announcement: string | null;
  musicUrl: string | null;
  /** Seconds until the next announcement. */
  everySeconds: number;
  /** With music: the hold URL again, marked with when this announcement was made. */
  nextUrl: string;
}

/**
 * What a caller hears while waiting (an `<Enqueue>` waitUrl document, which may only use Say, Play, Pause, Redirect,
 * Hangup, Leave, Gather). Without music: the announcement and a pause of the announcement interval, after which
 * Twilio fetches the wait URL again. With music (a track of unknown length): the track once, then a redirect that
 * carries when the last announcement was made, so the next one comes no sooner than the interval.
 */
export function holdTwiml({ style, announcement, musicUrl, everySeconds, nextUrl }: HoldDocument): string {
  const response = voiceResponse();
  if (announcement) response.say(sayAttributes(style), announcement);
  if (musicUrl) {
    response.play(musicUrl);
    response.redirect({ method: 'POST' }, nextUrl);
  } else {
    response.pause({ length: everySeconds });
  }
  return response.toString();
}

/** The caller's place in line and the likely wait, in words; null when there is nothing to tell. */
export function holdAnnouncement(position: number | null, estimatedWaitSeconds: number | null, options: { position: boolean; wait: boolean }): string | null {
  const parts: string[] = [];
  if (options.position && position !== null) {
    parts.push(position === 1 ? 'You are next in line.' : `You are number ${position} in line.`);
  }
  if (options.wait && estimatedWaitSeconds !== null) {
    const minutes = Math.max(1, Math.round(estimatedWaitSeconds / 60));
    parts.push(`Your estimated wait time is ${minutes === 1 ? 'about one minute' : `about ${minutes} minutes`}.`);
  }
  return parts.length > 0 ? parts.join(' ') : null;
}
