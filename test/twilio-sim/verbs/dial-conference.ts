import { isInterrupt, type Scope } from '../core/scope.js';
import type { TwimlNode } from '../twiml/parse.js';
import type { ParticipantOptions } from '../voice/conferences.js';
import { methodOf, resolveUrl } from '../voice/fetch.js';
import { holdLoop } from '../voice/hold.js';
import type { VerbContext } from '../voice/program.js';
import type { DialProgress } from './dial-shared.js';

/**
 * `<Dial><Conference>`: joins the named room (a new `CF…` once the previous one ended). Until a participant with
 * `startConferenceOnEnter` (default true) is present, the participant hears the `waitUrl` (Twilio's music by default,
 * silence for `""`). The `<Dial>` lasts until the conference ends — a participant with `endConferenceOnExit` leaves,
 * or the last one does — or until this leg leaves. Status callbacks (`start end join leave`) follow the first
 * participant that asks for them. A participant held through the REST API hears its `holdUrl` (Twilio's music
 * without one) until unheld; one removed through the REST API leaves the room and its `<Dial>` completes.
 */
export async function dialConference(x: VerbContext, noun: TwimlNode, progress: DialProgress): Promise<void> {
  const { env, call, scope, doc } = x;
  const a = noun.attributes;
  const options: ParticipantOptions = {
    startConferenceOnEnter: a.startConferenceOnEnter !== 'false',
    endConferenceOnExit: a.endConferenceOnExit === 'true',
    muted: a.muted === 'true',
  };
  if (a.statusCallback) {
    const events = (a.statusCallbackEvent ?? 'start end').split(/[\s,]+/).filter(Boolean);
    options.statusCallback = {
      url: resolveUrl(doc, a.statusCallback),
      method: methodOf(a.statusCallbackMethod),
      events: new Set(events),
    };
  }
  const room = env.conferences.getOrCreate(noun.text);
  progress.conference = true;
  progress.status = 'answered';
  call.answer();
  const participant = room.join(call, options);
  // The hold audio playing while the participant is held through the REST API.
  const held: { scope: Scope | null } = { scope: null };
  const stopHold = (why: string): void => {
    held.scope?.abort({ kind: 'cancel', why });
    held.scope?.dispose();
    held.scope = null;
  };
  participant.onHoldChanged = () => {
    stopHold('unheld');
    if (!participant.hold) return;
    held.scope = scope.child();
    holdLoop(x, call, held.scope, {
      url: participant.holdUrl,
      method: participant.holdMethod,
      purpose: 'conference-hold-url',
      context: 'conferenceWait',
      params: () => ({ ConferenceSid: room.sid, FriendlyName: room.friendlyName }),
    }).catch(() => {});
  };
  try {
    if (room.status === 'init') {
      const hold = scope.child();
      holdLoop(x, call, hold, {
        url: a.waitUrl === undefined ? undefined : a.waitUrl.trim() === '' ? '' : resolveUrl(doc, a.waitUrl),
        method: methodOf(a.waitMethod),
        purpose: 'conference-wait-url',
        context: 'conferenceWait',
        params: () => ({ ConferenceSid: room.sid, FriendlyName: room.friendlyName }),
      }).catch(() => {});
      try {
        await scope.race(Promise.race([room.started.promise, room.ended.promise]));
      } finally {
        hold.abort({ kind: 'cancel', why: 'conference started' });
        hold.dispose();
      }
    }
    await scope.race(Promise.race([room.ended.promise, participant.removed.promise]));
  } catch (err) {
    if (isInterrupt(err)) room.leave(call);
    throw err;
  } finally {
    participant.onHoldChanged = () => {};
    stopHold('left the conference');
  }
  room.leave(call);
}
