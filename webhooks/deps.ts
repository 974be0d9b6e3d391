import type { ConnectorDirectory } from '../src/connector/connector-directory.js';
import type { ConnectorState } from '../src/connector/state/connector-state.js';
import type { RoutingEngine } from '../src/engine/engine.js';
import type { TelephonyDeps } from '../src/telephony/telephony-deps.js';

/** What the voice webhooks work with. */
export interface VoiceWebhookDeps {
  engine: RoutingEngine;
  directory: ConnectorDirectory;
  /** What the connector keeps of calls, their queues and agents' legs. */
  state: ConnectorState;
  /** Checks every webhook's signature. */
  authToken: string;
  publicUrl: () => string;
  /** The REST side, for steps that move calls (a conference's caller); null when no Twilio credentials are set. */
  telephony: TelephonyDeps | null;
  /** Our Media Streams URL, for calls bridged to browser agents. */
  mediaStreamUrl: () => string;
}
