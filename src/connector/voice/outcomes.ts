import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { IvrMenuRecord, PhoneNumberRecord } from '../../core/model.js';

/** How the connector speaks to a caller: the number's (or menu's) language and voice. */
export interface SpeechStyle {
  language: string;
  /** null = Twilio's default voice. */
  voice: string | null;
}

/** How a number (or one of its menus, which may override it) speaks; Twilio's defaults without either. */
export function speechStyle(
  number: Pick<PhoneNumberRecord, 'language' | 'voice'> | null,
  menu?: Pick<IvrMenuRecord, 'language' | 'voice'> | null,
): SpeechStyle {
  return { language: menu?.language ?? number?.language ?? 'en-US', voice: menu?.voice ?? number?.voice ?? null };
}

/** Hang up, after saying `message` (if any) in the number's way of speaking. */
export function hangUp(number: Pick<PhoneNumberRecord, 'language' | 'voice'> | null, message: string | null = null): VoiceOutcome {
  return { kind: 'hang-up', style: speechStyle(number), message };
}

/** A leg's `<Conference>` attributes, in Twilio's names. */
export type ConferenceAttributes = VoiceResponse.ConferenceAttributes;

/** When a caller on hold is told where they stand: their place and likely wait, and which of the two to say. */
export interface PlaceInLine {
  position: number | null;
  estimatedWaitSeconds: number | null;
  sayPosition: boolean;
  sayWait: boolean;
}

/**
 * What a step of a call flow has Twilio do next with the call, in the connector's words; `twiml/` renders each as
 * the TwiML document Twilio executes.
 */
export type VoiceOutcome =
  /** Say `message` (when there is one) and hang up. */
  | { kind: 'hang-up'; style: SpeechStyle; message: string | null }
  /** Nothing to do here: the call carries on with what it was doing (or ends, if it has nothing left). */
  | { kind: 'carry-on' }
  /** Ask an IVR menu; the answer (or silence) is posted to `actionUrl`. `notice` is said first. */
  | {
      kind: 'ask-menu';
      menu: Pick<IvrMenuRecord, 'prompt' | 'playUrl' | 'input' | 'numDigits' | 'timeout' | 'options'>;
      style: SpeechStyle;
      actionUrl: string;
      notice?: string;
    }
  /** Park the caller in the Twilio queue `queueName` (named after their task), on hold at `waitUrl`; `actionUrl` when they leave it. */
  | { kind: 'wait-in-line'; queueName: string; waitUrl: string; actionUrl: string }
  /** One round of hold: the announcement when it is due, then music (and back to `nextUrl`) or a pause of `everySeconds`. */
  | { kind: 'hold'; style: SpeechStyle; place: PlaceInLine | null; musicUrl: string | null; everySeconds: number; nextUrl: string }
  /** Invite a voicemail (the number's message, else ours), posted to `actionUrl`. */
  | { kind: 'take-voicemail'; style: SpeechStyle; message: string | null; maxSeconds: number; actionUrl: string }
  /** Tell the caller they will be called back (the number's message, else ours), and hang up. */
  | { kind: 'promise-callback'; style: SpeechStyle; message: string | null }
  /** Bridge the agent to the caller waiting in `queueName`, then fetch `afterUrl` when the bridge ends. */
  | { kind: 'bridge-to-queue'; queueName: string; afterUrl: string }
  /** The agent answered a call that is no longer theirs to take. */
  | { kind: 'no-longer-yours' }
  /** Join the conference `name` with these settings. */
  | { kind: 'join-conference'; name: string; settings: ConferenceAttributes }
  /** Connect the call to our Media Streams endpoint, bound by `parameters`; `actionUrl` when the stream ends. */
  | { kind: 'connect-stream'; streamUrl: string; parameters: Record<string, string>; actionUrl?: string };
