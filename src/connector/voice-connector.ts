import type twilio from 'twilio';
import { webhooksRouter } from '../../webhooks/index.js';
import type { ConnectorMount } from '../api/routes/connector.js';
import type { RoutingEngine } from '../engine/engine.js';
import { createTwilioRestClient } from '../telephony/twilio-rest-client.js';
import type { TelephonyDeps } from '../telephony/telephony-deps.js';
import { VoiceTelephony } from '../telephony/voice-telephony.js';
import { ConnectorDirectory } from './connector-directory.js';
import type { VoiceTokenSettings } from './voice-token.js';

export interface VoiceConnectorOptions {
  engine: RoutingEngine;
  /** Signs webhook validation and, with the account SID, the REST calls. */
  accountSid: string;
  authToken: string;
  publicUrl: () => string;
  /** Twilio's REST base URL (a simulator's in tests). */
  twilioApiBaseUrl: string;
  /** Whether reservation instructions place real calls: needs real credentials and a public URL Twilio can reach. */
  placeCalls: boolean;
  tokens: Omit<VoiceTokenSettings, 'accountSid'>;
  /** A REST client to use instead of one built from the settings above. */
  restClient?: twilio.Twilio;
}

/** The voice connector, assembled: what the API mounts, and the telephony port when calls can be placed. */
export interface VoiceConnector extends ConnectorMount {
  telephony: VoiceTelephony | null;
}

/**
 * Builds the connector and, when it may place calls, connects its telephony to the engine so reservation
 * instructions (dequeue, call, redirect, conference) are carried out through Twilio.
 */
export function createVoiceConnector(options: VoiceConnectorOptions): VoiceConnector {
  const { engine, publicUrl } = options;
  const directory = new ConnectorDirectory(engine);
  let rest: TelephonyDeps | null = null;
  if (options.placeCalls) {
    const client = options.restClient ?? createTwilioRestClient(options.accountSid, options.authToken, options.twilioApiBaseUrl);
    rest = { client, publicUrl, engine };
  }
  const telephony = rest ? new VoiceTelephony(rest) : null;
  if (telephony) engine.setTelephony(telephony);
  return {
    directory,
    tokens: { accountSid: options.accountSid, ...options.tokens },
    webhooks: webhooksRouter({ engine, directory, authToken: options.authToken, publicUrl, telephony: rest }),
    telephony,
  };
}
