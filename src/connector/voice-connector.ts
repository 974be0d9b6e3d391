import type twilio from 'twilio';
import type { ApiKey } from '../api/auth.js';
import type { ConnectorMount } from '../api/routes/connector.js';
import type { RoutingEngine } from '../engine/engine.js';
import { createTwilioRestClient } from './twilio/rest-client.js';
import type { CallFlowDeps } from './voice/call-flow-deps.js';
import type { TelephonyDeps } from './voice/telephony-deps.js';
import { VoiceTelephony } from './voice/voice-telephony.js';
import { VoiceConferenceControls } from './voice/conference-controls.js';
import { AgentPresence } from './agent-presence.js';
import { forgetCallsOfEndedTasks } from './voice/call-endings.js';
import { ConnectorDirectory } from './connector-directory.js';
import { createMediaConnector, type MediaConnector, type MediaLimits } from './media/media-connector.js';
import { cancelRingingLegs } from './voice/ringing-legs.js';
import { connectorStateFor } from './state/connector-state-for.js';
import type { ConnectorRetention, ConnectorState } from './state/connector-state.js';
import { createSmsConnector, type SmsConnector } from './sms/sms-connector.js';
import type { VoiceTokenSettings } from './voice-token.js';

export interface VoiceConnectorOptions {
  engine: RoutingEngine;
  /** Signs webhook validation and, with the account SID, the REST calls. */
  accountSid: string;
  authToken: string;
  /** API keys accepted as a Basic pair on the media sockets, as on the API. */
  apiKeys?: readonly ApiKey[];
  publicUrl: () => string;
  /** Twilio's REST base URL (a simulator's in tests). */
  twilioApiBaseUrl: string;
  /** Whether reservation instructions place real calls: needs real credentials and a public URL Twilio can reach. */
  placeCalls: boolean;
  tokens: Omit<VoiceTokenSettings, 'accountSid'>;
  /** A REST client to use instead of one built from the settings above. */
  restClient?: twilio.Twilio;
  /** Whether agents' SMS replies are sent: needs real credentials (default: as `placeCalls`). */
  sendMessages?: boolean;
  /** Whether Twilio is asked for delivery reports of replies: needs a public URL it can reach (default: as `placeCalls`). */
  deliveryReports?: boolean;
  /** MEDIA_URL: the WebSocket base URL Twilio's Media Streams connect to; null/absent = PUBLIC_URL as ws(s). */
  mediaUrl?: string | null;
  /** Bounds of the media relay other than the defaults (heartbeat, timeouts, listeners). */
  mediaLimits?: Partial<MediaLimits>;
  /** How long the connector keeps closed conversations (default: 30 days). */
  retention?: ConnectorRetention;
}

/**
 * The connector, assembled: what the API mounts (but Twilio's webhooks, which the server mounts on `callFlows` and
 * `sms`), the telephony port when calls can be placed, SMS conversations, and the media relay, whose WebSockets are
 * served once `media.attach(server)` is called.
 */
export interface VoiceConnector extends Omit<ConnectorMount, 'webhooks'> {
  /** What the call flows' steps work with, for the voice webhooks. */
  callFlows: CallFlowDeps;
  telephony: VoiceTelephony | null;
  /** The worker SDK's conference calls (hold, kick, mute), when calls can be placed. */
  conferences: VoiceConferenceControls | null;
  sms: SmsConnector;
  media: MediaConnector;
  /** What the connector keeps: calls, agents' legs, conversations (numbers and menus through `directory`). */
  state: ConnectorState;
  /** Stops what the connector runs beside requests. */
  close(): Promise<void>;
}

/**
 * Builds the connector and, when it may place calls, connects its telephony to the engine so reservation
 * instructions (dequeue, call, redirect, conference, supervise) are carried out through Twilio, and agents' legs still ringing
 * when their reservation ends are canceled.
 */
export function createVoiceConnector(options: VoiceConnectorOptions): VoiceConnector {
  const { engine, publicUrl } = options;
  const state = connectorStateFor(engine, options.retention);
  const directory = new ConnectorDirectory(engine, state);
  const sendMessages = options.sendMessages ?? options.placeCalls;
  const client =
    options.placeCalls || sendMessages ? (options.restClient ?? createTwilioRestClient(options.accountSid, options.authToken, options.twilioApiBaseUrl)) : null;
  const canPlaceCalls = options.placeCalls && client !== null;
  const media = createMediaConnector({
    engine,
    directory,
    accountSid: options.accountSid,
    authToken: options.authToken,
    apiKeys: options.apiKeys,
    publicUrl,
    mediaUrl: options.mediaUrl ?? null,
    client: canPlaceCalls ? client : null,
    limits: options.mediaLimits,
  });
  // Browser agents are seen by every instance, so any of them can tell whether one is there to take a caller.
  media.agents.sharePresence(new AgentPresence(state));
  const rest: TelephonyDeps | null = canPlaceCalls ? { client, publicUrl, engine, state, browserAgents: media.agents } : null;
  const telephony = rest ? new VoiceTelephony(rest) : null;
  if (telephony) engine.setTelephony(telephony);
  const stopCancelling = rest ? cancelRingingLegs(engine, state, rest.client) : () => {};
  const stopForgetting = forgetCallsOfEndedTasks(engine, state);
  const sms = createSmsConnector({
    engine,
    directory,
    state,
    publicUrl,
    client: sendMessages ? client : null,
    deliveryReports: options.deliveryReports ?? options.placeCalls,
  });
  return {
    directory,
    callFlows: { engine, directory, state, authToken: options.authToken, publicUrl, telephony: rest, mediaStreamUrl: media.streamUrl },
    tokens: { accountSid: options.accountSid, ...options.tokens },
    conversations: sms.conversations,
    mediaTokens: { accountSid: options.accountSid, authToken: options.authToken, baseUrl: media.baseUrl },
    telephony,
    conferences: rest ? new VoiceConferenceControls(rest) : null,
    sms,
    media,
    state,
    close: async () => {
      stopCancelling();
      stopForgetting();
      sms.stop();
      await media.close();
    },
  };
}
