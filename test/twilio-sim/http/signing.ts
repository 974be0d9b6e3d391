import twilio from 'twilio';

/**
 * `X-Twilio-Signature` for a request: HMAC-SHA1 over the exact URL requested (query string included) followed by the
 * sorted form parameters, keyed with the auth token. twilio-node's own function, so the simulator and the
 * application's validator cannot drift apart.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string> = {}): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}
