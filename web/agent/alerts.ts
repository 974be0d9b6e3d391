/**
 * How incoming work gets the agent's attention: a ring tone made with Web Audio (no sound file to load) while an offer
 * waits, and a browser notification when the tab is in the background. Browsers start audio and grant notifications
 * only after a user gesture, so `enableAlerts` is called from a click.
 */

let audio: AudioContext | null = null;
let ringing: ReturnType<typeof setInterval> | null = null;

/** Unlocks sound and asks for permission to notify; call from a click. */
export async function enableAlerts(): Promise<void> {
  audio ??= new AudioContext();
  await audio.resume().catch(() => undefined);
  if ('Notification' in window && Notification.permission === 'default') await Notification.requestPermission();
}

/** Whether the tone can play and notifications may be shown. */
export function alertsEnabled(): boolean {
  return audio !== null && (!('Notification' in window) || Notification.permission !== 'default');
}

/** Two short beeps, as a phone rings. */
function ringOnce(): void {
  if (!audio || audio.state !== 'running') return;
  for (const offset of [0, 0.35]) {
    const start = audio.currentTime + offset;
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.25);
    tone.connect(gain).connect(audio.destination);
    tone.start(start);
    tone.stop(start + 0.3);
  }
}

/** Rings every two seconds while `on`; stops otherwise. */
export function ring(on: boolean): void {
  if (on && !ringing) {
    ringOnce();
    ringing = setInterval(ringOnce, 2000);
  } else if (!on && ringing) {
    clearInterval(ringing);
    ringing = null;
  }
}

/** Tells an agent whose tab is hidden about new work; clicking the notification brings the tab forward. */
export function notifyInBackground(title: string, body: string, tag: string): void {
  if (!document.hidden || !('Notification' in window) || Notification.permission !== 'granted') return;
  const notification = new Notification(title, { body, tag });
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
}
