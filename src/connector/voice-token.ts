import twilio from 'twilio';
import { badRequest, TwilioError } from '../core/errors.js';

/** What Voice SDK tokens are signed and granted with. */
export interface VoiceTokenSettings {
  accountSid: string;
  /** An API key of the account (SK…) and its secret: Twilio verifies the token with them. */
  apiKeySid: string | null;
  apiKeySecret: string | null;
  /** The TwiML App outgoing calls from the SDK run; null = the token allows incoming calls only. */
  twimlAppSid: string | null;
}

/** A token as the API returns it. */
export interface VoiceToken {
  identity: string;
  token: string;
  ttl: number;
}

export const DEFAULT_TOKEN_TTL = 3600;
export const MAX_TOKEN_TTL = 86_400;
/** An agent's identity (a Voice SDK client, a browser agent): 1 to 121 letters, digits or _.@- characters, as a pattern to embed. */
export const AGENT_IDENTITY_PATTERN = '[A-Za-z0-9_.@-]{1,121}';
const IDENTITY = new RegExp(`^${AGENT_IDENTITY_PATTERN}$`);

/** True when `value` is a whole agent identity (see AGENT_IDENTITY_PATTERN). */
export function isAgentIdentity(value: string): boolean {
  return IDENTITY.test(value);
}

/**
 * A Voice SDK access token for `identity`: a Twilio AccessToken (HS256, signed with the API key secret) whose
 * VoiceGrant lets the agent's browser or app receive calls to `client:<identity>` — where agent legs are placed —
 * and place calls through the TwiML App.
 */
export function issueVoiceToken(settings: VoiceTokenSettings, identity: string, ttl = DEFAULT_TOKEN_TTL): VoiceToken {
  if (!settings.apiKeySid || !settings.apiKeySecret) {
    throw new TwilioError(20001, 501, 'Voice tokens are not configured on this server: set TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET');
  }
  if (!isAgentIdentity(identity)) throw badRequest(`Identity must be 1 to 121 letters, digits or _.@- characters, got '${identity}'`);
  const token = new twilio.jwt.AccessToken(settings.accountSid, settings.apiKeySid, settings.apiKeySecret, { identity, ttl });
  token.addGrant(
    new twilio.jwt.AccessToken.VoiceGrant({
      incomingAllow: true,
      ...(settings.twimlAppSid ? { outgoingApplicationSid: settings.twimlAppSid } : {}),
    }),
  );
  return { identity, token: token.toJwt(), ttl };
}
